/**
 * The SQLite store acknowledges a write only once it is on disk, and no other connection sees it
 * before: SQLite's own `synchronous=FULL`, which syncs the WAL inside each COMMIT. A sync that
 * fails leaves the store refusing writes and the server stopping, as PostgreSQL does. The syncs
 * of a real server process are held back or failed here (support/fsync-fault.ts).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sqliteColumn, tempFolder } from './support/fixtures.js';
import { buildFsyncFault, skipWithoutFsyncFaults, type FsyncFault } from './support/fsync-fault.js';
import { signAt, startServer } from './support/server-process.js';

describe('a SQLite server whose fsync is slow or fails', { skip: skipWithoutFsyncFaults }, () => {
  let fault: FsyncFault;
  const folder = tempFolder();
  before(() => (fault = buildFsyncFault()));
  after(() => {
    fault.remove();
    folder.remove();
  });

  it('lets no other connection see a signature before its fsync is done, and acknowledges it only then', async () => {
    const file = join(folder.path, 'slow.sqlite');
    const server = await startServer({ DATABASE_URL: file, ...fault.env });
    try {
      const stored = () => sqliteColumn(file, "SELECT count(*) FROM signatures WHERE email = 'slow@example.org'")[0];
      fault.hold();
      let answered = false;
      const signing = signAt(server.url, 'slow@example.org').then((response) => ((answered = true), response));
      await fault.held();
      assert.equal(stored(), 0, 'seen by another connection while its fsync was under way');
      assert.equal(answered, false);
      fault.release();
      assert.equal((await signing).status, 201);
      assert.equal(stored(), 1);
    } finally {
      fault.release();
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('refuses with 503 once an fsync fails, then stops with a non-zero exit code, keeping what it acknowledged', async () => {
    const file = join(folder.path, 'failing.sqlite');
    const server = await startServer({ DATABASE_URL: file, LOG_LEVEL: 'error', ...fault.env });
    try {
      for (const email of ['kept.1@example.org', 'kept.2@example.org']) assert.equal((await signAt(server.url, email)).status, 201);
      fault.fail();
      const refused = await signAt(server.url, 'lost@example.org');
      assert.equal(refused.status, 503);
      assert.equal(refused.headers.get('Retry-After'), '60');
      assert.equal((await refused.json()).error, 'store_unavailable');
      assert.notEqual(await server.exited, 0);
      assert.match(server.stdout(), /"event":"store_failed"/);
    } finally {
      server.child.kill('SIGKILL');
    }
    // Opened again, without the fault: SQLite recovers the file from its WAL.
    assert.deepEqual(sqliteColumn(file, 'PRAGMA integrity_check'), ['ok']);
    const stored = sqliteColumn(file, 'SELECT email FROM signatures');
    for (const email of ['kept.1@example.org', 'kept.2@example.org']) assert.ok(stored.includes(email), email);
  });
});
