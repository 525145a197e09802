/**
 * What every SignatureStore must do. Each implementation's test file calls `storeContract` with
 * a way to get a fresh, empty database of its kind.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { emailKey } from '../../../server/email-key.js';
import { newLinkToken } from '../../../server/link-tokens.js';
import {
  MAIL_RESEND_INTERVAL_MS,
  type LinkPurpose,
  type MailJob,
  type MailResult,
  type NewSignature,
  type SignatureStore,
  type WallState,
} from '../../../server/store/signature-store.js';
import { StoreUnavailableError } from '../../../server/store/store-health.js';
import { newSignature } from './fixtures.js';

export interface TestDatabase {
  /** Opens a store on this database; after `close()`, opening again must see the same data. */
  open(): Promise<SignatureStore>;
  /**
   * Opens a store whose database the test can take away and give back, as the store's kind
   * loses it: a disk that fills up (SQLite), a server that stops (PostgreSQL).
   */
  openFaulty(): Promise<FaultyStore>;
  /** Deletes the database. */
  destroy(): Promise<void>;
}

export interface FaultyStore {
  store: SignatureStore;
  /** From now on, writes fail (or will soon, once what room is left is taken). */
  takeAway(): Promise<void>;
  giveBack(): Promise<void>;
}

const CAMPAIGN = 'cohesion-alliance';
const MINUTE = 60_000;
const LEASE_MS = 10 * MINUTE;

/** `skip`: a reason to skip the suite, e.g. when there is no server of that kind to test on. */
/**
 * After the migration that moved the mail queue into the signatures' rows (SQLite schema 6,
 * PostgreSQL 5), of three signatures whose mails the old mail_outbox held as retried twice
 * (`retried`, a@example.org), queued twice (`queuedTwice`, b@example.org) and sent (`sent`): each
 * mail still to send is claimed once, as its next attempt, the earliest first.
 */
export async function assertMailQueueMoved(
  store: SignatureStore,
  { retried, queuedTwice, sent }: Record<'retried' | 'queuedTwice' | 'sent', number>,
) {
  const jobs = await store.claimMails(10_000, 100, 60_000);
  assert.deepEqual(
    jobs.map(({ id, signatureId, attempt, email }) => ({ id, signatureId, attempt, email })),
    [
      { id: queuedTwice, signatureId: queuedTwice, attempt: 2, email: 'b@example.org' },
      { id: retried, signatureId: retried, attempt: 3, email: 'a@example.org' },
    ],
    'once each, the earliest first; none for the signature whose mail was sent',
  );
  assert.ok(!jobs.some((job) => job.id === sent));
}

/** A signature's details as a mail job and a link carry them: what the signer confirms. */
const detailsOf = (signature: NewSignature) => ({
  signerType: signature.signerType,
  name: signature.name,
  organisation: signature.organisation ?? null,
  role: signature.role ?? null,
  country: signature.country,
  listPublicly: signature.listPublicly,
  newsletter: signature.newsletter,
});

