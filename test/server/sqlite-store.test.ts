import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openStore } from '../../server/store/open-store.js';
import { MIGRATIONS } from '../../server/store/sqlite-migrations.js';
import type { NewSignature } from '../../server/store/signature-store.js';
import { newSignature, tempFolder } from './fixtures.js';
import { storeContract } from './store-contract.js';

storeContract('SQLite', async () => {
  const folder = tempFolder();
  const file = join(folder.path, 'signatures.sqlite');
  return { open: () => openStore(file), destroy: async () => folder.remove() };
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

  it('says PostgreSQL is not supported yet, without echoing the URL', async () => {
    await assert.rejects(openStore('postgres://admin:s3cret@db.example.org/cohesion'), (error: Error) => {
      assert.match(error.message, /not supported yet/);
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

  it('keeps every acknowledged signature when the process is killed with SIGKILL', async () => {
    const folder = tempFolder();
    const file = join(folder.path, 'crash.sqlite');
    try {
      const acknowledged = await signUntilKilled(file, 300);
      assert.ok(acknowledged >= 300, `only ${acknowledged} acknowledged`);
      const store = await openStore(file);
      const count = await store.count('cohesion-alliance');
      await store.close();
      assert.ok(count >= acknowledged, `${acknowledged} acknowledged, ${count} kept`);
    } finally {
      folder.remove();
    }
  });
});

/**
 * Runs a child process that signs in a loop and prints each acknowledgement; kills it with
 * SIGKILL once `atLeast` were acknowledged, and returns how many were.
 */
async function signUntilKilled(file: string, atLeast: number): Promise<number> {
  const storeModule = fileURLToPath(new URL('../../server/store/open-store.ts', import.meta.url));
  const script = `
    const { openStore } = await import(${JSON.stringify(storeModule)});
    const store = await openStore(${JSON.stringify(file)});
    for (let i = 0; ; i++) {
      const email = 'crash' + i + '@example.org';
      await Promise.all(Array.from({ length: 10 }, (_, j) => store.add({
        campaign: 'cohesion-alliance', emailKey: j + email, email: j + email, signerType: 'individual',
        name: 'Crash test', country: 'BG', newsletter: false, listPublicly: false,
        consentVersion: 'v1', status: 'confirmed', createdAt: Date.now(),
      })));
      process.stdout.write('10\\n');
    }`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let acknowledged = 0;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    // Counting stops at the kill: lines still in the pipe were acknowledged too, so they count.
    acknowledged += chunk.split('\n').filter(Boolean).length * 10;
    if (acknowledged >= atLeast) child.kill('SIGKILL');
  });
  await exited;
  return acknowledged;
}
