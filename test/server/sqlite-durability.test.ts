/**
 * The SQLite store acknowledges a write only once it is on disk: after an fsync of the WAL that
 * began after its commit (see server/store/sqlite-wal-sync.ts). fs.fdatasync is held back here to
 * watch the order.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../server/store/open-store.js';
import type { SignatureStore } from '../../server/store/signature-store.js';
import { newSignature, tempFolder } from './fixtures.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('SQLite store durability', () => {
  const folder = tempFolder();
  const realSync = fs.fdatasync;
  /** fsyncs asked for and not yet let through. */
  const heldBack: Array<() => void> = [];
  let store: SignatureStore;

  before(async () => {
    store = await openStore(join(folder.path, 'durable.sqlite'));
    const holdingSync = (fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
      heldBack.push(() => realSync(fd, callback));
    };
    fs.fdatasync = holdingSync as typeof fs.fdatasync;
    syncBuiltinESMExports();
  });

  after(async () => {
    fs.fdatasync = realSync;
    syncBuiltinESMExports();
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

  it('makes the mail outbox\'s writes durable too', async () => {
    let claimed = false;
    const claiming = store.claimMails(Date.now() + 60_000, 10, 60_000).then(() => (claimed = true));
    await settle();
    assert.equal(claimed, false);
    heldBack.shift()!();
    await claiming;
  });
});
