/**
 * Bot protection without a third party (BOT_PROTECTION on): an ALTCHA proof of work spent once,
 * a minimum time to fill in the form, and a honeypot field that bots fill and people never see.
 */
import { createNodeServer } from '../../server/http/node-server.js';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { CHALLENGE_TTL_MS, MIN_FILL_MS } from '../../server/protection/proof-of-work.js';
import { startBotCheck } from '../../widget/bot-check.js';
import { challengeUrl, decodeAltcha, encodeAltcha, readyAltcha, solvedAltcha } from './support/altcha.js';
import { tempFolder } from './support/fixtures.js';
import { countOf } from './support/signer-links.js';
import { CAMPAIGN, NOW, makeTestApp, signatureBody, type TestApp } from './support/test-app.js';

const ON = { BOT_PROTECTION: 'on' };

async function fieldsOf(response: Response, message?: string) {
  assert.equal(response.status, 400, message);
  const body = await response.json();
  assert.equal(body.error, 'invalid_fields');
  return body.fields;
}

describe('bot protection', () => {
  let t: TestApp;
  afterEach(() => t.close());

  describe('GET /api/campaigns/:campaign/challenge', () => {
    beforeEach(async () => (t = await makeTestApp(ON)));

    it('gives a fresh signed challenge for the campaign to any origin, never cached', async () => {
      const response = await t.request(challengeUrl(), { headers: { Origin: 'https://ruse.bg' } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('Cache-Control'), 'no-store');
      assert.equal(response.headers.get('Access-Control-Allow-Origin'), '*');
      const { parameters, signature } = await response.json();
      assert.equal(parameters.algorithm, 'PBKDF2/SHA-256');
      assert.match(signature, /^[0-9a-f]{64}$/);
      assert.match(parameters.keySignature, /^[0-9a-f]{64}$/);
      assert.deepEqual(parameters.data, {
        campaign: CAMPAIGN,
        issuedAt: NOW,
        usableAt: NOW + MIN_FILL_MS,
        expiresAt: NOW + CHALLENGE_TTL_MS,
      });
      const again = await (await t.request(challengeUrl())).json();
      assert.notEqual(again.parameters.nonce, parameters.nonce);
    });

    it('404 for a campaign that does not exist', async () => {
      const response = await t.request(challengeUrl('nope'));
      assert.equal(response.status, 404);
      assert.equal((await response.json()).error, 'unknown_campaign');
    });
  });

  describe('the proof of work', () => {
    beforeEach(async () => (t = await makeTestApp(ON)));

    it('lets a signature with a solved challenge in', async () => {
      const response = await t.post(signatureBody({ altcha: await readyAltcha(t) }));
      assert.equal(response.status, 202);
      assert.equal(t.rows('SELECT * FROM signatures').length, 1);
    });

    it('is required: 400 naming altcha along with the other bad fields', async () => {
      assert.deepEqual(await fieldsOf(await t.post(signatureBody({ name: '' }))), { name: 'required', altcha: 'required' });
      assert.deepEqual(await fieldsOf(await t.post(signatureBody({ altcha: '' }))), { altcha: 'required' });
      assert.equal(t.rows('SELECT * FROM signatures').length, 0);
    });

    it('signs once: the same solution again is invalid, whatever the email', async () => {
      const altcha = await readyAltcha(t);
      assert.equal((await t.post(signatureBody({ altcha }))).status, 202);
      assert.deepEqual(await fieldsOf(await t.post(signatureBody({ altcha, email: 'other@example.org' }))), { altcha: 'invalid' });
      assert.equal(t.rows('SELECT * FROM signatures').length, 1);
    });

    it('signs once when two requests race with the same solution', async () => {
      const altcha = await readyAltcha(t);
      const responses = await Promise.all(
        ['one@example.org', 'two@example.org', 'three@example.org'].map((email) => t.post(signatureBody({ altcha, email }))),
      );
      assert.deepEqual(responses.map((response) => response.status).sort(), [202, 400, 400]);
      assert.equal(t.rows('SELECT * FROM signatures').length, 1);
    });

    it('stays unspent when another field is refused, so the visitor can correct it and send again', async () => {
      const altcha = await readyAltcha(t);
      assert.deepEqual(await fieldsOf(await t.post(signatureBody({ altcha, email: 'maria@' }))), { email: 'invalid_email' });
      assert.equal((await t.post(signatureBody({ altcha }))).status, 202);
    });

    it('is too_fast sooner than 3 s after its challenge was issued, and fine from then on', async () => {
      const altcha = await solvedAltcha(t);
      t.advanceClock(MIN_FILL_MS - 1);
      assert.deepEqual(await fieldsOf(await t.post(signatureBody({ altcha }))), { altcha: 'too_fast' });
      t.advanceClock(1);
      assert.equal((await t.post(signatureBody({ altcha }))).status, 202);
    });

    it('expires 10 minutes after its challenge was issued', async () => {
      const altcha = await solvedAltcha(t);
      t.advanceClock(CHALLENGE_TTL_MS);
      assert.deepEqual(await fieldsOf(await t.post(signatureBody({ altcha }))), { altcha: 'invalid' });
    });

    it('refuses forged and malformed solutions', async () => {
      const altcha = await readyAltcha(t);
      // A forger rewrites any part of the decoded JSON: `any` is its honest type.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const forge = (change: (payload: any) => void) => {
        const payload = decodeAltcha(altcha);
        change(payload);
        return encodeAltcha(payload);
      };
      const flip = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
      const forged: Array<[string, string, string]> = [
        ['another derived key', forge((p) => (p.solution.derivedKey = flip(p.solution.derivedKey))), 'invalid'],
        ['a derived key in capitals', forge((p) => (p.solution.derivedKey = p.solution.derivedKey.toUpperCase())), 'invalid'],
        ['no signature', forge((p) => delete p.challenge.signature), 'invalid'],
        ['another signature', forge((p) => (p.challenge.signature = flip(p.challenge.signature))), 'invalid'],
        ['another campaign in its data', forge((p) => (p.challenge.parameters.data.campaign = 'other')), 'invalid'],
        ['an earlier usableAt', forge((p) => (p.challenge.parameters.data.usableAt = 0)), 'invalid'],
        ['a later expiresAt', forge((p) => (p.challenge.parameters.data.expiresAt += CHALLENGE_TTL_MS)), 'invalid'],
        ['a lower cost', forge((p) => (p.challenge.parameters.cost = 1)), 'invalid'],
        ['no key signature', forge((p) => delete p.challenge.parameters.keySignature), 'invalid'],
        ['a counter as a string', forge((p) => (p.solution.counter = String(p.solution.counter))), 'invalid'],
        [
          'a __proto__ key',
          forge((p) => (p.challenge.parameters = JSON.parse(`{"__proto__":{"x":1},${JSON.stringify(p.challenge.parameters).slice(1)}`))),
          'invalid',
        ],
        ['no solution', forge((p) => delete p.solution), 'invalid'],
        ['base64 of a JSON array', encodeAltcha([]), 'invalid'],
        ['base64 of something that is not JSON', Buffer.from('not json').toString('base64'), 'invalid'],
        ['four letters', 'AAAA', 'invalid'],
        ['characters outside base64', `${altcha.slice(0, 10)}!${altcha.slice(11)}`, 'invalid'],
        ['a number', 42 as unknown as string, 'invalid'],
        ['too much', 'A'.repeat(2049), 'too_long'],
      ];
      for (const [what, value, code] of forged) {
        assert.deepEqual(await fieldsOf(await t.post(signatureBody({ altcha: value })), what), { altcha: code }, what);
      }
      assert.equal((await t.post(signatureBody({ altcha }))).status, 202, 'the genuine one still signs');
    });

    it("refuses another server's solution, and takes one of a process that shares ALTCHA_HMAC_KEY", async () => {
      const key = { ALTCHA_HMAC_KEY: 'a-key-of-at-least-thirty-two-characters' };
      const other = await makeTestApp(ON);
      const sibling = await makeTestApp({ ...ON, ...key });
      const shared = await makeTestApp({ ...ON, ...key });
      try {
        const foreign = await solvedAltcha(other);
        t.advanceClock(MIN_FILL_MS);
        assert.deepEqual(await fieldsOf(await t.post(signatureBody({ altcha: foreign }))), { altcha: 'invalid' });
        const fromSibling = await solvedAltcha(sibling);
        shared.advanceClock(MIN_FILL_MS);
        assert.equal((await shared.post(signatureBody({ altcha: fromSibling }))).status, 202);
      } finally {
        await Promise.all([other.close(), sibling.close(), shared.close()]);
      }
    });
  });

  describe('without ALTCHA_HMAC_KEY: the key kept in the store', () => {
    const folder = tempFolder();
    const shared = { ...ON, DATABASE_URL: join(folder.path, 'shared.sqlite') };
    after(folder.remove);

    it('keeps the challenges that open pages hold good across a restart', async () => {
      const before = await makeTestApp(shared);
      const altcha = await solvedAltcha(before);
      await before.close();
      t = await makeTestApp(shared);
      t.advanceClock(MIN_FILL_MS);
      assert.equal((await t.post(signatureBody({ altcha }))).status, 202);
    });

    it('is one key for every process on the store, however many start at once', async () => {
      const racing = { ...ON, DATABASE_URL: join(folder.path, 'racing.sqlite') };
      const [first, second] = await Promise.all([makeTestApp(racing), makeTestApp(racing)]);
      t = first;
      try {
        const [fromFirst, fromSecond] = await Promise.all([solvedAltcha(first), solvedAltcha(second)]);
        first.advanceClock(MIN_FILL_MS);
        second.advanceClock(MIN_FILL_MS);
        assert.equal((await second.post(signatureBody({ altcha: fromFirst }))).status, 202);
        assert.equal((await first.post(signatureBody({ email: 'other@example.org', altcha: fromSecond }))).status, 202);
      } finally {
        await second.close();
      }
    });
  });

  describe('the honeypot', () => {
    for (const [optIn, status, answer] of [
      ['on', 202, { status: 'pending' }],
      ['off', 201, { status: 'counted', count: 1 }],
    ] as const) {
      it(`answers a filled-in "website" like a signature (DOUBLE_OPT_IN ${optIn}: ${status}), storing and mailing nothing`, async () => {
        t = await makeTestApp({ ...ON, DOUBLE_OPT_IN: optIn });
        assert.equal((await t.post(signatureBody({ email: 'first@example.org', altcha: await readyAltcha(t) }))).status, status);
        await t.mail.worker.wake();
        const before = t.snapshot();
        const mails = t.mail.devOutbox!.list().length;

        const response = await t.post(signatureBody({ website: 'https://spam.example', altcha: await readyAltcha(t) }));
        assert.equal(response.status, status);
        assert.deepEqual(await response.json(), answer);
        await t.mail.worker.wake();
        assert.deepEqual(t.snapshot(), before);
        assert.equal(t.mail.devOutbox!.list().length, mails);
        assert.ok(t.logs.some((line) => JSON.parse(line).reason === 'honeypot'));
        assert.ok(t.logs.every((line) => !/maria|ivanova|spam\.example/i.test(line)));
      });
    }

    it('takes a website of spaces as empty', async () => {
      t = await makeTestApp(ON);
      assert.equal((await t.post(signatureBody({ website: '   ', altcha: await readyAltcha(t) }))).status, 202);
      assert.equal(t.rows('SELECT * FROM signatures').length, 1);
    });
  });

  describe('with BOT_PROTECTION off (load tests)', () => {
    beforeEach(async () => (t = await makeTestApp({ BOT_PROTECTION: 'off', DOUBLE_OPT_IN: 'off' })));

    it('needs no proof of work and no fill time, and ignores the honeypot', async () => {
      assert.equal((await t.post(signatureBody({ website: 'https://spam.example' }))).status, 201);
      assert.equal(await countOf(t), 1);
    });

    it('still serves challenges, and still checks the shape of altcha', async () => {
      assert.equal((await t.request(challengeUrl())).status, 200);
      assert.deepEqual(await fieldsOf(await t.post(signatureBody({ altcha: '!' }))), { altcha: 'invalid' });
    });
  });

  describe("the widget's solver (widget/bot-check.ts), over HTTP", () => {
    it('fetches and solves a challenge in the background; the solution signs, after the minimum fill time', async () => {
      t = await makeTestApp(ON);
      const server = createNodeServer(t.app).listen(0, '127.0.0.1');
      await once(server, 'listening');
      try {
        const started = performance.now();
        const check = startBotCheck(`http://127.0.0.1:${(server.address() as AddressInfo).port}${challengeUrl()}`);
        const altcha = await check.solution();
        assert.ok(performance.now() - started >= MIN_FILL_MS - 50, 'waits until the server takes it');
        assert.ok(altcha.length < 1024, `${altcha.length} characters`);
        t.advanceClock(MIN_FILL_MS);
        assert.equal((await t.post(signatureBody({ altcha }))).status, 202);
        const next = await check.solution();
        assert.notEqual(next, altcha, 'a fresh one each time');
        t.advanceClock(MIN_FILL_MS);
        assert.equal((await t.post(signatureBody({ altcha: next, email: 'again@example.org' }))).status, 202);
      } finally {
        server.close();
      }
    });

    it('rejects when the challenge cannot be fetched', async () => {
      t = await makeTestApp(ON);
      await assert.rejects(startBotCheck('http://127.0.0.1:1/api/campaigns/x/challenge').solution());
    });
  });
});
