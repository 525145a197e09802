/**
 * Storage that fails, end to end: a disk that fills under load, a disk whose fsync is slow or
 * fails, a PostgreSQL that stops. Nothing acknowledged is lost, and what cannot be stored is
 * said plainly: 503 with Retry-After, /healthz 503 meanwhile, and back by itself afterwards.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type Database from 'better-sqlite3';
import { createNodeServer } from '../../server/http/node-server.js';
import { SqliteSignatureStore } from '../../server/store/sqlite-store.js';
import { sqliteColumn, tempFolder } from './support/fixtures.js';
import { postgresBehindSwitch } from './support/postgres-outage.js';
import { createTestSchema, skipWithoutPostgres } from './support/postgres-test-database.js';
import { signAt, startServer } from './support/server-process.js';
import { skipWithoutSmallDisks, smallDisk } from './support/small-disk.js';
import { CAMPAIGN, makeTestApp, signatureBody } from './support/test-app.js';

const MiB = 1024 * 1024;

/** What a store that cannot write answers: 503, when to come back, and the code the widget words. */
async function assertStoreUnavailable(response: Response, what: string) {
  assert.equal(response.status, 503, what);
  assert.equal(response.headers.get('Retry-After'), '60', what);
  assert.equal((await response.json()).error, 'store_unavailable', what);
}

/**
 * 50 signers at once, each signing again as soon as answered, against the server at `url`: until
 * its disk is full, then on while it is; `free` gives it room again, and they go on until 100
 * more are signed. No 500, `/healthz` 503 while full and 200 after, and every acknowledged
 * signature in the database that `database` gives (a path to it, read once the signers stop).
 */
async function fillUnderLoad(url: string, { free, database }: { free: () => void; database: () => string }) {
  const acknowledged: string[] = [];
  const statuses = new Map<number, number>();
  let serial = 0;
  let phase: 'filling' | 'full' | 'freed' | 'over' = 'filling';
  let firstRefusal!: Response;
  let diskFull!: () => void;
  const full = new Promise<void>((resolve) => (diskFull = resolve));
  let signedAfterwards = 0;
  const signer = async () => {
    while (phase !== 'over' && (phase !== 'freed' || signedAfterwards < 100)) {
      const email = `fill.${++serial}@example.org`;
      const response = await signAt(url, email).catch((error) => {
        if (phase === 'over') return new Response(null, { status: 599 });
        throw error;
      });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status === 201) {
        acknowledged.push(email);
        if (phase === 'freed') signedAfterwards++;
      } else if (phase === 'filling') {
        phase = 'full';
        firstRefusal = response;
        diskFull();
      } else {
        await response.body?.cancel();
      }
    }
  };
  const signers = Promise.all(Array.from({ length: 50 }, signer));
  try {
    await full;
    await assertStoreUnavailable(firstRefusal, 'the first signature refused');
    await assertStoreUnavailable(await fetch(`${url}/healthz`), '/healthz while the disk is full');
    assert.equal((await signAt(url, 'one.more@example.org')).status, 503, 'still full');

    free();
    assert.equal((await fetch(`${url}/healthz`)).status, 200, '/healthz once there is room');
    phase = 'freed';
    await signers;
  } finally {
    phase = 'over';
    diskFull();
    await signers.catch(() => undefined);
  }

  assert.deepEqual([...statuses.keys()].sort(), [201, 503], `answers: ${JSON.stringify([...statuses])}`);
  const file = database();
  assert.deepEqual(sqliteColumn(file, 'PRAGMA integrity_check'), ['ok']);
  const stored = new Set(sqliteColumn(file, 'SELECT email FROM signatures'));
  const lost = acknowledged.filter((email) => !stored.has(email));
  assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged signatures lost`);
}

describe('a SQLite server whose disk fills up under load', { skip: skipWithoutSmallDisks }, () => {
  it('answers 503 with Retry-After and never 500, says so on /healthz, comes back once there is room, and loses nothing acknowledged', async () => {
    const disk = smallDisk({ size: 8 * MiB, room: MiB });
    const copies = tempFolder();
    const server = await startServer({ DATABASE_URL: join(disk.path, 'cohesion.sqlite') }, disk.launcher);
    try {
      await fillUnderLoad(server.url, {
        free: () => disk.free(server.child.pid!),
        database: () => disk.copyDatabase(server.child.pid!, 'cohesion.sqlite', copies.path),
      });
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      disk.remove();
      copies.remove();
    }
  });
});

// Where no small disk can be mounted, and everywhere as well: the same load against SQLite's own
// SQLITE_FULL, which it gives when the file reaches the connection's max_page_count.
describe('a SQLite store that reaches its size limit under load', () => {
  it('answers as a full disk: 503 and never 500, /healthz 503, back once there is room, nothing acknowledged lost', async () => {
    const folder = tempFolder();
    const file = join(folder.path, 'limited.sqlite');
    const store = SqliteSignatureStore.open(file);
    const t = await makeTestApp({ DOUBLE_OPT_IN: 'off' }, { store });
    const server = createNodeServer(t.app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    // The store's own connection: the limit is that connection's.
    const { db } = store as unknown as { db: Database.Database };
    const pages = () => db.pragma('page_count', { simple: true }) as number;
    try {
      db.pragma(`max_page_count = ${pages() + 64}`);
      await fillUnderLoad(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, {
        free: () => db.pragma('max_page_count = 1073741823'),
        database: () => file,
      });
    } finally {
      server.closeAllConnections();
      server.close();
      await t.close();
      folder.remove();
    }
  });
});

describe('a server whose PostgreSQL stops', { skip: skipWithoutPostgres }, () => {
  it('answers 503 with Retry-After meanwhile, to writes, reads and /healthz, and serves again once PostgreSQL is back', async () => {
    const schema = await createTestSchema();
    const postgres = await postgresBehindSwitch(schema.url);
    const t = await makeTestApp({ DATABASE_URL: postgres.url, DOUBLE_OPT_IN: 'off' });
    try {
      assert.equal((await t.post(signatureBody({ email: 'before@example.org' }))).status, 201);
      await postgres.stop();
      await assertStoreUnavailable(await t.post(signatureBody({ email: 'during@example.org' })), 'signing');
      await assertStoreUnavailable(await t.request('/healthz'), '/healthz');
      await assertStoreUnavailable(await t.request(`/api/campaigns/${CAMPAIGN}/supporters`), 'a read');
      await postgres.start();
      assert.equal((await t.request('/healthz')).status, 200);
      assert.equal((await t.post(signatureBody({ email: 'after@example.org' }))).status, 201);
    } finally {
      await t.close();
      await postgres.close();
      await schema.drop();
    }
  });
});
