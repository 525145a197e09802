import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { SIGNING_PER_EMAIL } from '../../server/protection/rate-limits.js';
import { MAX_BODY_BYTES } from '../../server/routes/signatures.js';
import type { SignatureStore } from '../../server/store/signature-store.js';
import { LiveServer, type Sent } from './support/live-server.js';
import { CAMPAIGN, NOW, SIGNATURES_URL, makeTestApp, signatureBody, type TestApp } from './support/test-app.js';

const COUNT_URL = `/api/campaigns/${CAMPAIGN}/count`;

async function countOf(t: TestApp): Promise<number> {
  return (await (await t.request(COUNT_URL)).json()).count;
}

/** Asserts the shape every error body has, and returns it. */
async function errorBody(response: Response, status: number, error: string) {
  assert.equal(response.status, status);
  const body = await response.json();
  assert.equal(body.error, error);
  assert.equal(typeof body.message, 'string');
  assert.match(body.message, /^[A-Z].*\.$/, 'a plain sentence');
  return body;
}

describe('POST /api/campaigns/:campaign/signatures', () => {
  describe('with DOUBLE_OPT_IN off', () => {
    let t: TestApp;
    beforeEach(async () => (t = await makeTestApp({ DOUBLE_OPT_IN: 'off' })));
    afterEach(() => t.close());

    it('answers 201 counted with the new count, and the count rises', async () => {
      assert.equal(await countOf(t), 0);
      const response = await t.post(signatureBody({ partner: 'plovdiv', lang: 'bg' }));
      assert.equal(response.status, 201);
      assert.deepEqual(await response.json(), { status: 'counted', count: 1 });
      assert.equal(await countOf(t), 1);
      const partner = await (await t.request(`${COUNT_URL}?partner=plovdiv`)).json();
      assert.equal(partner.partnerCount, 1);
    });

    it('stores the signature confirmed, with its email key, consent version and time', async () => {
      // From the partner's page: only a browser's Origin gets the page recorded.
      const fromPage = { headers: { Origin: 'https://plovdiv.bg' } };
      await t.post(
        signatureBody({ email: ' Maria.Ivanova@Example.ORG ', newsletter: true, partner: 'plovdiv', page: 'https://plovdiv.bg/eu' }),
        fromPage,
      );
      const [row] = (t.snapshot() as { signatures: Record<string, unknown>[] }).signatures;
      // Its mail (mail_due_at, mail_attempts) may be on its way already: the store's contract covers it.
      assert.deepEqual(
        { ...row, id: undefined, mail_due_at: undefined, mail_attempts: undefined },
        {
          id: undefined,
          campaign: CAMPAIGN,
          email_key: 'maria.ivanova@example.org',
          email: 'Maria.Ivanova@Example.ORG',
          signer_type: 'individual',
          name: 'Maria Ivanova',
          organisation: null,
          organisation_kind: null,
          role: null,
          country: 'BG',
          partner: 'plovdiv',
          page: 'https://plovdiv.bg/eu',
          lang: null,
          newsletter: 1,
          list_publicly: 0,
          consent_version: '2026-11',
          status: 'confirmed',
          created_at: NOW,
          confirmed_at: NOW,
          mail_queued_at: NOW,
          mail_due_at: undefined,
          mail_attempts: undefined,
          // Not reviewed yet: an individual who claims nothing is on the wall all the same.
          moderation: 'unreviewed',
        },
      );
    });

    it('records the consent version the signer was shown, or the current one for a client that sends none', async () => {
      assert.equal((await t.post(signatureBody({ consentVersion: '2026-11' }))).status, 201);
      assert.equal((await t.post(signatureBody({ email: 'no.version@example.org' }))).status, 201);
      const rows = (t.snapshot() as { signatures: Array<{ consent_version: string }> }).signatures;
      assert.deepEqual(
        rows.map((row) => row.consent_version),
        ['2026-11', '2026-11'],
      );
    });

    it('accepts an organisation with its kind, and a JSON content type with a charset', async () => {
      const response = await t.post(
        signatureBody({ signerType: 'organisation', organisation: 'Plovdiv Municipality', organisationKind: 'local-authority' }),
        { contentType: 'application/json; charset=utf-8' },
      );
      assert.equal(response.status, 201);
    });

    it('answers a duplicate in other case and spacing exactly like the first, and counts it once', async () => {
      const first = await t.post(signatureBody());
      const firstBody = await first.json();
      const before = t.snapshot();
      for (const email of ['MARIA.IVANOVA@EXAMPLE.ORG', '  maria.ivanova@example.org  ', 'Maria.Ivanova@example.org']) {
        const again = await t.post(signatureBody({ email, name: 'Someone Else', partner: 'ruse' }));
        assert.equal(again.status, first.status);
        assert.deepEqual(await again.json(), firstBody);
      }
      assert.deepEqual(t.snapshot(), before);
      assert.equal(await countOf(t), 1);
    });
  });

  describe('with DOUBLE_OPT_IN on', () => {
    let t: TestApp;
    beforeEach(async () => (t = await makeTestApp({ DOUBLE_OPT_IN: 'on' })));
    afterEach(() => t.close());

    it('answers 202 pending, stores the signature as pending and does not count it', async () => {
      const response = await t.post(signatureBody());
      assert.equal(response.status, 202);
      assert.deepEqual(await response.json(), { status: 'pending' });
      assert.equal(await countOf(t), 0);
      const { signatures } = t.snapshot() as { signatures: { status: string }[] };
      assert.deepEqual(
        signatures.map((row) => row.status),
        ['pending'],
      );
    });

    it('answers a duplicate exactly like the first, and stores nothing new', async () => {
      const first = await t.post(signatureBody());
      const before = t.snapshot();
      // With the same details: other details replace a pending signature (see signer-record.test.ts).
      const again = await t.post(signatureBody({ email: 'MARIA.IVANOVA@example.org' }));
      assert.equal(again.status, first.status);
      assert.deepEqual(await again.json(), await first.json());
      assert.deepEqual(t.snapshot(), before);
    });
  });

  describe('refuses bad input with a 4xx and leaves the stored data unchanged', () => {
    let t: TestApp;
    let stored: unknown;
    before(async () => {
      t = await makeTestApp({ DOUBLE_OPT_IN: 'off' });
      // Something stored already, so "unchanged" is about real rows and counters.
      assert.equal((await t.post(signatureBody({ email: 'first@example.org', partner: 'plovdiv' }))).status, 201);
      stored = t.snapshot();
    });
    afterEach(() => assert.deepEqual(t.snapshot(), stored));
    after(() => t.close());

    const fieldCases: Array<[string, Record<string, unknown>, Record<string, string>]> = [
      ['an unknown key', signatureBody({ isAdmin: true }), { isAdmin: 'unknown_field' }],
      ['a missing signerType', signatureBody({ signerType: undefined }), { signerType: 'required' }],
      ['a missing name', signatureBody({ name: undefined }), { name: 'required' }],
      ['a blank name', signatureBody({ name: '   ' }), { name: 'required' }],
      ['a missing country', signatureBody({ country: undefined }), { country: 'required' }],
      ['a missing email', signatureBody({ email: undefined }), { email: 'required' }],
      ['a missing consent', signatureBody({ consent: undefined }), { consent: 'consent_required' }],
      ['a consent text that has changed since it was shown', signatureBody({ consentVersion: '2025-01' }), { consent: 'consent_changed' }],
      ['a malformed email', signatureBody({ email: 'maria@' }), { email: 'invalid_email' }],
      ['an email with a space inside', signatureBody({ email: 'maria ivanova@example.org' }), { email: 'invalid_email' }],
      ['a country name instead of a code', signatureBody({ country: 'Bulgaria' }), { country: 'invalid' }],
      ['a lower-case country code', signatureBody({ country: 'bg' }), { country: 'invalid' }],
      ['consent false', signatureBody({ consent: false }), { consent: 'consent_required' }],
      ['consent "true" as a string', signatureBody({ consent: 'true' }), { consent: 'consent_required' }],
      ['an unknown signer type', signatureBody({ signerType: 'robot' }), { signerType: 'invalid' }],
      [
        'an organisation without its name and kind',
        signatureBody({ signerType: 'organisation' }),
        { organisation: 'required', organisationKind: 'required' },
      ],
      ['a representative without a role', signatureBody({ signerType: 'representative' }), { role: 'required' }],
      ['a name too long', signatureBody({ name: 'x'.repeat(121) }), { name: 'too_long' }],
      ['a control character in a name', signatureBody({ name: 'Maria\u0000' }), { name: 'invalid' }],
      ['a name that is a number', signatureBody({ name: 42 }), { name: 'invalid' }],
      ['a bad partner id', signatureBody({ partner: '../admin' }), { partner: 'invalid' }],
    ];
    for (const [what, body, fields] of fieldCases) {
      it(`400 invalid_fields for ${what}`, async () => {
        const answer = await errorBody(await t.post(body), 400, 'invalid_fields');
        assert.deepEqual(answer.fields, fields);
      });
    }

    it('400 invalid_fields naming every bad field at once', async () => {
      const answer = await errorBody(await t.post({ consent: true, email: 'x' }), 400, 'invalid_fields');
      assert.deepEqual(answer.fields, { signerType: 'required', name: 'required', country: 'required', email: 'invalid_email' });
    });

    it('400 invalid_fields for a "__proto__" key', async () => {
      const raw = JSON.stringify(signatureBody()).replace(/^\{/, '{"__proto__":{"isAdmin":true},');
      const answer = await errorBody(await t.post(raw, { raw: true }), 400, 'invalid_fields');
      assert.deepEqual(Object.entries(answer.fields), [['__proto__', 'unknown_field']]);
      assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
    });

    for (const [what, raw] of [
      ['a JSON array', '[]'],
      ['null', 'null'],
      ['a string', '"sign me"'],
      ['a number', '42'],
    ]) {
      it(`400 invalid_body for ${what}`, async () => {
        await errorBody(await t.post(raw, { raw: true }), 400, 'invalid_body');
      });
    }

    for (const [what, raw] of [
      ['cut-off JSON', '{"name": "Maria'],
      ['an empty body', ''],
      ['JSON with a trailing comma', '{"name": "Maria",}'],
    ]) {
      it(`400 invalid_json for ${what}`, async () => {
        await errorBody(await t.post(raw, { raw: true }), 400, 'invalid_json');
      });
    }

    it('413 for a body over 8 KiB, streamed or with a Content-Length', async () => {
      const big = JSON.stringify(signatureBody({ name: 'x'.repeat(9 * 1024) }));
      await errorBody(await t.post(big, { raw: true }), 413, 'payload_too_large');
      const withLength = await t.request(SIGNATURES_URL, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(big.length) },
        body: big,
      });
      await errorBody(withLength, 413, 'payload_too_large');
    });

    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp', '']) {
      it(`415 for content type "${contentType}"`, async () => {
        await errorBody(await t.post(signatureBody({ email: 'new@example.org' }), { contentType }), 415, 'unsupported_media_type');
      });
    }

    it('404 unknown_campaign for a campaign that does not exist', async () => {
      const response = await t.post(signatureBody({ email: 'new@example.org' }), { path: '/api/campaigns/nope/signatures' });
      await errorBody(response, 404, 'unknown_campaign');
    });

    it('never answers odd input with a 5xx', async () => {
      const odd = [
        '{"name": {"$gt": ""}}',
        '{"email": ["a@b.org"]}',
        `{"name": ${'['.repeat(2000)}${']'.repeat(2000)}}`,
        '{"constructor": {"prototype": {"isAdmin": true}}}',
        '{"consent": 1e999}',
        '\ufeff{}',
      ];
      for (const raw of odd) {
        const response = await t.post(raw, { raw: true });
        assert.ok(response.status >= 400 && response.status < 500, `${response.status} for ${raw.slice(0, 40)}`);
      }
    });
  });

  describe('text that is not well-formed Unicode', () => {
    let t: TestApp;
    before(async () => (t = await makeTestApp({ DOUBLE_OPT_IN: 'off' })));
    after(() => t.close());

    it('400 for a name with a lone surrogate', async () => {
      const raw = JSON.stringify(signatureBody()).replace('"Maria Ivanova"', '"Maria \\ud800"');
      await errorBody(await t.post(raw, { raw: true }), 400, 'invalid_fields');
    });
  });

  describe('when the store fails', () => {
    let t: TestApp;
    before(async () => {
      const failing: SignatureStore = {
        add: () => Promise.reject(Object.assign(new Error('disk I/O error near maria.ivanova@example.org'), { code: 'SQLITE_IOERR' })),
        count: async () => 0,
        partnerCount: async () => 0,
        onCount: () => () => {},
        findLink: async () => ({ outcome: 'unknown' }),
        confirm: async () => ({ outcome: 'unknown' }),
        withdraw: async () => ({ outcome: 'unknown' }),
        claimMails: async () => [],
        addLinkTokens: async () => [],
        settleMails: async () => {},
        eraseExpired: async () => ({ erased: 0, anonymised: 0 }),
        spendProof: async () => true,
        stats: () => Promise.reject(new Error('not in this test')),
        exportPage: async () => [],
        eraseSigner: async () => ({ erased: 0 }),
        supporters: async () => [],
        wallEntries: async () => [],
        moderate: async () => false,
        addBaseline: () => Promise.reject(new Error('not in this test')),
        baselineEntries: async () => [],
        removeBaseline: async () => false,
        partners: async () => [],
        savePartner: async () => {},
        deletePartner: async () => false,
        sharedSecret: async (_name, create) => create(),
        healthy: async () => false,
        onFailure: () => () => {},
        close: async () => {},
      };
      t = await makeTestApp({ DOUBLE_OPT_IN: 'off' }, { store: failing });
    });
    after(() => t.close());

    it('answers 500 internal and logs no personal data', async () => {
      const response = await t.post(signatureBody());
      await errorBody(response, 500, 'internal');
      const logs = t.logs.join('\n');
      assert.match(logs, /"event":"unhandled_error"/);
      assert.match(logs, /SQLITE_IOERR/);
      assert.doesNotMatch(logs, /maria|ivanova/i);
    });
  });
});