export function storeContract(name: string, makeDatabase: () => Promise<TestDatabase>, { skip = false as string | false } = {}) {
  describe(`SignatureStore contract: ${name}`, { skip }, () => {
    let database: TestDatabase;
    let store: SignatureStore;

    beforeEach(async () => {
      database = await makeDatabase();
      store = await database.open();
    });

    afterEach(async () => {
      await store.close();
      await database.destroy();
    });

    it('spends a proof-of-work solution once, and forgets it once it has expired', async () => {
      assert.equal(await store.spendProof('nonce-1', 2_000, 1_000), true);
      assert.equal(await store.spendProof('nonce-1', 2_000, 1_500), false, 'a replay');
      assert.equal(await store.spendProof('nonce-2', 2_000, 1_500), true, 'another solution');
      // Expired solutions are refused by their signature check; the store may forget them.
      assert.equal(await store.spendProof('nonce-1', 4_000, 3_000), true);
    });

    it('counts zero for a campaign nobody has signed', async () => {
      assert.equal(await store.count(CAMPAIGN), 0);
      assert.equal(await store.partnerCount(CAMPAIGN, 'plovdiv'), 0);
    });

    it('adds a confirmed signature and counts it', async () => {
      assert.deepEqual(await store.add(newSignature()), { outcome: 'added' });
      assert.equal(await store.count(CAMPAIGN), 1);
    });

    it('answers duplicate for an email key that already signed, and changes no count', async () => {
      const first = newSignature({ partner: 'plovdiv' });
      await store.add(first);
      const again = newSignature({ emailKey: first.emailKey, email: first.email, partner: 'plovdiv' });
      assert.deepEqual(await store.add(again), { outcome: 'duplicate' });
      assert.equal(await store.count(CAMPAIGN), 1);
      assert.equal(await store.partnerCount(CAMPAIGN, 'plovdiv'), 1);
    });

    it('does not count a pending signature, nor a confirmed duplicate of it', async () => {
      const pending = newSignature({ status: 'pending', partner: 'plovdiv' });
      assert.deepEqual(await store.add(pending), { outcome: 'added' });
      assert.deepEqual(await store.add({ ...pending, status: 'confirmed' }), { outcome: 'duplicate' });
      assert.equal(await store.count(CAMPAIGN), 0);
      assert.equal(await store.partnerCount(CAMPAIGN, 'plovdiv'), 0);
    });

    it('lets the same email key sign another campaign', async () => {
      const signature = newSignature();
      await store.add(signature);
      assert.deepEqual(await store.add({ ...signature, campaign: 'other-campaign' }), { outcome: 'added' });
      assert.equal(await store.count(CAMPAIGN), 1);
      assert.equal(await store.count('other-campaign'), 1);
    });

    it('counts per campaign and per partner', async () => {
      await store.add(newSignature({ partner: 'plovdiv' }));
      await store.add(newSignature({ partner: 'plovdiv' }));
      await store.add(newSignature({ partner: 'ruse' }));
      await store.add(newSignature());
      await store.add(newSignature({ campaign: 'other-campaign', partner: 'plovdiv' }));
      assert.equal(await store.count(CAMPAIGN), 4);
      assert.equal(await store.count('other-campaign'), 1);
      assert.equal(await store.partnerCount(CAMPAIGN, 'plovdiv'), 2);
      assert.equal(await store.partnerCount(CAMPAIGN, 'ruse'), 1);
      assert.equal(await store.partnerCount('other-campaign', 'plovdiv'), 1);
      assert.equal(await store.partnerCount(CAMPAIGN, 'nobody'), 0);
    });

    it('counts 500 concurrent adds, with duplicates among them, exactly once each', async () => {
      const signatures = Array.from({ length: 500 }, () => newSignature({ partner: 'plovdiv' }));
      const duplicates = signatures.slice(0, 100).map((signature) => ({ ...signature, name: 'Someone else' }));
      const results = await Promise.all([...signatures, ...duplicates].map((signature) => store.add(signature)));
      const outcomes = results.map((result) => result.outcome);
      assert.equal(outcomes.filter((outcome) => outcome === 'added').length, 500);
      assert.equal(outcomes.filter((outcome) => outcome === 'duplicate').length, 100);
      assert.equal(await store.count(CAMPAIGN), 500);
      assert.equal(await store.partnerCount(CAMPAIGN, 'plovdiv'), 500);
    });

    it('keeps signatures and counts after close and reopen', async () => {
      const kept = newSignature({ partner: 'ruse' });
      await store.add(kept);
      await store.add(newSignature({ status: 'pending' }));
      await store.close();
      store = await database.open();
      assert.equal(await store.count(CAMPAIGN), 1);
      assert.equal(await store.partnerCount(CAMPAIGN, 'ruse'), 1);
      assert.deepEqual(await store.add({ ...kept, name: 'Again' }), { outcome: 'duplicate' });
    });

    it('writes adds still queued when it closes', async () => {
      const pending = [store.add(newSignature()), store.add(newSignature())];
      await store.close();
      assert.deepEqual(await Promise.all(pending), [{ outcome: 'added' }, { outcome: 'added' }]);
      store = await database.open();
      assert.equal(await store.count(CAMPAIGN), 2);
    });

    it('tells count listeners after a commit that changed a count, and only then', async () => {
      const heard: Array<[string, number]> = [];
      const stop = store.onCount((campaign, count) => heard.push([campaign, count]));
      const first = newSignature();
      await store.add(first);
      await store.add(newSignature({ status: 'pending' }));
      await store.add({ ...first });
      await store.add(newSignature({ campaign: 'other-campaign' }));
      assert.deepEqual(heard, [
        [CAMPAIGN, 1],
        ['other-campaign', 1],
      ]);
      stop();
      await store.add(newSignature());
      assert.equal(heard.length, 2);
    });

    it('tells listeners the latest count once per commit when adds arrive together', async () => {
      const heard: number[] = [];
      store.onCount((_campaign, count) => heard.push(count));
      await Promise.all(Array.from({ length: 20 }, () => store.add(newSignature())));
      assert.ok(heard.length >= 1 && heard.length <= 20);
      assert.equal(heard.at(-1), 20);
      assert.deepEqual(
        heard,
        [...heard].sort((a, b) => a - b),
      );
    });

    it('is healthy while open, and refuses adds once closed', async () => {
      assert.equal(await store.healthy(), true);
      await store.close();
      assert.equal(await store.healthy(), false);
      await assert.rejects(store.add(newSignature()));
      store = await database.open();
    });

    it('refuses writes with StoreUnavailableError while it cannot write, is unhealthy meanwhile, and heals by itself', async () => {
      const { store: faulty, takeAway, giveBack } = await database.openFaulty();
      try {
        await faulty.add(newSignature());
        await takeAway();
        let added = 1;
        let refused: unknown;
        while (!refused && added < 10_000) {
          await faulty.add(newSignature()).then(
            () => added++,
            (error: unknown) => (refused = error),
          );
        }
        assert.ok(refused instanceof StoreUnavailableError, `refused with ${String(refused)}`);
        assert.equal(await faulty.healthy(), false);
        await assert.rejects(faulty.add(newSignature()), StoreUnavailableError);
        assert.equal(await faulty.healthy(), false, 'still');

        await giveBack();
        assert.equal(await faulty.healthy(), true);
        assert.deepEqual(await faulty.add(newSignature()), { outcome: 'added' });
        assert.equal(await faulty.count(CAMPAIGN), added + 1, 'every acknowledged signature, and nothing refused');
      } finally {
        await faulty.close();
      }
    });

    it("keeps one shared secret: the first stored is every process's, however many ask at once, across restarts", async () => {
      const other = await database.open();
      let secret: string;
      try {
        const [mine, theirs] = await Promise.all([
          store.sharedSecret('test-secret', () => 'made here'),
          other.sharedSecret('test-secret', () => 'made there'),
        ]);
        assert.equal(mine, theirs);
        assert.ok(['made here', 'made there'].includes(mine));
        secret = mine;
        assert.equal(await store.sharedSecret('another-secret', () => 'another'), 'another');
      } finally {
        await other.close();
      }
      await store.close();
      store = await database.open();
      assert.equal(await store.sharedSecret('test-secret', () => 'made later'), secret);
    });

    describe('mail outbox and links', () => {
      const T = 1_800_000_000_000;

      /** Adds a signature made at T (unless told otherwise) and returns it. */
      async function sign(overrides: Partial<NewSignature> = {}) {
        const signature = newSignature({ createdAt: T, ...overrides });
        await store.add(signature);
        return signature;
      }

      /** Claims what is due at `now` and returns the one mail for `signature`, checking there is no other. */
      async function claimMailOf(signature: NewSignature, now = T): Promise<MailJob> {
        const jobs = await store.claimMails(now, 100, LEASE_MS);
        assert.deepEqual(
          jobs.map((job) => job.email),
          [signature.email],
        );
        return jobs[0]!;
      }

      /** A claimed mail's result: done, or to try again at `retryAt`. */
      const done = ({ id, attempt }: MailJob, retryAt?: number): MailResult => ({ id, attempt, retryAt });

      /** Gives a mail's signature a token and returns the token's hash. */
      async function tokenFor(job: MailJob, purpose: LinkPurpose, expiresAt: number | null = null) {
        const { hash } = newLinkToken(job.signatureId);
        await store.addLinkTokens([{ signatureId: job.signatureId, hash, purpose, expiresAt, queuedAt: job.queuedAt }]);
        return hash;
      }

      it('queues a mail with each new signature and leases it to one claim at a time', async () => {
        const signature = await sign({ status: 'pending', lang: 'bg', partner: 'plovdiv' });
        const job = await claimMailOf(signature);
        assert.equal(typeof job.id, 'number');
        assert.equal(typeof job.signatureId, 'number');
        assert.deepEqual(
          { ...job, id: 0, signatureId: 0 },
          {
            id: 0,
            signatureId: 0,
            attempt: 1,
            queuedAt: T,
            campaign: CAMPAIGN,
            email: signature.email,
            lang: 'bg',
            status: 'pending',
            details: detailsOf(signature),
          },
        );
        assert.deepEqual(await store.claimMails(T + LEASE_MS - 1, 100, LEASE_MS), [], 'leased');
        const again = await claimMailOf(signature, T + LEASE_MS);
        assert.deepEqual([again.id, again.attempt], [job.id, 2], 'a lease that ran out: taken again, as the next attempt');
      });

      it('gives out at most `limit` mails, oldest first, and only those that are due', async () => {
        const first = await sign({ createdAt: T });
        await sign({ createdAt: T + 1 });
        await sign({ createdAt: T + 2 });
        assert.deepEqual(
          (await store.claimMails(T, 100, LEASE_MS)).map((job) => job.email),
          [first.email],
        );
        assert.equal((await store.claimMails(T + 5, 1, LEASE_MS)).length, 1);
        assert.equal((await store.claimMails(T + 5, 100, LEASE_MS)).length, 1);
      });

      it("tells a confirmed signature's mail from a pending one's, and leaves lang out when unknown", async () => {
        const signature = await sign();
        const job = await claimMailOf(signature);
        assert.equal(job.status, 'confirmed');
        assert.equal('lang' in job, false);
      });

      it('keeps queued mails across close and reopen', async () => {
        const signature = await sign({ status: 'pending' });
        await store.close();
        store = await database.open();
        await claimMailOf(signature);
      });

      it('settles mails: a done one is gone, a failed one is due again at its retry time', async () => {
        const sent = await sign();
        const failed = await sign();
        const jobs = await store.claimMails(T, 100, LEASE_MS);
        const jobOf = (signature: NewSignature) => jobs.find((job) => job.email === signature.email)!;
        await store.settleMails([done(jobOf(sent)), done(jobOf(failed), T + 5 * MINUTE)]);
        assert.deepEqual(await store.claimMails(T + 5 * MINUTE - 1, 100, LEASE_MS), []);
        const retry = await claimMailOf(failed, T + 5 * MINUTE);
        assert.equal(retry.attempt, 2);
        await store.settleMails([done(retry)]);
        assert.deepEqual(await store.claimMails(T + 365 * 24 * 60 * MINUTE, 100, LEASE_MS), []);
      });

      it('queues the mail again when a pending signer signs again, at most once per MAIL_RESEND_INTERVAL_MS', async () => {
        const signature = await sign({ status: 'pending' });
        await store.settleMails([done(await claimMailOf(signature))]);
        // With the same details: with others, the signature is replaced (see "a pending signature is its newest signing's").
        const signAgainAt = async (createdAt: number) => (await store.add({ ...signature, createdAt })).outcome;

        assert.equal(await signAgainAt(T + MAIL_RESEND_INTERVAL_MS - 1), 'duplicate');
        assert.deepEqual(await store.claimMails(T + MAIL_RESEND_INTERVAL_MS - 1, 100, LEASE_MS), [], 'too soon');
        assert.equal(await signAgainAt(T + MAIL_RESEND_INTERVAL_MS), 'duplicate');
        const resent = await claimMailOf(signature, T + MAIL_RESEND_INTERVAL_MS);
        await store.settleMails([done(resent)]);
        assert.equal(await signAgainAt(T + MAIL_RESEND_INTERVAL_MS + 1), 'duplicate');
        assert.deepEqual(await store.claimMails(T + 2 * MAIL_RESEND_INTERVAL_MS, 100, LEASE_MS), [], 'counted from the last mail');
      });

      it('sends the mail again to a pending signer who signs again while the last one is on its way', async () => {
        const signature = await sign({ status: 'pending' });
        const first = await claimMailOf(signature);
        // The earlier mail's result comes in after the signer signed again: it ends that mail only.
        assert.equal((await store.add({ ...signature, createdAt: T + MAIL_RESEND_INTERVAL_MS })).outcome, 'duplicate');
        await store.settleMails([done(first)]);
        const again = await claimMailOf(signature, T + MAIL_RESEND_INTERVAL_MS);
        assert.equal(again.attempt, 1, 'a new mail, counted from its first attempt');
        await store.settleMails([done(again)]);
        assert.deepEqual(await store.claimMails(T + 100 * MAIL_RESEND_INTERVAL_MS, 100, LEASE_MS), []);
      });

      it("keeps one mail per signature: signing again before it went out sends one mail, whose id is its signature's", async () => {
        const signature = await sign({ status: 'pending' });
        assert.equal((await store.add({ ...signature, createdAt: T + MAIL_RESEND_INTERVAL_MS })).outcome, 'duplicate');
        const job = await claimMailOf(signature, T + MAIL_RESEND_INTERVAL_MS);
        assert.equal(job.id, job.signatureId);
        assert.equal(job.attempt, 1);
      });

      it('lets a failed attempt claimed before the signer signed again reschedule nothing', async () => {
        const signature = await sign({ status: 'pending' });
        const first = await claimMailOf(signature);
        await store.add({ ...signature, createdAt: T + MAIL_RESEND_INTERVAL_MS });
        await store.settleMails([done(first, T + 100 * MAIL_RESEND_INTERVAL_MS)]);
        const again = await claimMailOf(signature, T + MAIL_RESEND_INTERVAL_MS);
        assert.equal(again.attempt, 1, 'the new mail, due when it was queued');
      });

      it('never queues a mail again for a confirmed signer who signs again', async () => {
        const signature = await sign();
        await store.settleMails([done(await claimMailOf(signature))]);
        await store.add({ ...signature, createdAt: T + 100 * MAIL_RESEND_INTERVAL_MS });
        assert.deepEqual(await store.claimMails(T + 100 * MAIL_RESEND_INTERVAL_MS, 100, LEASE_MS), []);
      });

      it('finds a link without using it', async () => {
        const signature = await sign({ status: 'pending', lang: 'bg' });
        const job = await claimMailOf(signature);
        const confirm = await tokenFor(job, 'confirm', T + MINUTE);
        const withdraw = await tokenFor(job, 'withdraw');
        const details = detailsOf(signature);
        assert.deepEqual(await store.findLink('confirm', confirm, T), { outcome: 'ready', campaign: CAMPAIGN, lang: 'bg', details });
        assert.deepEqual(await store.findLink('withdraw', withdraw, T), { outcome: 'ready', campaign: CAMPAIGN, lang: 'bg', details });
        assert.deepEqual(await store.findLink('confirm', confirm, T + MINUTE), { outcome: 'expired', campaign: CAMPAIGN, lang: 'bg' });
        assert.deepEqual(await store.findLink('withdraw', confirm, T), { outcome: 'unknown' }, 'the other purpose');
        assert.deepEqual(await store.findLink('confirm', newLinkToken(1).hash, T), { outcome: 'unknown' });
        assert.equal(await store.count(CAMPAIGN), 0);
        assert.equal((await store.confirm(confirm, T)).outcome, 'confirmed', 'finding did not use it');
      });

      it('tells a link the partner page its signature was made on, where one was recorded', async () => {
        const page = 'https://plovdiv.bg/cohesion';
        const signature = await sign({ status: 'pending', partner: 'plovdiv', page });
        const job = await claimMailOf(signature);
        const confirm = await tokenFor(job, 'confirm', T + MINUTE);
        const withdraw = await tokenFor(job, 'withdraw');
        assert.equal(((await store.findLink('confirm', confirm, T)) as { page?: string }).page, page);
        assert.deepEqual(await store.confirm(confirm, T), { outcome: 'confirmed', campaign: CAMPAIGN, page });
        assert.deepEqual(await store.withdraw(withdraw, T), { outcome: 'withdrawn', campaign: CAMPAIGN, page });
      });

      it('confirms a pending signature once: its counts rise and listeners hear of it', async () => {
        const signature = await sign({ status: 'pending', partner: 'plovdiv' });
        const confirm = await tokenFor(await claimMailOf(signature), 'confirm', T + MINUTE);
        const heard: Array<[string, number]> = [];
        store.onCount((campaign, count) => heard.push([campaign, count]));

        assert.deepEqual(await store.confirm(confirm, T), { outcome: 'confirmed', campaign: CAMPAIGN });
        assert.equal(await store.count(CAMPAIGN), 1);
        assert.equal(await store.partnerCount(CAMPAIGN, 'plovdiv'), 1);
        assert.deepEqual(heard, [[CAMPAIGN, 1]]);

        assert.deepEqual(await store.confirm(confirm, T + 2 * MINUTE), { outcome: 'already_confirmed', campaign: CAMPAIGN });
        assert.deepEqual(await store.findLink('confirm', confirm, T), { outcome: 'already_confirmed', campaign: CAMPAIGN });
        assert.equal(await store.count(CAMPAIGN), 1);
        assert.equal(await store.partnerCount(CAMPAIGN, 'plovdiv'), 1);
        assert.equal(heard.length, 1);
      });

      it('confirms once when the same token is used twice at the same moment', async () => {
        const signature = await sign({ status: 'pending' });
        const confirm = await tokenFor(await claimMailOf(signature), 'confirm', T + MINUTE);
        const outcomes = await Promise.all([store.confirm(confirm, T), store.confirm(confirm, T)]);
        assert.deepEqual(outcomes.map((result) => result.outcome).sort(), ['already_confirmed', 'confirmed']);
        assert.equal(await store.count(CAMPAIGN), 1);
      });

      it('does nothing with an expired, unknown or other-purpose token', async () => {
        const signature = await sign({ status: 'pending' });
        const job = await claimMailOf(signature);
        const confirm = await tokenFor(job, 'confirm', T + MINUTE);
        const withdraw = await tokenFor(job, 'withdraw');
        assert.deepEqual(await store.confirm(confirm, T + MINUTE), { outcome: 'expired', campaign: CAMPAIGN });
        assert.deepEqual(await store.confirm(withdraw, T), { outcome: 'unknown' });
        assert.deepEqual(await store.withdraw(confirm, T), { outcome: 'unknown' });
        assert.deepEqual(await store.confirm(newLinkToken(1).hash, T), { outcome: 'unknown' });
        assert.equal(await store.count(CAMPAIGN), 0);
        assert.equal((await store.findLink('withdraw', withdraw, T)).outcome, 'ready', 'still there');
      });

      it('withdraws a counted signature: its counts fall, listeners hear, and nothing of it is left', async () => {
        const signature = await sign({ partner: 'plovdiv', lang: 'bg' });
        await sign({ partner: 'plovdiv' });
        const job = (await store.claimMails(T, 100, LEASE_MS)).find((mail) => mail.email === signature.email)!;
        const withdraw = await tokenFor(job, 'withdraw');
        const confirm = await tokenFor(job, 'confirm', T + MINUTE);
        await store.settleMails([done(job, T + MINUTE)]);
        const heard: Array<[string, number]> = [];
        store.onCount((campaign, count) => heard.push([campaign, count]));

        assert.deepEqual(await store.withdraw(withdraw, T), { outcome: 'withdrawn', campaign: CAMPAIGN, lang: 'bg' });
        assert.equal(await store.count(CAMPAIGN), 1);
        assert.equal(await store.partnerCount(CAMPAIGN, 'plovdiv'), 1);
        assert.deepEqual(heard, [[CAMPAIGN, 1]]);

        assert.deepEqual(await store.withdraw(withdraw, T), { outcome: 'unknown' }, 'its tokens are gone');
        assert.deepEqual(await store.findLink('confirm', confirm, T), { outcome: 'unknown' });
        assert.deepEqual(await store.claimMails(T + MINUTE, 100, LEASE_MS), [], 'its queued mail is gone');
        assert.deepEqual(await store.add({ ...signature, createdAt: T + 1 }), { outcome: 'added' }, 'its email key is free again');
      });

      it('withdraws a pending signature without touching the counts', async () => {
        const signature = await sign({ status: 'pending' });
        const withdraw = await tokenFor(await claimMailOf(signature), 'withdraw');
        const heard: number[] = [];
        store.onCount((_campaign, count) => heard.push(count));
        assert.equal((await store.withdraw(withdraw, T)).outcome, 'withdrawn');
        assert.equal(await store.count(CAMPAIGN), 0);
        assert.deepEqual(heard, []);
      });

      it('drops the tokens of a signature withdrawn while its mail was being sent', async () => {
        const signature = await sign({ status: 'pending' });
        const job = await claimMailOf(signature);
        await store.withdraw(await tokenFor(job, 'withdraw'), T);
        const late = newLinkToken(job.signatureId).hash;
        await store.addLinkTokens([
          { signatureId: job.signatureId, queuedAt: job.queuedAt, hash: late, purpose: 'withdraw', expiresAt: null },
        ]);
        assert.deepEqual(await store.findLink('withdraw', late, T), { outcome: 'unknown' });
        await store.settleMails([done(job)]);
      });

      describe("a pending signature is its newest signing's", () => {
        const DAY = 24 * 60 * MINUTE;
        /** A stranger's signing with Maria's address, and hers, as in issue 14. */
        const stranger = () =>
          newSignature({
            email: 'maria@example.org',
            emailKey: 'maria@example.org',
            status: 'pending',
            signerType: 'representative',
            name: 'Maria Ivanova',
            role: 'Member, Some Party',
            listPublicly: true,
            newsletter: true,
            lang: 'en',
            partner: 'plovdiv',
            createdAt: T,
          });
        const hers = (squatted: NewSignature, createdAt: number): NewSignature => ({
          ...squatted,
          email: 'Maria@Example.org',
          signerType: 'individual',
          role: undefined,
          listPublicly: false,
          newsletter: false,
          lang: 'bg',
          partner: undefined,
          createdAt,
        });
        const rowOf = async (emailKey: string) => {
          const rows = await store.exportPage(CAMPAIGN, { afterId: 0, limit: 100 });
          return rows.filter((row) => row.email.toLowerCase() === emailKey);
        };

        it('takes the details, choices, language and address of a new signing of its key, and ends the earlier links', async () => {
          const squatted = await sign(stranger());
          const first = await claimMailOf(squatted);
          const earlierConfirm = await tokenFor(first, 'confirm', T + DAY);
          await store.settleMails([done(first)]);

          const real = hers(squatted, T + MINUTE);
          assert.deepEqual(await store.add(real), { outcome: 'replaced' });
          assert.deepEqual(
            await store.findLink('confirm', earlierConfirm, T + MINUTE),
            { outcome: 'unknown' },
            "the stranger's mail can confirm nothing",
          );
          const rows = await rowOf('maria@example.org');
          assert.equal(rows.length, 1);
          const { id: _id, ...row } = rows[0]!;
          assert.deepEqual(row, {
            campaign: CAMPAIGN,
            ...detailsOf(real),
            organisationKind: null,
            email: 'Maria@Example.org',
            partner: null,
            page: null,
            lang: 'bg',
            consentVersion: real.consentVersion,
            status: 'pending',
            createdAt: T + MINUTE,
            confirmedAt: null,
          });
          assert.equal(await store.count(CAMPAIGN), 0);
        });

        it("mails the new details once the last mail's MAIL_RESEND_INTERVAL_MS is up, and only that mail's link confirms them", async () => {
          const squatted = await sign(stranger());
          await store.settleMails([done(await claimMailOf(squatted))]);
          const real = hers(squatted, T + MINUTE);
          await store.add(real);

          assert.deepEqual(await store.claimMails(T + MAIL_RESEND_INTERVAL_MS - 1, 100, LEASE_MS), [], 'not sooner');
          const job = await claimMailOf(real, T + MAIL_RESEND_INTERVAL_MS);
          assert.deepEqual([job.details, job.lang, job.email, job.attempt], [detailsOf(real), 'bg', 'Maria@Example.org', 1]);
          const confirm = await tokenFor(job, 'confirm', T + DAY);
          assert.equal((await store.confirm(confirm, T + MAIL_RESEND_INTERVAL_MS)).outcome, 'confirmed');
          assert.deepEqual(await store.supporters(CAMPAIGN, { limit: 10, moderateAll: false }), [], 'she chose not to be listed');
          assert.equal((await rowOf('maria@example.org'))[0]!.newsletter, false);
        });

        it('sends one mail, with the newest details, when its key signs again before the first mail went out', async () => {
          const squatted = await sign(stranger());
          const real = hers(squatted, T);
          assert.deepEqual(await store.add(real), { outcome: 'replaced' });
          const job = await claimMailOf(real);
          assert.deepEqual([job.details, job.lang, job.attempt], [detailsOf(real), 'bg', 1]);
        });

        it('takes the newest of several signings of one key that arrive together', async () => {
          const squatted = stranger();
          const outcomes = await Promise.all(
            [squatted, { ...squatted, name: 'Maria Petrova' }, hers(squatted, T)].map(
              async (signature) => (await store.add(signature)).outcome,
            ),
          );
          assert.deepEqual(outcomes, ['added', 'replaced', 'replaced']);
          const job = await claimMailOf(hers(squatted, T));
          assert.deepEqual(job.details, detailsOf(hers(squatted, T)));
        });

        it('keeps no tokens for a mail claimed before its signature was replaced: that mail is not to be sent', async () => {
          const squatted = await sign(stranger());
          const job = await claimMailOf(squatted);
          const real = hers(squatted, T + 1);
          await store.add(real);
          const { hash } = newLinkToken(job.signatureId);
          const kept = await store.addLinkTokens([
            { signatureId: job.signatureId, hash, purpose: 'confirm', expiresAt: T + DAY, queuedAt: job.queuedAt },
          ]);
          assert.deepEqual(kept, []);
          assert.deepEqual(await store.findLink('confirm', hash, T + 1), { outcome: 'unknown' });
          const current = await claimMailOf(real, T + MAIL_RESEND_INTERVAL_MS);
          const fresh = newLinkToken(current.signatureId).hash;
          const token = {
            signatureId: current.signatureId,
            hash: fresh,
            purpose: 'confirm' as const,
            expiresAt: T + DAY,
            queuedAt: current.queuedAt,
          };
          assert.deepEqual(await store.addLinkTokens([token]), [current.signatureId], 'the mail queued since: its tokens are kept');
        });

        it("lets only the newest mail's link confirm, even when the details did not change", async () => {
          const signature = await sign({ status: 'pending' });
          const first = await claimMailOf(signature);
          const firstConfirm = await tokenFor(first, 'confirm', T + DAY);
          await store.settleMails([done(first)]);
          assert.deepEqual(await store.add({ ...signature, createdAt: T + MAIL_RESEND_INTERVAL_MS }), { outcome: 'duplicate' });
          const second = await claimMailOf(signature, T + MAIL_RESEND_INTERVAL_MS);
          const secondConfirm = await tokenFor(second, 'confirm', T + DAY);
          assert.deepEqual(await store.findLink('confirm', firstConfirm, T + MAIL_RESEND_INTERVAL_MS), { outcome: 'unknown' });
          assert.equal((await store.confirm(secondConfirm, T + MAIL_RESEND_INTERVAL_MS)).outcome, 'confirmed');
        });

        it('never changes a confirmed signature: a new signing of its key changes nothing and mails nothing', async () => {
          const confirmed = await sign({ ...stranger(), status: 'confirmed' });
          await store.settleMails([done(await claimMailOf(confirmed))]);
          const before = await rowOf('maria@example.org');
          assert.deepEqual(await store.add(hers(confirmed, T + DAY)), { outcome: 'duplicate' });
          assert.deepEqual(await store.add({ ...hers(confirmed, T + DAY), status: 'pending' }), { outcome: 'duplicate' });
          assert.deepEqual(await rowOf('maria@example.org'), before);
          assert.deepEqual(await store.claimMails(T + DAY, 100, LEASE_MS), []);
        });

        it('judges duplicates by the canonical email key, and keeps the address as typed', async () => {
          const typed = ['D.D+news@Gmail.com', 'dd@googlemail.com', 'd.d@gmail.com'];
          const outcomes = [];
          for (const email of typed)
            outcomes.push((await store.add(newSignature({ email, emailKey: emailKey(email), partner: 'plovdiv' }))).outcome);
          assert.deepEqual(outcomes, ['added', 'duplicate', 'duplicate']);
          assert.deepEqual([await store.count(CAMPAIGN), await store.partnerCount(CAMPAIGN, 'plovdiv')], [1, 1]);
          assert.deepEqual(
            (await store.exportPage(CAMPAIGN, { afterId: 0, limit: 10 })).map(({ email }) => email),
            ['D.D+news@Gmail.com'],
          );
          assert.deepEqual(await store.eraseSigner(emailKey('DD+other@gmail.com')), { erased: 1 });
          assert.equal(await store.count(CAMPAIGN), 0);
        });
      });

      describe('retention (eraseExpired)', () => {
        const DAY = 24 * 60 * MINUTE;

        it('erases pending signatures whose last mail is older than pendingBefore, with their links and mails; no count changes', async () => {
          const old = await sign({ status: 'pending', partner: 'plovdiv' });
          const oldConfirm = await tokenFor(await claimMailOf(old), 'confirm', T + 7 * DAY);
          const counted = await sign({ partner: 'plovdiv', createdAt: T + 1 });
          const recent = await sign({ status: 'pending', createdAt: T + DAY });
          const heard: number[] = [];
          store.onCount((_campaign, count) => heard.push(count));

          assert.deepEqual(await store.eraseExpired({ pendingBefore: T + DAY }), { erased: 1, anonymised: 0 });
          assert.deepEqual(await store.findLink('confirm', oldConfirm, T), { outcome: 'unknown' });
          assert.deepEqual(
            (await store.claimMails(T + DAY, 100, LEASE_MS)).map((job) => job.email).sort(),
            [counted.email, recent.email].sort(),
            'its queued mail is gone, the others are there',
          );
          assert.deepEqual([await store.count(CAMPAIGN), await store.partnerCount(CAMPAIGN, 'plovdiv'), heard], [1, 1, []]);
          assert.deepEqual(await store.add({ ...old, createdAt: T + 2 * DAY }), { outcome: 'added' }, 'its email key is free again');
          assert.deepEqual(await store.eraseExpired({ pendingBefore: T + DAY }), { erased: 0, anonymised: 0 }, 'idempotent');
        });

        it('counts from the last mail: a pending signer who signed again and was mailed again is kept', async () => {
          const signature = await sign({ status: 'pending' });
          await store.add({ ...signature, createdAt: T + MAIL_RESEND_INTERVAL_MS });
          assert.deepEqual(await store.eraseExpired({ pendingBefore: T + MAIL_RESEND_INTERVAL_MS }), { erased: 0, anonymised: 0 });
          assert.deepEqual(await store.eraseExpired({ pendingBefore: T + MAIL_RESEND_INTERVAL_MS + 1 }), { erased: 1, anonymised: 0 });
        });

        it('strips confirmed signatures confirmed before confirmedBefore: still counted, withdrawable, their email key gone', async () => {
          const old = await sign({ partner: 'plovdiv' });
          const withdraw = await tokenFor(await claimMailOf(old), 'withdraw');
          await store.add(newSignature({ createdAt: T + DAY }));
          assert.deepEqual(await store.eraseExpired({ pendingBefore: 0 }), { erased: 0, anonymised: 0 }, 'kept without confirmedBefore');

          assert.deepEqual(await store.eraseExpired({ pendingBefore: 0, confirmedBefore: T + DAY }), { erased: 0, anonymised: 1 });
          assert.deepEqual(
            await store.eraseExpired({ pendingBefore: 0, confirmedBefore: T + DAY }),
            { erased: 0, anonymised: 0 },
            'idempotent',
          );
          assert.deepEqual([await store.count(CAMPAIGN), await store.partnerCount(CAMPAIGN, 'plovdiv')], [2, 1]);
          assert.ok(
            (await store.claimMails(T + 2 * LEASE_MS, 100, LEASE_MS)).every((job) => job.email !== old.email),
            'no mail to the stripped address is left',
          );
          assert.deepEqual(await store.add({ ...old, createdAt: T + 2 * DAY }), { outcome: 'added' }, 'its email key is gone');
          assert.equal((await store.withdraw(withdraw, T + 2 * DAY)).outcome, 'withdrawn');
          assert.deepEqual([await store.count(CAMPAIGN), await store.partnerCount(CAMPAIGN, 'plovdiv')], [2, 1], 'the new one counts');
        });
      });
    });

    describe('organisers and the public wall', () => {
      const DAY = 24 * 60 * MINUTE;
      /** 2026-11-20T12:00Z */
      const NOV_20 = Date.UTC(2026, 10, 20, 12);

      it('breaks confirmed signatures down by day, country, signer type, organisation kind and partner; counts pending apart', async () => {
        await store.add(newSignature({ createdAt: NOV_20, country: 'BG', partner: 'plovdiv' }));
        await store.add(
          newSignature({
            createdAt: NOV_20 + 1,
            country: 'BG',
            signerType: 'organisation',
            organisation: 'Plovdiv Municipality',
            organisationKind: 'local-authority',
          }),
        );
        await store.add(newSignature({ createdAt: NOV_20 + DAY, country: 'RO', signerType: 'representative', partner: 'plovdiv' }));
        await store.add(newSignature({ createdAt: NOV_20 + 3 * DAY, country: 'other', partner: 'ruse' }));
        await store.add(newSignature({ createdAt: NOV_20, country: 'DE', status: 'pending', partner: 'ruse' }));
        await store.add(newSignature({ createdAt: NOV_20, country: 'DE', campaign: 'other-campaign' }));

        assert.deepEqual(await store.stats(CAMPAIGN), {
          confirmed: 4,
          pending: 1,
          byDay: [
            { key: '2026-11-20', count: 2 },
            { key: '2026-11-21', count: 1 },
            { key: '2026-11-23', count: 1 },
          ],
          byCountry: [
            { key: 'BG', count: 2 },
            { key: 'other', count: 1 },
            { key: 'RO', count: 1 },
          ],
          bySignerType: [
            { key: 'individual', count: 2 },
            { key: 'organisation', count: 1 },
            { key: 'representative', count: 1 },
          ],
          byOrganisationKind: [{ key: 'local-authority', count: 1 }],
          byPartner: [
            { key: 'plovdiv', count: 2 },
            { key: null, count: 1 },
            { key: 'ruse', count: 1 },
          ],
        });
        assert.equal((await store.stats(CAMPAIGN)).confirmed, await store.count(CAMPAIGN), 'the same as the public count');
        assert.deepEqual((await store.stats('nobody-signed')).byDay, []);
      });

      it('exports a campaign page by page in id order, all fields but the email key, optionally one status', async () => {
        const first = newSignature({
          partner: 'plovdiv',
          page: 'https://plovdiv.bg/en',
          lang: 'bg',
          newsletter: true,
          organisation: '=cmd',
          role: 'Mayor',
          organisationKind: 'local-authority',
        });
        await store.add(first);
        const pending = newSignature({ status: 'pending', listPublicly: true });
        await store.add(pending);
        await store.add(newSignature({ campaign: 'other-campaign' }));
        const third = newSignature();
        await store.add(third);

        const page1 = await store.exportPage(CAMPAIGN, { afterId: 0, limit: 2 });
        assert.deepEqual(
          page1.map(({ email }) => email),
          [first.email, pending.email],
        );
        const { id, ...exported } = page1[0]!;
        assert.equal(typeof id, 'number');
        assert.deepEqual(exported, {
          campaign: CAMPAIGN,
          signerType: 'individual',
          name: first.name,
          organisation: '=cmd',
          organisationKind: 'local-authority',
          role: 'Mayor',
          country: 'BG',
          email: first.email,
          partner: 'plovdiv',
          page: 'https://plovdiv.bg/en',
          lang: 'bg',
          newsletter: true,
          listPublicly: false,
          consentVersion: first.consentVersion,
          status: 'confirmed',
          createdAt: first.createdAt,
          confirmedAt: first.createdAt,
        });
        assert.equal(page1[1]!.listPublicly, true);
        assert.equal(page1[1]!.confirmedAt, null);
        const page2 = await store.exportPage(CAMPAIGN, { afterId: page1[1]!.id, limit: 2 });
        assert.deepEqual(
          page2.map(({ email }) => email),
          [third.email],
        );
        assert.deepEqual(await store.exportPage(CAMPAIGN, { afterId: page2[0]!.id, limit: 2 }), []);
        assert.deepEqual(
          (await store.exportPage(CAMPAIGN, { afterId: 0, limit: 10, status: 'pending' })).map(({ email }) => email),
          [pending.email],
        );
      });

      it('erases a signer everywhere, or in one campaign: rows, links and mails go, counts fall, listeners hear', async () => {
        const signer = await store
          .add(newSignature({ emailKey: 'maria@example.org', email: 'Maria@example.org', partner: 'plovdiv' }))
          .then(() => 'maria@example.org');
        await store.add(newSignature({ emailKey: signer, email: signer, campaign: 'other-campaign', status: 'pending' }));
        await store.add(newSignature({ emailKey: signer, email: signer, campaign: 'third-campaign' }));
        await store.add(newSignature({ partner: 'plovdiv' }));
        const heard: Array<[string, number]> = [];
        store.onCount((campaign, count) => heard.push([campaign, count]));

        assert.deepEqual(await store.eraseSigner(signer, 'third-campaign'), { erased: 1 });
        assert.equal(await store.count('third-campaign'), 0);
        assert.deepEqual(await store.eraseSigner(signer), { erased: 2 });
        assert.deepEqual(await store.eraseSigner(signer), { erased: 0 }, 'nothing left');
        assert.deepEqual([await store.count(CAMPAIGN), await store.partnerCount(CAMPAIGN, 'plovdiv')], [1, 1]);
        assert.deepEqual(heard.sort(), [
          [CAMPAIGN, 1],
          ['third-campaign', 0],
        ]);
        const left = [
          ...(await store.exportPage(CAMPAIGN, { afterId: 0, limit: 10 })),
          ...(await store.exportPage('other-campaign', { afterId: 0, limit: 10 })),
        ];
        assert.ok(
          left.every(({ email }) => email.toLowerCase() !== signer),
          'no row of the signer is left',
        );
        assert.ok(
          (await store.claimMails(Date.now() + DAY, 100, LEASE_MS)).every(({ email }) => email.toLowerCase() !== signer),
          'nor a mail',
        );
      });

      it('lists confirmed signers who chose to be listed, newest first, page by page, never with their email', async () => {
        const listed = [];
        for (let i = 0; i < 5; i++) {
          const signature = newSignature({
            listPublicly: true,
            signerType: i % 2 ? 'organisation' : 'individual',
            organisation: i % 2 ? `Org ${i}` : undefined,
          });
          await store.add(signature);
          listed.push(signature);
        }
        await store.add(newSignature({ listPublicly: false }));
        await store.add(newSignature({ listPublicly: true, status: 'pending' }));
        await store.add(newSignature({ listPublicly: true, campaign: 'other-campaign' }));
        // Organisations are listed once approved.
        for (const { id } of await store.wallEntries(CAMPAIGN, { state: 'awaiting', limit: 10, moderateAll: false })) {
          await store.moderate(CAMPAIGN, id, 'approved');
        }

        const page1 = await store.supporters(CAMPAIGN, { limit: 3, moderateAll: false });
        assert.deepEqual(
          page1.map(({ name }) => name),
          [listed[4]!.name, listed[3]!.name, listed[2]!.name],
        );
        assert.deepEqual(Object.keys(page1[1]!).sort(), ['country', 'id', 'name', 'organisation', 'role', 'signerType']);
        assert.equal(page1[1]!.organisation, 'Org 3');
        const page2 = await store.supporters(CAMPAIGN, { limit: 3, beforeId: page1[2]!.id, moderateAll: false });
        assert.deepEqual(
          page2.map(({ name }) => name),
          [listed[1]!.name, listed[0]!.name],
        );
        assert.deepEqual(
          (await store.supporters(CAMPAIGN, { limit: 10, signerType: 'organisation', moderateAll: false })).map(({ name }) => name),
          [listed[3]!.name, listed[1]!.name],
        );
        await store.eraseExpired({ pendingBefore: 0, confirmedBefore: Number.MAX_SAFE_INTEGER });
        assert.deepEqual(
          await store.supporters(CAMPAIGN, { limit: 10, moderateAll: false }),
          [],
          'stripped by retention: no longer listed',
        );
      });

      describe('moderation of the wall', () => {
        const names = (supporters: { name: string }[]) => supporters.map(({ name }) => name);
        const wall = (moderateAll = false) => store.supporters(CAMPAIGN, { limit: 100, moderateAll }).then(names);
        const entries = (state: WallState, moderateAll = false) => store.wallEntries(CAMPAIGN, { state, limit: 100, moderateAll });
        const idOf = async (name: string, state: WallState, moderateAll = false) =>
          (await entries(state, moderateAll)).find((entry) => entry.name === name)!.id;
        const listed = (overrides: Partial<NewSignature>) => store.add(newSignature({ listPublicly: true, ...overrides }));

        it('lists individuals at once, but an organisation or a representative only once an organiser approves it', async () => {
          await listed({ name: 'Maria Ivanova' });
          await listed({
            name: 'Anna Huber',
            signerType: 'organisation',
            organisation: 'Land Niederdonau',
            organisationKind: 'regional-authority',
          });
          await listed({ name: 'Dimitar Dimitrov', signerType: 'representative', role: 'Mayor', organisation: 'Plovdiv' });
          // An API client may send an office with an individual's signature: it is a claim all the same.
          await listed({ name: 'Ivan Ivanov', role: 'Mayor of Ruse' });
          await listed({ name: 'Georgi Petrov', organisation: 'Ruse Municipality' });
          assert.deepEqual(await wall(), ['Maria Ivanova']);

          const awaiting = await entries('awaiting');
          assert.deepEqual(names(awaiting), ['Georgi Petrov', 'Ivan Ivanov', 'Dimitar Dimitrov', 'Anna Huber'], 'newest first');
          const { id, createdAt, ...mayor } = awaiting[2]!;
          assert.equal(typeof id, 'number');
          assert.equal(typeof createdAt, 'number');
          assert.deepEqual(Object.keys(mayor).sort(), [
            'country',
            'email',
            'name',
            'organisation',
            'partner',
            'role',
            'signerType',
            'state',
          ]);
          assert.deepEqual([mayor.role, mayor.organisation, mayor.state], ['Mayor', 'Plovdiv', 'awaiting']);
          assert.match(mayor.email, /@example\.org$/);
          assert.deepEqual(names(await entries('shown')), ['Maria Ivanova']);

          assert.equal(await store.moderate(CAMPAIGN, id, 'approved'), true);
          assert.deepEqual(await wall(), ['Dimitar Dimitrov', 'Maria Ivanova']);
          assert.deepEqual(names(await entries('awaiting')), ['Georgi Petrov', 'Ivan Ivanov', 'Anna Huber']);
          assert.deepEqual(
            (await entries('shown')).map(({ name, state }) => [name, state]),
            [
              ['Dimitar Dimitrov', 'shown'],
              ['Maria Ivanova', 'shown'],
            ],
          );
          const ofType = (signerType: string) => store.supporters(CAMPAIGN, { limit: 100, signerType, moderateAll: false }).then(names);
          assert.deepEqual(await ofType('organisation'), [], 'not approved yet');
          assert.deepEqual(await ofType('representative'), ['Dimitar Dimitrov']);
          assert.deepEqual(await ofType('individual'), ['Maria Ivanova'], 'not those who named an office or an organisation');
        });

        it('lists nobody before approval in a campaign that moderates everyone', async () => {
          await listed({ name: 'Maria Ivanova' });
          await listed({
            name: 'Anna Huber',
            signerType: 'organisation',
            organisation: 'Land Niederdonau',
            organisationKind: 'regional-authority',
          });
          assert.deepEqual(await wall(true), []);
          assert.deepEqual(names(await entries('awaiting', true)), ['Anna Huber', 'Maria Ivanova']);
          assert.equal(await store.moderate(CAMPAIGN, await idOf('Maria Ivanova', 'awaiting', true), 'approved'), true);
          assert.deepEqual(await wall(true), ['Maria Ivanova']);
          assert.deepEqual(names(await entries('awaiting', true)), ['Anna Huber']);
        });

        it('hides any entry from the wall and its pages without touching a count; approving shows it again', async () => {
          await listed({ name: 'Maria Ivanova', partner: 'plovdiv' });
          await listed({ name: 'Sam Jones', partner: 'plovdiv' });
          await listed({
            name: 'Anna Huber',
            signerType: 'organisation',
            organisation: 'Land Niederdonau',
            organisationKind: 'regional-authority',
          });
          const anna = await idOf('Anna Huber', 'awaiting');
          const stats = await store.stats(CAMPAIGN);
          const heard: number[] = [];
          store.onCount((_campaign, count) => heard.push(count));

          assert.equal(await store.moderate(CAMPAIGN, await idOf('Maria Ivanova', 'shown'), 'hidden'), true);
          assert.equal(await store.moderate(CAMPAIGN, anna, 'hidden'), true, 'straight from the queue');
          assert.deepEqual(await wall(), ['Sam Jones']);
          assert.deepEqual(
            names(await store.supporters(CAMPAIGN, { limit: 1, moderateAll: false })),
            ['Sam Jones'],
            'a page fills without it',
          );
          assert.deepEqual(
            (await entries('hidden')).map(({ name, state }) => [name, state]),
            [
              ['Anna Huber', 'hidden'],
              ['Maria Ivanova', 'hidden'],
            ],
          );
          assert.deepEqual(await entries('awaiting'), [], 'hidden is decided: out of the queue');
          assert.equal(await store.moderate(CAMPAIGN, anna, 'hidden'), true, 'again: no change, still found');

          assert.deepEqual([await store.count(CAMPAIGN), await store.partnerCount(CAMPAIGN, 'plovdiv')], [3, 2]);
          assert.deepEqual(await store.stats(CAMPAIGN), stats);
          assert.deepEqual(heard, [], 'no count moved');
          await store.close();
          store = await database.open();
          assert.deepEqual(await wall(), ['Sam Jones'], 'kept');

          assert.equal(await store.moderate(CAMPAIGN, anna, 'approved'), true);
          assert.deepEqual(await wall(), ['Anna Huber', 'Sam Jones']);
          assert.deepEqual(names(await entries('hidden')), ['Maria Ivanova']);
        });

        it('moderates only entries of the wall: listed, confirmed, not stripped, of that campaign', async () => {
          await listed({ name: 'Elsewhere', campaign: 'other-campaign' });
          await listed({ name: 'Pending', status: 'pending' });
          await store.add(newSignature({ name: 'Unlisted', listPublicly: false }));
          const [elsewhere] = await store.wallEntries('other-campaign', { state: 'shown', limit: 1, moderateAll: false });
          assert.equal(await store.moderate(CAMPAIGN, elsewhere!.id, 'hidden'), false, "another campaign's");
          const ids = (await store.exportPage(CAMPAIGN, { afterId: 0, limit: 10 })).map(({ id }) => id);
          assert.equal(ids.length, 2);
          for (const id of [...ids, Math.max(...ids) + 100])
            assert.equal(await store.moderate(CAMPAIGN, id, 'approved'), false, `id ${id}`);
          assert.deepEqual(await store.wallEntries('other-campaign', { state: 'hidden', limit: 1, moderateAll: false }), []);

          await listed({ name: 'Old', createdAt: 1_000 });
          const old = await idOf('Old', 'shown');
          await store.eraseExpired({ pendingBefore: 0, confirmedBefore: 2_000 });
          assert.equal(await store.moderate(CAMPAIGN, old, 'hidden'), false, 'stripped by retention');
          assert.deepEqual(await entries('shown'), []);
        });

        it("pages the organisers' view by cursor, newest first", async () => {
          for (const name of ['A', 'B', 'C']) await listed({ name, signerType: 'representative', role: 'Mayor' });
          const first = await store.wallEntries(CAMPAIGN, { state: 'awaiting', limit: 2, moderateAll: false });
          assert.deepEqual(names(first), ['C', 'B']);
          assert.deepEqual(
            names(await store.wallEntries(CAMPAIGN, { state: 'awaiting', limit: 2, beforeId: first[1]!.id, moderateAll: false })),
            ['A'],
          );
        });
      });

      it('counts baseline entries in the campaign and partner counts until removed; listeners hear; stats and exports hold people only', async () => {
        await store.add(newSignature({ partner: 'plovdiv' }));
        const heard: [string, number][] = [];
        store.onCount((campaign, count) => heard.push([campaign, count]));

        const paper = {
          campaign: CAMPAIGN,
          count: 1200,
          note: 'Paper lists, Plovdiv forum',
          date: '2026-10-01',
          partner: 'plovdiv',
          createdAt: NOV_20,
        };
        const previous = {
          campaign: CAMPAIGN,
          count: 1700,
          note: 'The previous platform',
          date: '2026-06-30',
          partner: null,
          createdAt: NOV_20 + 1,
        };
        const first = await store.addBaseline(paper);
        const second = await store.addBaseline(previous);
        await store.addBaseline({ ...previous, campaign: 'other-campaign', count: 5 });
        assert.deepEqual(first, { id: first.id, count: 1200, note: paper.note, date: '2026-10-01', partner: 'plovdiv', createdAt: NOV_20 });
        assert.deepEqual([await store.count(CAMPAIGN), await store.partnerCount(CAMPAIGN, 'plovdiv')], [2901, 1201]);
        assert.deepEqual(heard, [
          [CAMPAIGN, 1201],
          [CAMPAIGN, 2901],
          ['other-campaign', 5],
        ]);

        await store.close();
        store = await database.open();
        assert.deepEqual(
          (await store.baselineEntries(CAMPAIGN)).map(({ id, count, partner }) => [id, count, partner]),
          [
            [first.id, 1200, 'plovdiv'],
            [second.id, 1700, null],
          ],
          'kept across close and reopen, oldest first, one campaign only',
        );
        const stats = await store.stats(CAMPAIGN);
        assert.deepEqual([stats.confirmed, stats.byPartner], [1, [{ key: 'plovdiv', count: 1 }]], 'the stats count online signatures only');
        assert.equal((await store.exportPage(CAMPAIGN, { afterId: 0, limit: 10 })).length, 1, 'the export holds people only');

        heard.length = 0;
        store.onCount((campaign, count) => heard.push([campaign, count]));
        assert.equal(await store.removeBaseline(CAMPAIGN, first.id), true);
        assert.equal(await store.removeBaseline(CAMPAIGN, first.id), false, 'gone already');
        assert.equal(await store.removeBaseline(CAMPAIGN, 999_999), false);
        assert.equal(await store.removeBaseline('other-campaign', second.id), false, "another campaign's entry is not this one's");
        assert.deepEqual(
          [await store.count(CAMPAIGN), await store.partnerCount(CAMPAIGN, 'plovdiv'), heard],
          [1701, 1, [[CAMPAIGN, 1701]]],
        );
        assert.deepEqual(
          (await store.baselineEntries(CAMPAIGN)).map(({ id }) => id),
          [second.id],
        );
      });

      it('registers, replaces and deletes partners, and keeps them across close and reopen', async () => {
        assert.deepEqual(await store.partners(), []);
        const unlisted = { listed: false, url: null, logo: null, position: 0 };
        await store.savePartner({ id: 'ruse', name: 'Ruse', origins: ['https://ruse.bg'], ...unlisted });
        await store.savePartner({ id: 'plovdiv', name: 'Plovdiv', origins: [], ...unlisted });
        const plovdiv = {
          id: 'plovdiv',
          name: 'Plovdiv Municipality',
          origins: ['https://plovdiv.bg', 'https://www.plovdiv.bg'],
          listed: true,
          url: 'https://plovdiv.bg/',
          logo: 'https://plovdiv.bg/logo.svg',
          position: 2,
        };
        await store.savePartner(plovdiv);
        await store.close();
        store = await database.open();
        assert.deepEqual(await store.partners(), [plovdiv, { id: 'ruse', name: 'Ruse', origins: ['https://ruse.bg'], ...unlisted }]);
        assert.equal(await store.deletePartner('ruse'), true);
        assert.equal(await store.deletePartner('ruse'), false);
        assert.deepEqual(
          (await store.partners()).map(({ id }) => id),
          ['plovdiv'],
        );
      });
    });
  });
}
