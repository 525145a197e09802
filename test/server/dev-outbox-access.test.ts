/**
 * The development outbox shows signers' addresses and links, so it is for this machine only:
 * the settings refuse a public PUBLIC_URL without SMTP_URL, and /dev/outbox answers only a
 * browser on this machine that does not come through a proxy, and that asked for it by one of
 * this machine's own names (a page elsewhere can point a name of its own at 127.0.0.1: DNS
 * rebinding).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createNodeServer } from '../../server/http/node-server.js';
import { makeTestApp, signatureBody, type TestApp } from './support/test-app.js';

describe('the development outbox, from where', () => {
  let t: TestApp;
  before(async () => {
    t = await makeTestApp({});
    await t.post(signatureBody());
    await t.mail.worker.wake();
  });
  after(() => t.close());

  const outboxFrom = (address: string, headers: Record<string, string> = {}) => t.request('/dev/outbox', { headers }, { from: address });

  for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
    it(`opens for this machine (${address})`, async () => {
      const response = await outboxFrom(address);
      assert.equal(response.status, 200);
      assert.match(await response.text(), /maria\.ivanova@example\.org/);
      assert.equal((await t.request('/dev/outbox/1.html', {}, { from: address })).status, 200);
    });
  }

  for (const address of ['203.0.113.7', '192.168.1.20', '2001:db8::7']) {
    it(`is not there for another machine (${address})`, async () => {
      const response = await outboxFrom(address);
      assert.equal(response.status, 404);
      assert.doesNotMatch(await response.text(), /maria/i);
      const htmlPart = await t.request('/dev/outbox/1.html', {}, { from: address });
      assert.equal(htmlPart.status, 404, 'nor the HTML part of a mail');
      assert.doesNotMatch(await htmlPart.text(), /maria/i);
    });
  }

  for (const host of ['localhost', 'localhost:8787', '127.0.0.1:8787', '[::1]:8787', 'sign.localhost:8787']) {
    it(`opens under this machine's name ${host}`, async () => {
      assert.equal((await t.request(`http://${host}/dev/outbox`, {}, { from: '127.0.0.1' })).status, 200);
    });
  }

  for (const host of ['evil.example', 'evil.example:8787', 'localhost.evil.example', '127.0.0.1.nip.io:8787', '0.0.0.0:8787']) {
    it(`is not there under another name for this machine (${host})`, async () => {
      const response = await t.request(`http://${host}/dev/outbox`, {}, { from: '127.0.0.1' });
      assert.equal(response.status, 404);
      assert.doesNotMatch(await response.text(), /maria/i);
    });
  }

  it('reads the name from the Host header over real HTTP', async () => {
    const server = createNodeServer(t.app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const statusFor = (host: string) =>
      new Promise<number>((resolve, reject) =>
        http
          .get({ host: '127.0.0.1', port, path: '/dev/outbox', headers: { Host: host } }, (response) => {
            response.resume();
            resolve(response.statusCode!);
          })
          .once('error', reject),
      );
    try {
      assert.equal(await statusFor(`localhost:${port}`), 200);
      assert.equal(await statusFor(`evil.example:${port}`), 404);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('is not there through a proxy on this machine', async () => {
    const proxied: Array<Record<string, string>> = [{ 'X-Forwarded-For': '203.0.113.7' }, { Forwarded: 'for=203.0.113.7' }];
    for (const headers of proxied) {
      assert.equal((await outboxFrom('127.0.0.1', headers)).status, 404);
    }
  });
});
