/** Link tokens: their shape, the store's keys for them, and links mailed before tokens carried their signature's id. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { hashLinkToken, isLinkToken, newLinkToken } from '../../server/link-tokens.js';
import { countOf } from './support/signer-links.js';
import { makeTestApp, NOW, signatureBody, type TestApp } from './support/test-app.js';

describe('link tokens', () => {
  it("start with their signature's id, then 256 random bits; the store's key starts with the id, padded", () => {
    const { token, hash } = newLinkToken(42);
    assert.match(token, /^42\.[A-Za-z0-9_-]{43}$/);
    assert.match(hash, /^000000000000042:[0-9a-f]{64}$/);
    assert.equal(hashLinkToken(token), hash);
    assert.notEqual(newLinkToken(42).token, token, 'random');
    assert.ok(isLinkToken(token));
  });

  it('have keys in the order of their ids, so new ones are stored at the end of the index', () => {
    const keys = [9, 10, 99, 100, 12345, 999_999_999].map((id) => newLinkToken(id).hash);
    assert.deepEqual([...keys].sort(), keys);
  });

  it('keep the plain hash as the key of a token without an id, as mailed before', () => {
    const legacy = randomBytes(32).toString('base64url');
    assert.ok(isLinkToken(legacy));
    assert.match(hashLinkToken(legacy), /^[0-9a-f]{64}$/);
  });

  it('refuse what has not their shape', () => {
    for (const value of [
      '',
      'nope',
      '0.' + 'A'.repeat(43),
      '1.' + 'A'.repeat(42),
      `${'9'.repeat(16)}.${'A'.repeat(43)}`,
      `1.${'A'.repeat(43)}=`,
      42,
      null,
    ]) {
      assert.equal(isLinkToken(value), false, String(value));
    }
  });

  describe('a link mailed before tokens carried the id', () => {
    let t: TestApp;
    before(async () => (t = await makeTestApp()));
    after(() => t.close());

    it('still confirms its signature', async () => {
      assert.equal((await t.post(signatureBody())).status, 202);
      const [job] = await t.store.claimMails(NOW, 10, 60_000);
      const legacy = randomBytes(32).toString('base64url');
      await t.store.addLinkTokens([
        { signatureId: job!.signatureId, queuedAt: job!.queuedAt, hash: hashLinkToken(legacy), purpose: 'confirm', expiresAt: null },
      ]);
      const response = await t.request('/confirm', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: legacy }).toString(),
      });
      assert.equal(response.status, 200);
      assert.equal(await countOf(t), 1);
    });
  });
});
