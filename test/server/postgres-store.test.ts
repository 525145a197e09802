/**
 * The PostgreSQL store: the contract every store keeps, and what only several processes on one
 * database need: migrations that race, a shared mail queue, and the live count across processes.
 * Runs when TEST_DATABASE_URL is set.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newLinkToken } from '../../server/link-tokens.js';
import { openStore } from '../../server/store/open-store.js';
import { MIGRATIONS } from '../../server/store/postgres-migrations.js';
import { PostgresSignatureStore } from '../../server/store/postgres-store.js';
import type { NewSignature, SignatureStore } from '../../server/store/signature-store.js';
import { newSignature } from './support/fixtures.js';
import { postgresBehindSwitch, type PostgresOutage } from './support/postgres-outage.js';
import { createTestSchema, skipWithoutPostgres, type TestSchema } from './support/postgres-test-database.js';
import { assertMailQueueMoved, storeContract } from './support/store-contract.js';

const CAMPAIGN = 'cohesion-alliance';

storeContract(
  'PostgreSQL',
  async () => {
    const schema = await createTestSchema();
    const outages: PostgresOutage[] = [];
    return {
      open: () => openStore(schema.url),
      async openFaulty() {
        const postgres = await postgresBehindSwitch(schema.url);
        outages.push(postgres);
        return { store: await openStore(postgres.url), takeAway: postgres.stop, giveBack: postgres.start };
      },
      async destroy() {
        await Promise.all(outages.map((outage) => outage.close()));
        await schema.drop();
      },
    };
  },
  { skip: skipWithoutPostgres },
);

/** Waits until `test` holds; fails after `ms`. */
async function until(test: () => boolean | Promise<boolean>, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('PostgreSQL store', { skip: skipWithoutPostgres }, () => {
  let schema: TestSchema;
  const stores: SignatureStore[] = [];
  /** Opens a store on this suite's schema, closed after the suite. */
  const open = async (resyncMs?: number) => {
    const store = await PostgresSignatureStore.open(schema.url, { resyncMs });
    stores.push(store);
    return store;
  };

  before(async () => (schema = await createTestSchema()));
  after(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await schema.drop();
  });

  it('migrates once when several processes start on an empty database at the same moment', async () => {
    const racing = await createTestSchema();
    try {
      const opened = await Promise.all(Array.from({ length: 4 }, () => openStore(racing.url)));
      await Promise.all(opened.map((store) => store.close()));
      const versions = await racing.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(
        versions.map((row) => row.version),
        MIGRATIONS.map((_, i) => i + 1),
      );
    } finally {
      await racing.drop();
    }
  });

  it('refuses a database from a newer server', async () => {
    const future = await createTestSchema();
    try {
      await future.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      await future.query('INSERT INTO schema_migrations (version) VALUES ($1)', [MIGRATIONS.length + 1]);
      await assert.rejects(openStore(future.url), /newer than this server knows/);
    } finally {
      await future.drop();
    }
  });

  it('moves the mails queued in the mail_outbox of schema 4 into their signatures, due as they were', async () => {
    const old = await createTestSchema();
    try {
      await old.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      for (const [i, migration] of MIGRATIONS.slice(0, 4).entries()) {
        await old.query(migration);
        await old.query('INSERT INTO schema_migrations (version) VALUES ($1)', [i + 1]);
      }
      const [retried, queuedTwice, sent] = await Promise.all(
        ['a@example.org', 'b@example.org', 'c@example.org'].map(async (email) => {
          const [row] = await old.query<{ id: string }>(
            `INSERT INTO signatures (campaign, email_key, signer_type, name, country, email, newsletter, list_publicly, consent_version, status, created_at)
             VALUES ('cohesion-alliance', $1, 'individual', 'Maria', 'BG', $1, false, false, 'v1', 'pending', 1000) RETURNING id`,
            [email],
          );
          return Number(row!.id);
        }),
      );
      const queue = (signatureId: number, attempts: number, dueAt: number) =>
        old.query('INSERT INTO mail_outbox (signature_id, attempts, next_attempt_at) VALUES ($1, $2, $3)', [signatureId, attempts, dueAt]);
      await queue(retried!, 2, 5000);
      await queue(queuedTwice!, 0, 3000);
      await queue(queuedTwice!, 1, 4000);

      const store = await openStore(old.url);
      try {
        await assertMailQueueMoved(store, { retried: retried!, queuedTwice: queuedTwice!, sent: sent! });
      } finally {
        await store.close();
      }
      const [outbox] = await old.query<{ table: string | null }>(`SELECT to_regclass('mail_outbox')::text AS table`);
      assert.equal(outbox!.table, null, 'mail_outbox is gone');
    } finally {
      await old.drop();
    }
  });

  it('sends the listed organisations and representatives signed before moderation to the review queue; individuals stay listed', async () => {
    const old = await createTestSchema();
    try {
      await old.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      const moderation = MIGRATIONS.findIndex((migration) => migration.includes('ADD COLUMN moderation'));
      assert.ok(moderation > 0);
      for (const [i, migration] of MIGRATIONS.slice(0, moderation).entries()) {
        await old.query(migration);
        await old.query('INSERT INTO schema_migrations (version) VALUES ($1)', [i + 1]);
      }
      for (const [email, signerType, name, organisation, role] of [
        ['a@example.org', 'individual', 'Maria', null, null],
        ['b@example.org', 'representative', 'Dimitar', 'Plovdiv', 'Mayor'],
        ['c@example.org', 'organisation', 'Anna', 'Land Niederdonau', null],
      ]) {
        await old.query(
          `INSERT INTO signatures (campaign, email_key, signer_type, name, organisation, role, country, email, newsletter, list_publicly, consent_version, status, created_at)
           VALUES ('cohesion-alliance', $1, $2, $3, $4, $5, 'BG', $1, false, true, 'v1', 'confirmed', 1000)`,
          [email, signerType, name, organisation, role],
        );
      }

      const store = await openStore(old.url);
      try {
        const names = (rows: { name: string }[]) => rows.map(({ name }) => name);
        assert.deepEqual(names(await store.supporters(CAMPAIGN, { limit: 10, moderateAll: false })), ['Maria']);
        assert.deepEqual(names(await store.wallEntries(CAMPAIGN, { state: 'awaiting', limit: 10, moderateAll: false })), [
          'Anna',
          'Dimitar',
        ]);
      } finally {
        await store.close();
      }
    } finally {
      await old.drop();
    }
  });

  it('says why it cannot open a database, without repeating the password', async () => {
    await assert.rejects(openStore('postgres://cohesion:s3cret-word@127.0.0.1:1/cohesion'), (error: Error) => {
      assert.match(error.message, /^DATABASE_URL: could not open the PostgreSQL database/);
      assert.doesNotMatch(error.message, /s3cret-word/);
      return true;
    });
  });

  it('rejects only the bad signature of a batch, and commits the others', async () => {
    const store = await open();
    const bad = newSignature({ status: 'withdrawn' as NewSignature['status'] });
    const results = await Promise.allSettled([store.add(newSignature()), store.add(bad), store.add(newSignature())]);
    assert.deepEqual(
      results.map((result) => result.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.equal(await store.count(CAMPAIGN), 2);
  });

  it('refuses to start with synchronous_commit off, when a 2xx would not mean committed', async () => {
    const url = new URL(schema.url);
    url.searchParams.set('options', `${url.searchParams.get('options')} -c synchronous_commit=off`);
    await assert.rejects(openStore(url.href), /synchronous_commit is off/);
  });

  it('shares the mail outbox: processes claiming at once never take the same mail', async () => {
    const [first, second] = [await open(), await open()];
    const T = 1_900_000_000_000;
    await Promise.all(Array.from({ length: 40 }, () => first.add(newSignature({ status: 'pending', createdAt: T }))));
    const claims = await Promise.all([first.claimMails(T, 30, 60_000), second.claimMails(T, 30, 60_000)]);
    const jobs = claims.flat();
    const ids = jobs.map((job) => job.id);
    assert.equal(new Set(ids).size, ids.length, 'no mail claimed twice');
    assert.ok(ids.length >= 40, `${ids.length} of 40 mails claimed`);
    await first.settleMails(jobs.map(({ id, attempt }) => ({ id, attempt })));
  });

  it('tells the count listeners of every process, within a second of a commit in another', async () => {
    const [watching, signing] = [await open(), await open()];
    const before = await watching.count(CAMPAIGN);
    const heard: number[] = [];
    watching.onCount((campaign, count) => campaign === CAMPAIGN && heard.push(count));
    await new Promise((resolve) => setTimeout(resolve, 200)); // LISTEN is under way
    const signedAt = Date.now();
    await signing.add(newSignature());
    await until(() => heard.includes(before + 1), 1000, 'the other process heard of the signature');
    assert.ok(Date.now() - signedAt < 1000);
    assert.equal(await watching.count(CAMPAIGN), before + 1, 'and counts it');
    // And confirmations, which go through another statement.
    await signing.add(newSignature({ status: 'pending', createdAt: 1_900_000_000_000 }));
    const [job] = (await signing.claimMails(1_900_000_000_000, 100, 60_000)).filter((mail) => mail.status === 'pending');
    const { hash } = newLinkToken(job!.signatureId);
    await signing.addLinkTokens([{ signatureId: job!.signatureId, queuedAt: job!.queuedAt, hash, purpose: 'confirm', expiresAt: null }]);
    await signing.confirm(hash, Date.now());
    await until(() => heard.includes(before + 2), 1000, 'the other process heard of the confirmation');
  });

  it('heals a missed notification at the next resync', async () => {
    const store = await open(100);
    await store.add(newSignature({ campaign: 'missed' }));
    const heard: number[] = [];
    store.onCount((campaign, count) => campaign === 'missed' && heard.push(count));
    // A change that sends no NOTIFY, as if the notification were lost.
    await schema.query(`UPDATE campaign_counts SET confirmed = 41, version = version + 1 WHERE campaign = 'missed'`);
    await until(() => heard.includes(41), 2000, 'the resync found the new count');
    assert.equal(await store.count('missed'), 41);
  });

  it('listens again after its LISTEN connection is cut, and catches up', async () => {
    const [watching, signing] = [await open(100), await open()];
    await watching.count('cut');
    const heard: number[] = [];
    watching.onCount((campaign, count) => campaign === 'cut' && heard.push(count));
    await until(async () => (await listeningBackends()).length > 0, 2000, 'LISTEN connected');
    await schema.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [await listeningBackends()]);
    await signing.add(newSignature({ campaign: 'cut' }));
    await until(() => heard.includes(1), 3000, 'heard after reconnecting');
    await signing.add(newSignature({ campaign: 'cut' }));
    await until(() => heard.includes(2), 1000, 'notifications arrive again');
  });

  async function listeningBackends(): Promise<number[]> {
    const rows = await schema.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
      [schema.schema],
    );
    return rows.map((row) => row.pid);
  }
});
