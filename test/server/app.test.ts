import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { CAMPAIGN, SIGNATURES_URL, makeTestApp, signatureBody, type TestApp } from './support/test-app.js';

describe('the app', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp({ DOUBLE_OPT_IN: 'off' })));
  afterEach(() => t.close());

  describe('GET /healthz', () => {
    it('answers ok while the store is healthy', async () => {
      const response = await t.request('/healthz');
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { status: 'ok' });
    });

    it('answers 503 once the store is not', async () => {
      await t.store.close();
      const response = await t.request('/healthz');
      assert.equal(response.status, 503);
      assert.equal((await response.json()).error, 'store_unavailable');
    });
  });

  describe('CORS for /api', () => {
    it('answers a preflight for a JSON POST from any origin, cached', async () => {
      const response = await t.request(SIGNATURES_URL, {
        method: 'OPTIONS',
        headers: {
          Origin: 'https://plovdiv.bg',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type',
        },
      });
      assert.equal(response.status, 204);
      assert.equal(response.headers.get('Access-Control-Allow-Origin'), '*');
      assert.match(response.headers.get('Access-Control-Allow-Methods') ?? '', /\bPOST\b/);
      assert.match(response.headers.get('Access-Control-Allow-Headers') ?? '', /content-type/i);
      assert.ok(Number(response.headers.get('Access-Control-Max-Age')) >= 600);
    });

    it('lets any origin read answers, errors included', async () => {
      const origin = { Origin: 'https://ruse.bg' };
      const answers = [
        await t.request(`/api/campaigns/${CAMPAIGN}/count`, { headers: origin }),
        await t.request(SIGNATURES_URL, { method: 'POST', headers: { ...origin, 'Content-Type': 'application/json' }, body: '[' }),
        await t.request(SIGNATURES_URL, {
          method: 'POST',
          headers: { ...origin, 'Content-Type': 'application/json' },
          body: 'x'.repeat(9000),
        }),
        await t.request('/api/nothing-here', { headers: origin }),
      ];
      assert.deepEqual(
        answers.map((response) => [response.status, response.headers.get('Access-Control-Allow-Origin')]),
        [
          [200, '*'],
          [400, '*'],
          [413, '*'],
          [404, '*'],
        ],
      );
    });
  });

  describe('security headers', () => {
    it('are on API answers, with a cross-origin resource policy and no CSP allowances', async () => {
      const response = await t.request(`/api/campaigns/${CAMPAIGN}`);
      assert.equal(response.headers.get('Cross-Origin-Resource-Policy'), 'cross-origin');
      assert.equal(response.headers.get('X-Content-Type-Options'), 'nosniff');
      assert.equal(response.headers.get('Content-Security-Policy'), "default-src 'none'; frame-ancestors 'none'");
    });

    it('are on pages and unknown paths too, same-origin there', async () => {
      for (const path of ['/healthz', '/no-such-page']) {
        const response = await t.request(path);
        assert.equal(response.headers.get('Cross-Origin-Resource-Policy'), 'same-origin', path);
        assert.equal(response.headers.get('X-Content-Type-Options'), 'nosniff', path);
        assert.ok(response.headers.get('Content-Security-Policy'), path);
      }
    });
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const response = await t.request('/api/campaigns');
    assert.equal(response.status, 404);
    assert.equal((await response.json()).error, 'not_found');
  });

  describe('request logs', () => {
    it('write one JSON line per request: method, route pattern, status and duration', async () => {
      await t.request(`/api/campaigns/${CAMPAIGN}/count?partner=plovdiv`);
      assert.equal(t.logs.length, 1);
      const line = JSON.parse(t.logs[0]!);
      assert.equal(line.event, 'request');
      assert.equal(line.method, 'GET');
      assert.equal(line.route, '/api/campaigns/:campaign/count');
      assert.equal(line.status, 200);
      assert.equal(typeof line.ms, 'number');
      assert.doesNotMatch(t.logs[0]!, /plovdiv/, 'no query string');
    });

    it('never contain emails, names or bodies, whether signing works or fails, nor when the mail goes out', async () => {
      await t.post(signatureBody({ name: 'Petar Petrov', email: 'petar.petrov@example.org', organisation: 'Secret Org' }));
      await t.post(signatureBody({ name: 'Petar Petrov', email: 'petar.petrov@' }));
      await t.post('{"name":"Petar Petrov",', { raw: true });
      await t.mail.worker.wake();
      const lines = t.logs.map((line) => JSON.parse(line));
      assert.deepEqual(
        lines.filter((line) => line.event === 'request').map((line) => line.status),
        [201, 400, 400],
      );
      assert.ok(lines.some((line) => line.event === 'mail_sent'));
      assert.doesNotMatch(t.logs.join('\n'), /petar|petrov|secret org/i);
    });
  });
});
