/**
 * The SQLite store acknowledges a write only once it is on disk: after an fsync of the WAL that
 * began after its commit (see server/store/sqlite-wal-sync.ts), on the event loop where the disk
 * is fast and on the thread pool where it is slow. fs.fdatasync and fs.fdatasyncSync are watched
 * (and the first held back) here to see the order.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { SignatureStore } from '../../server/store/signature-store.js';
import { SqliteSignatureStore } from '../../server/store/sqlite-store.js';
import { WalSync } from '../../server/store/sqlite-wal-sync.js';
import { newSignature, tempFolder } from './support/fixtures.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

const realSync = fs.fdatasync;
const realSyncNow = fs.fdatasyncSync;

/** Puts `sync` and `syncNow` in place of fs.fdatasync and fs.fdatasyncSync, for the ESM imports too. */
function watchSyncs(sync: typeof fs.fdatasync, syncNow: typeof fs.fdatasyncSync) {
  fs.fdatasync = sync;
  fs.fdatasyncSync = syncNow;
  syncBuiltinESMExports();
}

function restoreSyncs() {
  watchSyncs(realSync, realSyncNow);
}

describe('SQLite store durability, syncs on the thread pool (a slow disk)', () => {
  const folder = tempFolder();
  /** fsyncs asked for and not yet let through. */
  const heldBack: Array<() => void> = [];
  let store: SignatureStore;

  before(() => {
    store = SqliteSignatureStore.open(join(folder.path, 'durable.sqlite'), { walSync: { onLoopUpToMs: 0 } });
    const holdingSync = (fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
      heldBack.push(() => realSync(fd, callback));
    };
    const noSyncNow = () => assert.fail('no fsync on the event loop');
    watchSyncs(holdingSync as typeof fs.fdatasync, noSyncNow);
  });

  after(async () => {
    restoreSyncs();
    await store.close();
    folder.remove();
  });

  it('acknowledges a signature only after an fsync that began after its commit', async () => {
    const acknowledged: string[] = [];
    const first = store.add(newSignature()).then(() => acknowledged.push('first'));
    await settle();
    assert.equal(heldBack.length, 1, 'one fsync asked for');
    assert.equal(acknowledged.length, 0, 'not acknowledged before the fsync');

    // Committed while that fsync runs: it needs the next one.
    const second = store.add(newSignature()).then(() => acknowledged.push('second'));
    await settle();
    heldBack.shift()!();
    await first;
    await settle();
    assert.deepEqual(acknowledged, ['first']);

    assert.equal(heldBack.length, 1, 'a second fsync for the second commit');
    heldBack.shift()!();
    await second;
    assert.deepEqual(acknowledged, ['first', 'second']);
  });

  it('makes the mail queue\'s writes durable too', async () => {
    let claimed = false;
    const claiming = store.claimMails(Date.now() + 60_000, 10, 60_000).then(() => (claimed = true));
    await settle();
    assert.equal(claimed, false);
    heldBack.shift()!();
    await claiming;
  });
});

describe('SQLite store durability, syncs on the event loop (a fast disk)', () => {
  const folder = tempFolder();
  const file = join(folder.path, 'durable.sqlite');
  let store: SignatureStore;
  let reader: Database.Database;

  before(() => {
    store = SqliteSignatureStore.open(file);
    reader = new Database(file, { readonly: true });
  });

  after(async () => {
    restoreSyncs();
    reader.close();
    await store.close();
    folder.remove();
  });

  it('fsyncs the WAL right after the commit, and only then acknowledges', async () => {
    const events: string[] = [];
    const countRows = () => reader.prepare('SELECT count(*) FROM signatures').pluck().get() as number;
    const before = countRows();
    const noPoolSync = () => assert.fail('no fsync on the thread pool while the disk is fast');
    watchSyncs(noPoolSync as unknown as typeof fs.fdatasync, (fd) => {
      // What another connection sees at the moment of the fsync: the commit is in the WAL already.
      events.push(`fsync with ${countRows() - before} new`);
      realSyncNow(fd);
    });
    await Promise.all([
      store.add(newSignature()).then(() => events.push('acknowledged')),
      store.add(newSignature()).then(() => events.push('acknowledged')),
    ]);
    assert.deepEqual(events, ['fsync with 2 new', 'acknowledged', 'acknowledged'], 'one group commit, one fsync');
  });
});

describe('WalSync', () => {
  const folder = tempFolder();
  const file = join(folder.path, 'some-wal');
  let clock = 0;
  /** How long each fsync takes, by the test's clock. */
  let syncMs = 0;
  const seen = { onLoop: 0, onPool: 0 };

  before(() => {
    fs.writeFileSync(file, 'WAL');
    watchSyncs(
      ((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
        seen.onPool++;
        realSync(fd, callback);
      }) as typeof fs.fdatasync,
      (fd) => {
        seen.onLoop++;
        clock += syncMs;
        realSyncNow(fd);
      },
    );
  });
  afterEach(() => Object.assign(seen, { onLoop: 0, onPool: 0 }));
  after(() => {
    restoreSyncs();
    folder.remove();
  });

  it('moves the fsyncs off the event loop once their median is slow, and tries the loop again later', async () => {
    const sync = new WalSync(file, { onLoopUpToMs: 4, now: () => clock });
    const syncs = async (count: number) => {
      for (let i = 0; i < count; i++) await sync.durable();
    };
    // Fast, with an outlier: a median of 16 is not moved by one slow sync.
    syncMs = 0.5;
    await syncs(15);
    syncMs = 50;
    await syncs(1);
    syncMs = 0.5;
    await syncs(16);
    assert.deepEqual(seen, { onLoop: 32, onPool: 0 });
    assert.equal(sync.offLoop, false);

    // Slow: after 16 of them, the rest go to the thread pool.
    syncMs = 5;
    await syncs(20);
    assert.deepEqual(seen, { onLoop: 48, onPool: 4 });
    assert.equal(sync.offLoop, true);

    // Ten seconds on, the disk is measured again on the loop, and stays there if it is fast.
    clock += 10_000;
    syncMs = 0.5;
    await syncs(20);
    assert.deepEqual(seen, { onLoop: 68, onPool: 4 });
    assert.equal(sync.offLoop, false);
    await sync.close();
  });

  it('never syncs on the loop with onLoopUpToMs 0', async () => {
    const sync = new WalSync(file, { onLoopUpToMs: 0, now: () => clock });
    await Promise.all([sync.durable(), sync.durable()]);
    await sync.durable();
    assert.equal(seen.onLoop, 0);
    assert.ok(seen.onPool >= 2 && seen.onPool <= 3, `${seen.onPool} fsyncs for three calls, two of them together`);
    await sync.close();
  });
});
