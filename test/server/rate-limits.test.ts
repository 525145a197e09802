/**
 * Rate limits (RATE_LIMIT on): signing per client address and per email address, event streams
 * open at once per client address; 429 with Retry-After; proxy headers only with TRUST_PROXY.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { clientKey } from '../../server/http/client-address.js';
import { createNodeServer } from '../../server/http/node-server.js';
import { CHALLENGES_PER_CLIENT, SIGNING_PER_CLIENT, SIGNING_PER_EMAIL, STREAMS_PER_CLIENT } from '../../server/protection/rate-limits.js';
import { TokenBuckets } from '../../server/protection/token-buckets.js';
import { challengeUrl } from './support/altcha.js';
import { CAMPAIGN, SIGNATURES_URL, makeTestApp, signatureBody, type PostOptions, type TestApp } from './support/test-app.js';

const BURST = SIGNING_PER_CLIENT.burst;

async function assertTooMany(response: Response, retryAfter: number) {
  assert.equal(response.status, 429);
  assert.equal(response.headers.get('Retry-After'), String(retryAfter));
  const body = await response.json();
  assert.equal(body.error, 'rate_limited');
  assert.match(body.message, /^Too many requests\. Please try again in \d+ seconds\.$/);
}

describe('rate limits', () => {
  let t: TestApp;
  afterEach(() => t.close());

  /** Bad JSON: answered 400 without touching the store, but it counts like any attempt. */
  const attempt = (options: PostOptions) => t.post('{', { raw: true, ...options });
  async function spendBurst(options: PostOptions) {
    for (let i = 0; i < BURST; i++) assert.equal((await attempt(options)).status, 400, `attempt ${i + 1}`);
  }

  describe('on signing, per client address', () => {
    it('lets a burst through, then answers 429 with Retry-After until a token comes back; other clients are not touched', async () => {
      t = await makeTestApp({ RATE_LIMIT: 'on' });
      await spendBurst({ from: '203.0.113.1' });
      await assertTooMany(await attempt({ from: '203.0.113.1' }), SIGNING_PER_CLIENT.refillMs / 1000);
      assert.equal((await attempt({ from: '203.0.113.2' })).status, 400);
      t.advanceClock(SIGNING_PER_CLIENT.refillMs);
      assert.equal((await attempt({ from: '203.0.113.1' })).status, 400);
      await assertTooMany(await attempt({ from: '203.0.113.1' }), SIGNING_PER_CLIENT.refillMs / 1000);
    });

    it('counts one IPv6 /64 as one client, and an IPv4-mapped address as the IPv4 one', async () => {
      t = await makeTestApp({ RATE_LIMIT: 'on' });
      await spendBurst({ from: '2001:db8:1:2::1' });
      assert.equal((await attempt({ from: '2001:db8:1:2:ffff:ffff:ffff:9' })).status, 429);
      assert.equal((await attempt({ from: '2001:db8:1:3::1' })).status, 400);
      await spendBurst({ from: '::ffff:198.51.100.9' });
      assert.equal((await attempt({ from: '198.51.100.9' })).status, 429);
    });

    it('ignores X-Forwarded-For and Forwarded without TRUST_PROXY: anyone can send them', async () => {
      t = await makeTestApp({ RATE_LIMIT: 'on' });
      for (let i = 0; i < BURST; i++) {
        await attempt({ from: '10.0.0.1', headers: { 'X-Forwarded-For': `198.51.100.${i}`, Forwarded: `for=192.0.2.${i}` } });
      }
      assert.equal((await attempt({ from: '10.0.0.1', headers: { 'X-Forwarded-For': '198.51.100.200' } })).status, 429);
    });

    for (const setting of ['on', 'x-forwarded-for']) {
      it(`with TRUST_PROXY=${setting}, counts by the right-most X-Forwarded-For entry (what our proxy saw), and ignores Forwarded`, async () => {
        t = await makeTestApp({ RATE_LIMIT: 'on', TRUST_PROXY: setting });
        const proxy = '10.0.0.1';
        // What a client puts in front is not believed: only the last entry counts.
        for (let i = 0; i < BURST; i++) await attempt({ from: proxy, headers: { 'X-Forwarded-For': `192.0.2.${i}, 198.51.100.7` } });
        assert.equal((await attempt({ from: proxy, headers: { 'X-Forwarded-For': '198.51.100.7' } })).status, 429);
        assert.equal((await attempt({ from: proxy, headers: { 'X-Forwarded-For': '198.51.100.8' } })).status, 400);

        // Forwarded is the client's to write here: it changes nothing.
        for (let i = 0; i < BURST - 1; i++)
          await attempt({ from: proxy, headers: { 'X-Forwarded-For': '198.51.100.8', Forwarded: `for=192.0.2.${i}` } });
        assert.equal(
          (await attempt({ from: proxy, headers: { 'X-Forwarded-For': '198.51.100.8', Forwarded: 'for=192.0.2.99' } })).status,
          429,
        );

        // Not an address, or only a Forwarded header: the proxy's own address is all there is to go by.
        await spendBurst({ from: proxy, headers: { 'X-Forwarded-For': 'unknown' } });
        assert.equal((await attempt({ from: proxy, headers: { Forwarded: 'for=192.0.2.100' } })).status, 429);
      });
    }

    it('with TRUST_PROXY=forwarded, counts by the last Forwarded for= (what our proxy saw), and ignores X-Forwarded-For', async () => {
      t = await makeTestApp({ RATE_LIMIT: 'on', TRUST_PROXY: 'forwarded' });
      const proxy = '10.0.0.1';
      await spendBurst({ from: proxy, headers: { Forwarded: 'for=192.0.2.1;proto=https, for="[2001:db8:5::1]:4711"' } });
      assert.equal((await attempt({ from: proxy, headers: { Forwarded: 'for="[2001:db8:5::2]"' } })).status, 429);
      assert.equal((await attempt({ from: proxy, headers: { Forwarded: 'for=198.51.100.7' } })).status, 400);

      // X-Forwarded-For is the client's to write here: it changes nothing.
      for (let i = 0; i < BURST - 1; i++)
        await attempt({ from: proxy, headers: { Forwarded: 'for=198.51.100.7', 'X-Forwarded-For': `192.0.2.${i}` } });
      assert.equal(
        (await attempt({ from: proxy, headers: { Forwarded: 'for=198.51.100.7', 'X-Forwarded-For': '192.0.2.99' } })).status,
        429,
      );

      // Not an address (RFC 7239 allows "unknown" and _obfuscated ones), or only X-Forwarded-For: the proxy's own address.
      await spendBurst({ from: proxy, headers: { Forwarded: 'for=_hidden' } });
      assert.equal((await attempt({ from: proxy, headers: { 'X-Forwarded-For': '192.0.2.100' } })).status, 429);
    });
  });

  describe('on signing, over real HTTP (the Node fast path)', () => {
    it('counts by the header TRUST_PROXY names there too', async () => {
      t = await makeTestApp({ RATE_LIMIT: 'on', TRUST_PROXY: 'forwarded' });
      const server = createNodeServer(t.app).listen(0, '127.0.0.1');
      await once(server, 'listening');
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${SIGNATURES_URL}`;
      const attemptOver = (headers: Record<string, string>) =>
        fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{' });
      try {
        for (let i = 0; i < BURST; i++) {
          assert.equal((await attemptOver({ Forwarded: 'for=198.51.100.7', 'X-Forwarded-For': `192.0.2.${i}` })).status, 400);
        }
        assert.equal((await attemptOver({ Forwarded: 'for=198.51.100.7', 'X-Forwarded-For': '192.0.2.99' })).status, 429);
        assert.equal((await attemptOver({ Forwarded: 'for=198.51.100.8' })).status, 400);
      } finally {
        server.closeAllConnections();
        server.close();
      }
    });
  });

  describe('on signing, per email address', () => {
    it('lets a few tries through for one address from any client, then 429, whatever the case; never logging it', async () => {
      t = await makeTestApp({ RATE_LIMIT: 'on' });
      for (let i = 0; i < SIGNING_PER_EMAIL.burst; i++) {
        assert.equal((await t.post(signatureBody(), { from: `203.0.113.${i}` })).status, 202);
      }
      const again = await t.post(signatureBody({ email: 'MARIA.Ivanova@example.org' }), { from: '203.0.113.99' });
      await assertTooMany(again, SIGNING_PER_EMAIL.refillMs / 1000);
      assert.equal((await t.post(signatureBody({ email: 'petar@example.org' }), { from: '203.0.113.99' })).status, 202);
      t.advanceClock(SIGNING_PER_EMAIL.refillMs);
      assert.equal((await t.post(signatureBody(), { from: '203.0.113.98' })).status, 202);
      assert.equal(t.rows('SELECT * FROM signatures').length, 2);
      assert.ok(t.logs.some((line) => line.includes('"limit":"signing_per_email"')));
      assert.doesNotMatch(t.logs.join('\n'), /maria|petar|203\.0\.113/i);
    });
  });

  describe('on proof-of-work challenges, per client address', () => {
    it('lets a burst through (a form takes one, and one per attempt), then 429', async () => {
      t = await makeTestApp({ RATE_LIMIT: 'on' });
      const challenge = (address: string) => t.request(challengeUrl(), {}, { from: address });
      for (let i = 0; i < CHALLENGES_PER_CLIENT.burst; i++) assert.equal((await challenge('203.0.113.1')).status, 200);
      await assertTooMany(await challenge('203.0.113.1'), CHALLENGES_PER_CLIENT.refillMs / 1000);
      assert.equal((await challenge('203.0.113.2')).status, 200);
    });
  });

  describe('on event streams', () => {
    it('caps the streams one client has open at once; a closed one frees its place', async () => {
      t = await makeTestApp({ RATE_LIMIT: 'on' });
      const server = createNodeServer(t.app).listen(0, '127.0.0.1');
      await once(server, 'listening');
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/campaigns/${CAMPAIGN}/stream`;
      const open = (): Promise<http.IncomingMessage> => new Promise((resolve, reject) => http.get(url, resolve).once('error', reject));
      try {
        const streams = await Promise.all(Array.from({ length: STREAMS_PER_CLIENT }, open));
        assert.deepEqual(new Set(streams.map((response) => response.statusCode)), new Set([200]));
        const refused = await open();
        assert.equal(refused.statusCode, 429);
        assert.equal(refused.headers['retry-after'], '30');
        assert.equal(refused.headers['access-control-allow-origin'], '*');
        assert.equal(refused.headers['x-content-type-options'], 'nosniff');
        refused.resume();

        streams[0]!.destroy();
        let again = await open();
        for (let tries = 0; again.statusCode === 429 && tries < 50; tries++) {
          again.resume();
          await new Promise((resolve) => setTimeout(resolve, 20));
          again = await open();
        }
        assert.equal(again.statusCode, 200);
        for (const response of [...streams, again]) response.destroy();
      } finally {
        (server as http.Server).closeAllConnections();
        server.close();
      }
    });
  });

  describe('with RATE_LIMIT off (load tests)', () => {
    it('never answers 429', async () => {
      t = await makeTestApp({ RATE_LIMIT: 'off' });
      for (let i = 0; i < 3 * BURST; i++) assert.equal((await attempt({ from: '203.0.113.1' })).status, 400);
    });
  });
});

