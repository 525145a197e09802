import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openStore } from '../../server/store/open-store.js';
import { MIGRATIONS } from '../../server/store/sqlite-migrations.js';
import type { NewSignature } from '../../server/store/signature-store.js';
import { SqliteSignatureStore } from '../../server/store/sqlite-store.js';
import { newSignature, tempFolder } from './support/fixtures.js';
import { assertMailQueueMoved, storeContract } from './support/store-contract.js';

storeContract('SQLite', async () => {
  const folder = tempFolder();
  const file = join(folder.path, 'signatures.sqlite');
  const others: Database.Database[] = [];
  return {
    open: () => openStore(file),
    // Another process holds the write lock, and the store does not wait for it.
    async openFaulty() {
      const store = SqliteSignatureStore.open(file, { busyTimeoutMs: 0 });
      const otherProcess = new Database(file);
      others.push(otherProcess);
      return {
        store,
        takeAway: async () => void otherProcess.exec('BEGIN IMMEDIATE'),
        giveBack: async () => void otherProcess.exec('ROLLBACK'),
      };
    },
    async destroy() {
      for (const other of others) other.close();
      folder.remove();
    },
  };
});

describe('SQLite store', () => {
  it('creates the missing folder, and the schema at the latest version', async () => {
    const folder = tempFolder();
    const file = join(folder.path, 'nested', 'deeper', 'cohesion.sqlite');
    try {
      const store = await openStore(file);
      await store.close();
      assert.ok(existsSync(file));
      const db = new Database(file, { readonly: true });
      assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      db.close();
    } finally {
      folder.remove();
    }
  });

  it('refuses a database from a newer server', async () => {
    const folder = tempFolder();
    const file = join(folder.path, 'future.sqlite');
    try {
      const db = new Database(file);
      db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
      db.close();
      await assert.rejects(openStore(file), /newer than this server knows/);
    } finally {
      folder.remove();
    }
  });

  it('moves the mails queued in the outbox of schema 5 into their signatures, due as they were', async () => {
    const folder = tempFolder();
    const file = join(folder.path, 'schema5.sqlite');
    try {
      const db = new Database(file);
      for (const migration of MIGRATIONS.slice(0, 5)) db.exec(migration);
      db.pragma('user_version = 5');
      const insert = db.prepare(`
        INSERT INTO signatures (campaign, email_key, signer_type, name, country, email, newsletter, list_publicly, consent_version, status, created_at)
        VALUES ('cohesion-alliance', ?, 'individual', 'Maria', 'BG', ?, 0, 0, 'v1', 'pending', 1000)`);
      const [retried, queuedTwice, sent] = ['a@example.org', 'b@example.org', 'c@example.org'].map(
        (email) => insert.run(email, email).lastInsertRowid as number,
      );
      const queue = db.prepare('INSERT INTO mail_outbox (signature_id, attempts, next_attempt_at) VALUES (?, ?, ?)');
      queue.run(retried, 2, 5000);
      queue.run(queuedTwice, 0, 3000);
      queue.run(queuedTwice, 1, 4000);
      db.close();

      const store = await openStore(file);
      try {
        await assertMailQueueMoved(store, { retried, queuedTwice, sent });
      } finally {
        await store.close();
      }
    } finally {
      folder.remove();
    }
  });

  it('sends the listed organisations and representatives signed before moderation to the review queue; individuals stay listed', async () => {
    const folder = tempFolder();
    const file = join(folder.path, 'before-moderation.sqlite');
    try {
      const db = new Database(file);
      const moderation = MIGRATIONS.findIndex((migration) => migration.includes('ADD COLUMN moderation'));
      assert.ok(moderation > 0);
      for (const migration of MIGRATIONS.slice(0, moderation)) db.exec(migration);
      db.pragma(`user_version = ${moderation}`);
      const insert = db.prepare(`
        INSERT INTO signatures (campaign, email_key, signer_type, name, organisation, role, country, email, newsletter, list_publicly, consent_version, status, created_at)
        VALUES ('cohesion-alliance', @email, @signerType, @name, @organisation, @role, 'BG', @email, 0, 1, 'v1', 'confirmed', 1000)`);
      insert.run({ email: 'a@example.org', signerType: 'individual', name: 'Maria', organisation: null, role: null });
      insert.run({ email: 'b@example.org', signerType: 'representative', name: 'Dimitar', organisation: 'Plovdiv', role: 'Mayor' });
      insert.run({ email: 'c@example.org', signerType: 'organisation', name: 'Anna', organisation: 'Land Niederdonau', role: null });
      db.close();

      const store = await openStore(file);
      try {
        const names = (rows: { name: string }[]) => rows.map(({ name }) => name);
        assert.deepEqual(names(await store.supporters('cohesion-alliance', { limit: 10, moderateAll: false })), ['Maria']);
        assert.deepEqual(names(await store.wallEntries('cohesion-alliance', { state: 'awaiting', limit: 10, moderateAll: false })), [
          'Anna',
          'Dimitar',
        ]);
      } finally {
        await store.close();
      }
    } finally {
      folder.remove();
    }
  });

  it('says what DATABASE_URL may be when it is a URL of another kind, without echoing it', async () => {
    await assert.rejects(openStore('mysql://admin:s3cret@db.example.org/cohesion'), (error: Error) => {
      assert.match(error.message, /SQLite file path .* postgres:\/\/ URL/);
      assert.doesNotMatch(error.message, /s3cret/);
      return true;
    });
  });

  it('rejects only the bad signature of a batch and commits the others', async () => {
    const folder = tempFolder();
    const store = await openStore(join(folder.path, 'batch.sqlite'));
    try {
      const bad = newSignature({ status: 'withdrawn' as NewSignature['status'] });
      const results = await Promise.allSettled([store.add(newSignature()), store.add(bad), store.add(newSignature())]);
      assert.deepEqual(
        results.map((result) => result.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      assert.equal(await store.count('cohesion-alliance'), 2);
    } finally {
      await store.close();
      folder.remove();
    }
  });
});
