import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openStore } from '../../server/store/open-store.js';
import { tempFolder } from './support/fixtures.js';
import { freePort, startMain, waitUntilHealthy } from './support/server-process.js';
import { signatureBody } from './support/test-app.js';

describe('server/main.ts', () => {
  it('exits 1 with the message of a bad setting', async () => {
    const main = startMain({ PORT: 'abc' });
    assert.equal(await main.exited, 1);
    assert.match(main.stderr(), /PORT must be an integer 1-65535, got "abc"/);
  });

  it('refuses to serve a public PUBLIC_URL while the privacy notice names the sample controller, naming the file to fill in', async () => {
    const folder = tempFolder();
    try {
      const env = { PUBLIC_URL: 'https://sign.example.eu', SMTP_URL: 'smtp://127.0.0.1:2525', DATABASE_URL: join(folder.path, 'x.sqlite') };
      const main = startMain(env);
      assert.equal(await main.exited, 1);
      assert.equal(
        main.stderr().trim(),
        'The privacy notice names no controller, or the sample\'s: fill in "controller" (name, address, email) in ' +
          'campaigns/cohesion-alliance/campaign.json before serving it at https://sign.example.eu.',
      );
    } finally {
      folder.remove();
    }
  });

  it('exits 1 with one line naming the port and the PORT setting when the port is taken', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const folder = tempFolder();
    try {
      const { port } = taken.address() as AddressInfo;
      const main = startMain({ PORT: String(port), DATABASE_URL: join(folder.path, 'busy.sqlite') });
      assert.equal(await main.exited, 1);
      assert.equal(
        main.stderr().trim(),
        `Port ${port} is in use by another program: stop that program, or choose another port with the PORT setting (PORT=8788 npm start).`,
      );
    } finally {
      taken.close();
      folder.remove();
    }
  });

  it('exits 1 when the PostgreSQL database cannot be reached, without echoing the password', async () => {
    const main = startMain({ DATABASE_URL: 'postgres://cohesion:s3cret-word@127.0.0.1:1/cohesion' });
    assert.equal(await main.exited, 1);
    assert.match(main.stderr(), /DATABASE_URL: could not open the PostgreSQL database/);
    assert.doesNotMatch(main.stderr(), /s3cret-word/);
  });

  it('serves, and on SIGTERM stops with every acknowledged signature stored', async () => {
    const folder = tempFolder();
    const file = join(folder.path, 'data', 'cohesion.sqlite');
    const port = await freePort();
    // Twenty signatures at once from one address, without proofs of work: a load test.
    const main = startMain({
      PORT: String(port),
      DATABASE_URL: file,
      DOUBLE_OPT_IN: 'off',
      BOT_PROTECTION: 'off',
      RATE_LIMIT: 'off',
      LOG_LEVEL: 'warn',
    });
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitUntilHealthy(url);
      assert.match(main.stdout(), new RegExp(`^open http://localhost:${port}/$`, 'm'), 'a plain line to open');
      assert.match(main.stdout(), /"event":"privacy_notice_sample"/, 'on this machine it starts, and says what to fill in before launch');
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