describe('TokenBuckets', () => {
  it('keeps memory bounded: idle buckets (full again) are dropped, and at most maxKeys are kept', () => {
    const buckets = new TokenBuckets({ burst: 2, refillMs: 1000 }, 100);
    for (let i = 0; i < 10_000; i++) buckets.take(`client-${i}`, 0);
    assert.equal(buckets.size, 100);
    buckets.take('late', 2000);
    assert.equal(buckets.size, 1, 'the others are full again, so they are forgotten');
  });

  it('says how long until the next token', () => {
    const buckets = new TokenBuckets({ burst: 1, refillMs: 1000 });
    assert.equal(buckets.take('a', 0), 0);
    assert.equal(buckets.take('a', 250), 750);
    assert.equal(buckets.take('a', 1000), 0);
  });
});

describe('clientKey', () => {
  for (const [address, key] of [
    ['203.0.113.5', '203.0.113.5'],
    ['::ffff:203.0.113.5', '203.0.113.5'],
    ['2001:db8:a:b:c:d:e:f', '2001:db8:a:b::/64'],
    ['2001:0DB8:000a:0b::1', '2001:db8:a:b::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    [undefined, 'unknown'],
  ] as const) {
    it(`counts ${address} as ${key}`, () => assert.equal(clientKey(address), key));
  }
});