describe('POST /api/campaigns/:campaign/signatures over HTTP', () => {
  const PARTNER = 'https://plovdiv.bg';
  const fromPartner = { Origin: PARTNER, 'Content-Type': 'application/json' };
  const tooLarge = JSON.stringify(signatureBody({ name: 'x'.repeat(MAX_BODY_BYTES) }));

  describe('with PARTNER_ORIGINS set', () => {
    let t: TestApp;
    let server: LiveServer;
    before(async () => {
      t = await makeTestApp({ DOUBLE_OPT_IN: 'off', PARTNER_ORIGINS: JSON.stringify({ plovdiv: [PARTNER] }) });
      server = await LiveServer.start(t);
    });
    after(async () => {
      await server.close();
      await t.close();
    });
    const sign = (body: Sent['body'], headers: Record<string, string> = fromPartner) =>
      server.send({ method: 'POST', path: SIGNATURES_URL, headers, body });

    it("answers in JSON, with CORS for the partner's origin and the partner security headers", async () => {
      const signed = await sign(signatureBody({ email: 'ana@example.org', partner: 'plovdiv' }));
      assert.deepEqual([signed.status, signed.body], [201, { status: 'counted', count: 1 }]);
      assert.equal(signed.headers['content-type'], 'application/json');
      assert.equal(signed.headers['access-control-allow-origin'], PARTNER);
      assert.equal(signed.headers['access-control-expose-headers'], 'ETag,Retry-After');
      assert.equal(signed.headers['vary'], 'Origin');
      assert.equal(signed.headers['x-content-type-options'], 'nosniff');
      assert.equal(signed.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'");
      const duplicate = await sign(signatureBody({ email: 'ANA@example.org' }));
      assert.deepEqual([duplicate.status, duplicate.body], [201, { status: 'counted', count: 1 }]);
      const refused = await sign(signatureBody(), { ...fromPartner, Origin: 'https://elsewhere.example' });
      assert.equal(refused.status, 403);
      assert.equal(refused.headers['access-control-allow-origin'], undefined);
      assert.equal(refused.headers['vary'], 'Origin');
    });

    it('answers preflights from the origins that may sign, and grants nothing to others', async () => {
      const ask = (origin: string) =>
        server.send({
          method: 'OPTIONS',
          path: SIGNATURES_URL,
          headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
        });
      const preflight = await ask(PARTNER);
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers['access-control-allow-origin'], PARTNER);
      assert.equal(preflight.headers['access-control-allow-methods'], 'GET,HEAD,POST');
      assert.equal(preflight.headers['access-control-allow-headers'], 'Content-Type,If-None-Match');
      assert.equal((await ask('https://elsewhere.example')).headers['access-control-allow-origin'], undefined);
    });

    it('refuses bad bodies in the same order of checks: origin, size (by Content-Length), type, JSON', async () => {
      const cases: Array<[Sent['body'], Record<string, string>, number, string]> = [
        ['{"name":', fromPartner, 400, 'invalid_json'],
        ['', fromPartner, 400, 'invalid_json'],
        ['[1]', fromPartner, 400, 'invalid_body'],
        [signatureBody({ country: 'XX' }), fromPartner, 400, 'invalid_fields'],
        [tooLarge, fromPartner, 413, 'payload_too_large'],
        [signatureBody(), { ...fromPartner, 'Content-Type': 'text/plain' }, 415, 'unsupported_media_type'],
        [tooLarge, { ...fromPartner, Origin: 'https://elsewhere.example' }, 403, 'origin_not_allowed'],
        [tooLarge, { ...fromPartner, 'Content-Type': 'text/plain' }, 413, 'payload_too_large'],
      ];
      for (const [body, headers, status, error] of cases) {
        const answer = await sign(body, headers);
        assert.deepEqual([answer.status, (answer.body as { error: string }).error], [status, error], JSON.stringify(body).slice(0, 60));
      }
      assert.equal(server.connections, 1, 'every refused body was read or dropped, and the connection kept');
    });

    it('refuses a body sent in chunks as soon as it passes the limit, and serves the next request on the same connection', async () => {
      const before = server.connections;
      const chunks = ['{"name":"', ...Array<string>(10).fill('x'.repeat(1024)), '"}'];
      const answer = await server.send({ method: 'POST', path: SIGNATURES_URL, headers: fromPartner, chunks });
      assert.deepEqual([answer.status, (answer.body as { error: string }).error], [413, 'payload_too_large']);
      const next = await sign(signatureBody({ email: 'after.chunks@example.org' }));
      assert.equal(next.status, 201);
      const small = await server.send({
        method: 'POST',
        path: SIGNATURES_URL,
        headers: fromPartner,
        chunks: [JSON.stringify(signatureBody({ email: 'in.chunks@example.org' }))],
      });
      assert.equal(small.status, 201);
      assert.equal(server.connections, before);
    });

    it('takes a path with escapes for the same path', async () => {
      const escaped = await server.send({
        method: 'POST',
        path: '/api/campaigns/cohesion%2Dalliance/signatures',
        headers: fromPartner,
        body: signatureBody({ email: 'escaped@example.org' }),
      });
      assert.equal(escaped.status, 201);
    });
  });

  describe('with rate limits on', () => {
    let t: TestApp;
    let server: LiveServer;
    before(async () => {
      t = await makeTestApp({ RATE_LIMIT: 'on' });
      server = await LiveServer.start(t);
    });
    after(async () => {
      await server.close();
      await t.close();
    });

    it('answers 429 with a Retry-After that pages at other origins may read', async () => {
      const sent = { method: 'POST', path: SIGNATURES_URL, headers: { 'Content-Type': 'application/json' }, body: signatureBody() };
      for (let i = 0; i < SIGNING_PER_EMAIL.burst; i++) assert.equal((await server.send(sent)).status, 202);
      const limited = await server.send(sent);
      assert.deepEqual([limited.status, (limited.body as { error: string }).error], [429, 'rate_limited']);
      assert.equal(limited.headers['retry-after'], String(SIGNING_PER_EMAIL.refillMs / 1000));
      assert.equal(limited.headers['access-control-expose-headers'], 'ETag,Retry-After');
    });
  });
});
