import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { SignatureStore } from '../../server/store/signature-store.js';
import { CAMPAIGN, NOW, SIGNATURES_URL, makeTestApp, signatureBody, type TestApp } from './support/test-app.js';

const COUNT_URL = `/api/campaigns/${CAMPAIGN}/count`;

async function countOf(t: TestApp): Promise<number> {
  return (await (await t.app.request(COUNT_URL)).json()).count;
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
      const partner = await (await t.app.request(`${COUNT_URL}?partner=plovdiv`)).json();
      assert.equal(partner.partnerCount, 1);
    });

    it('stores the signature confirmed, with its email key, consent version and time', async () => {
      // From the partner's page: only a browser's Origin gets the page recorded.
      const fromPage = { headers: { Origin: 'https://plovdiv.bg' } };
      await t.post(signatureBody({ email: ' Maria.Ivanova@Example.ORG ', newsletter: true, partner: 'plovdiv', page: 'https://plovdiv.bg/eu' }), fromPage);
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
      const withLength = await t.app.request(SIGNATURES_URL, {
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
