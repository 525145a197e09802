/**
 * The development outbox shows signers' addresses and links, so it is for this machine only:
 * the settings refuse a public PUBLIC_URL without SMTP_URL, and /dev/outbox answers only a
 * browser on this machine that does not come through a proxy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fromAddress, makeTestApp, signatureBody, type TestApp } from './support/test-app.js';

describe('the development outbox, from where', () => {
  let t: TestApp;
  before(async () => {
    t = await makeTestApp({});
    await t.post(signatureBody());
    await t.mail.worker.wake();
  });
  after(() => t.close());

  const outboxFrom = (address: string, headers: Record<string, string> = {}) =>
    t.app.request('/dev/outbox', { headers }, fromAddress(address));

  for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
    it(`opens for this machine (${address})`, async () => {
      const response = await outboxFrom(address);
      assert.equal(response.status, 200);
      assert.match(await response.text(), /maria\.ivanova@example\.org/);
    });
  }

  for (const address of ['203.0.113.7', '192.168.1.20', '2001:db8::7']) {
    it(`is not there for another machine (${address})`, async () => {
      const response = await outboxFrom(address);
      assert.equal(response.status, 404);
      assert.doesNotMatch(await response.text(), /maria/i);
    });
  }

  it('is not there through a proxy on this machine', async () => {
    const proxied: Array<Record<string, string>> = [{ 'X-Forwarded-For': '203.0.113.7' }, { Forwarded: 'for=203.0.113.7' }];
    for (const headers of proxied) {
      assert.equal((await outboxFrom('127.0.0.1', headers)).status, 404);
    }
  });
});
