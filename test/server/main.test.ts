import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../server/store/open-store.js';
import { tempFolder } from './fixtures.js';
import { signatureBody } from './test-app.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function startMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('server/main.ts', () => {
  it('exits 1 with the message of a bad setting', async () => {
    const main = startMain({ PORT: 'abc' });
    assert.equal(await main.exited, 1);
    assert.match(main.stderr(), /PORT must be an integer 1-65535, got "abc"/);
  });

  it('exits 1 when DATABASE_URL names PostgreSQL', async () => {
    const main = startMain({ DATABASE_URL: 'postgres://db.example.org/cohesion' });
    assert.equal(await main.exited, 1);
    assert.match(main.stderr(), /PostgreSQL is not supported yet/);
  });

  it('serves, and on SIGTERM stops with every acknowledged signature stored', async () => {
    const folder = tempFolder();
    const file = join(folder.path, 'data', 'cohesion.sqlite');
    const port = await freePort();
    const main = startMain({ PORT: String(port), DATABASE_URL: file, DOUBLE_OPT_IN: 'off' });
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitUntilHealthy(url);
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          fetch(`${url}/api/campaigns/cohesion-alliance/signatures`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(signatureBody({ email: `main${i}@example.org` })),
          }),
        ),
      );
      assert.deepEqual(new Set(responses.map((response) => response.status)), new Set([201]));
      main.child.kill('SIGTERM');
      assert.equal(await main.exited, 0);
      const store = await openStore(file);
      assert.equal(await store.count('cohesion-alliance'), 20);
      await store.close();
    } finally {
      main.child.kill('SIGKILL');
      folder.remove();
    }
  });
});

async function waitUntilHealthy(url: string) {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the server did not become healthy within 10 s');
}
