/** The organisers' API (/api/admin), and the public wall of supporters. */
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../server/config.js';
import { csvCell } from '../../server/http/csv.js';
import { EXPORT_PAGE_ROWS } from '../../server/routes/admin.js';
import { newSignature, tempFolder } from './support/fixtures.js';
import { CAMPAIGN, NOW, makeTestApp, signatureBody, type TestApp } from './support/test-app.js';

const TOKEN = 'a-long-enough-admin-token-for-tests';
const AUTH = { Authorization: `Bearer ${TOKEN}` };
const ADMIN = '/api/admin';
/** A signature is credited to a registered partner only from a page at one of its origins. */
const PLOVDIV = 'https://plovdiv.bg';
const fromPlovdiv = { headers: { Origin: PLOVDIV } };

function admin(t: TestApp, path: string, init: RequestInit & { json?: unknown } = {}) {
  const { json, headers, ...rest } = init;
  return t.request(`${ADMIN}${path}`, {
    ...rest,
    headers: { ...AUTH, ...(json === undefined ? {} : { 'Content-Type': 'application/json' }), ...(headers as Record<string, string>) },
    body: json === undefined ? rest.body : JSON.stringify(json),
  });
}

async function errorOf(response: Response, status: number) {
  assert.equal(response.status, status, await response.clone().text());
  return (await response.json()) as { error: string; fields?: Record<string, string> };
}

/** The CSV's rows as arrays of cells (RFC 4180: quotes doubled, fields may hold commas and line breaks). */
function parseCsv(text: string): string[][] {
  assert.ok(text.startsWith('\uFEFF'), 'starts with a BOM');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 1; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') ((cell += '"'), i++);
      else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') (row.push(cell), (cell = ''));
    else if (char === '\r' && text[i + 1] === '\n') (row.push(cell), rows.push(row), (row = []), (cell = ''), i++);
    else cell += char;
  }
  assert.equal(cell + row.join(''), '', 'ends with CRLF');
  return rows;
}

/**
 * A CSV line as a spreadsheet splits it on `separator` (Excel does on ";" where that is the list
 * separator): a field is quoted only when it starts with a quote.
 */
function spreadsheetFields(line: string, separator: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    let field = '';
    if (line[i] === '"') {
      for (i++; i < line.length; i++) {
        if (line[i] === '"' && line[i + 1] === '"') ((field += '"'), i++);
        else if (line[i] === '"') break;
        else field += line[i];
      }
      i++;
    }
    const end = line.indexOf(separator, i) < 0 ? line.length : line.indexOf(separator, i);
    fields.push(field + line.slice(i, end));
    i = end + 1;
  }
  return fields;
}

async function exportCsv(t: TestApp, query = '') {
  const response = await admin(t, `/campaigns/${CAMPAIGN}/signatures.csv${query}`);
  assert.equal(response.status, 200);
  const [header, ...rows] = parseCsv(new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer()));
  return { response, header: header!, rows: rows.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i]!]))) };
}

describe('admin API', () => {
  describe('with ADMIN_TOKEN unset', () => {
    let t: TestApp;
    before(async () => (t = await makeTestApp()));
    after(() => t.close());

    it('answers 404 everywhere, even with a token', async () => {
      for (const path of [`/campaigns/${CAMPAIGN}/stats`, '/partners']) {
        assert.equal((await errorOf(await admin(t, path), 404)).error, 'not_found');
      }
    });
  });

  describe('with ADMIN_TOKEN set', () => {
    let t: TestApp;
    before(
      async () => (t = await makeTestApp({ ADMIN_TOKEN: TOKEN, DOUBLE_OPT_IN: 'off', PARTNER_ORIGINS: '{"ruse":["https://ruse.bg"]}' })),
    );
    after(() => t.close());

    it('refuses without the token, with a wrong one, and with another scheme: 401, WWW-Authenticate, no CORS', async () => {
      const attempts: Array<Record<string, string>> = [
        {},
        { Authorization: `Bearer ${TOKEN}x` },
        { Authorization: `Bearer ${TOKEN.slice(0, -1)}` },
        { Authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` },
        { Authorization: TOKEN },
      ];
      for (const headers of attempts) {
        for (const path of [`/campaigns/${CAMPAIGN}/stats`, `/campaigns/${CAMPAIGN}/signatures.csv`, '/partners']) {
          const response = await t.request(`${ADMIN}${path}`, { headers: { Origin: 'https://evil.example', ...headers } });
          assert.equal((await errorOf(response.clone(), 401)).error, 'unauthorized');
          assert.match(response.headers.get('WWW-Authenticate') ?? '', /^Bearer/);
          assert.equal(response.headers.get('Access-Control-Allow-Origin'), null);
          assert.equal(response.headers.get('Cache-Control'), 'no-store');
        }
      }
      const erasure = await t.request(`${ADMIN}/erasures`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"email":"a@b.eu"}',
      });
      assert.equal(erasure.status, 401);
    });

    it('counts by day, country, signer type, organisation kind and partner, with partner names', async () => {
      assert.equal(
        (await admin(t, '/partners/plovdiv', { method: 'PUT', json: { name: 'Plovdiv Municipality', origins: [PLOVDIV] } })).status,
        200,
      );
      await t.post(signatureBody({ email: 'a@example.org', partner: 'plovdiv' }), fromPlovdiv);
      await t.post(
        signatureBody({
          email: 'b@example.org',
          country: 'RO',
          signerType: 'organisation',
          organisation: 'Regiunea',
          organisationKind: 'regional-authority',
          partner: 'plovdiv',
        }),
        fromPlovdiv,
      );
      await t.post(signatureBody({ email: 'c@example.org', country: 'other' }));
      const response = await admin(t, `/campaigns/${CAMPAIGN}/stats`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('Cache-Control'), 'no-store');
      const stats = await response.json();
      assert.deepEqual(stats, {
        campaign: CAMPAIGN,
        title: 'Declaration of Principles of the #CohesionAlliance',
        goal: 3000,
        count: 3,
        baseline: 0,
        confirmed: 3,
        pending: 0,
        byDay: [{ key: '2026-11-24', count: 3 }],
        byCountry: [
          { key: 'BG', count: 1 },
          { key: 'other', count: 1 },
          { key: 'RO', count: 1 },
        ],
        bySignerType: [
          { key: 'individual', count: 2 },
          { key: 'organisation', count: 1 },
        ],
        byOrganisationKind: [{ key: 'regional-authority', count: 1 }],
        byPartner: [
          { key: 'plovdiv', count: 2, name: 'Plovdiv Municipality' },
          { key: null, count: 1, name: null },
        ],
      });
      assert.equal((await errorOf(await admin(t, '/campaigns/no-such-campaign/stats'), 404)).error, 'unknown_campaign');
    });

    it('exports what was signed as CSV, every field, formula cells neutralised', async () => {
      await t.post(
        signatureBody({
          email: 'formula@example.org',
          name: '=HYPERLINK("http://evil")',
          organisation: '+cmd',
          role: '@SUM(A1)',
          organisationKind: 'ngo',
          signerType: 'organisation',
          newsletter: true,
          listPublicly: true,
          lang: 'bg',
        }),
      );
      await t.post(signatureBody({ email: 'minus@example.org', name: '-2+3', organisation: 'Quotes "and", commas' }));
      const { response, header, rows } = await exportCsv(t);
      assert.equal(response.headers.get('Content-Type'), 'text/csv; charset=utf-8');
      assert.equal(response.headers.get('Content-Disposition'), `attachment; filename="${CAMPAIGN}-signatures-2026-11-24.csv"`);
      assert.deepEqual(header, [
        'signed_at',
        'confirmed_at',
        'status',
        'signer_type',
        'name',
        'organisation',
        'organisation_kind',
        'role',
        'country',
        'email',
        'partner',
        'page',
        'lang',
        'newsletter',
        'list_publicly',
        'consent_version',
      ]);
      const formula = rows.find((row) => row.email === 'formula@example.org')!;
      assert.deepEqual(formula, {
        signed_at: '2026-11-24T12:00:00.000Z',
        confirmed_at: '2026-11-24T12:00:00.000Z',
        status: 'confirmed',
        signer_type: 'organisation',
        name: `'=HYPERLINK("http://evil")`,
        organisation: "'+cmd",
        organisation_kind: 'ngo',
        role: "'@SUM(A1)",
        country: 'BG',
        email: 'formula@example.org',
        partner: '',
        page: '',
        lang: 'bg',
        newsletter: 'yes',
        list_publicly: 'yes',
        consent_version: formula.consent_version,
      });
      assert.match(formula.consent_version!, /\S/);
      const minus = rows.find((row) => row.email === 'minus@example.org')!;
      assert.deepEqual([minus.name, minus.organisation, minus.newsletter], ["'-2+3", 'Quotes "and", commas', 'no']);
      for (const row of rows) for (const cell of Object.values(row)) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, 'no cell starts a formula');
    });

    it('starts no formula where a spreadsheet splits the export on ";"', async () => {
      const role = 'Mayor;=HYPERLINK(A1&B1);';
      await t.post(signatureBody({ email: 'semicolon@example.org', signerType: 'representative', organisation: 'Plovdiv', role }));
      const response = await admin(t, `/campaigns/${CAMPAIGN}/signatures.csv`);
      const line = (await response.text()).split('\r\n').find((text) => text.includes('semicolon@example.org'))!;
      for (const separator of [';', ',']) {
        for (const field of spreadsheetFields(line, separator)) assert.doesNotMatch(field, /^[=+\-@\t\r]/, `split on "${separator}"`);
      }
      const { rows } = await exportCsv(t);
      assert.equal(rows.find((row) => row.email === 'semicolon@example.org')!.role, "Mayor;'=HYPERLINK(A1&B1);");
    });

    it('streams an export longer than one page, each signature once, in order; filters by status', async () => {
      const before = (await exportCsv(t)).rows.length;
      const added = EXPORT_PAGE_ROWS * 2 + 7;
      await Promise.all(
        Array.from({ length: added }, (_, i) =>
          t.store.add(
            newSignature({ email: `bulk${i}@example.org`, emailKey: `bulk${i}@example.org`, status: i % 10 ? 'confirmed' : 'pending' }),
          ),
        ),
      );
      const { rows } = await exportCsv(t);
      assert.equal(rows.length, before + added);
      assert.equal(new Set(rows.map((row) => row.email)).size, rows.length, 'no row twice');
      const pending = (await exportCsv(t, '?status=pending')).rows;
      assert.equal(pending.length, Math.ceil(added / 10));
      assert.ok(pending.every((row) => row.status === 'pending' && row.confirmed_at === ''));
      assert.equal((await exportCsv(t, '?status=confirmed')).rows.length, before + added - pending.length);
      const bad = await errorOf(await admin(t, `/campaigns/${CAMPAIGN}/signatures.csv?status=deleted`), 400);
      assert.deepEqual(bad.fields, { status: 'invalid' });
    });

    it('erases a signer by email, whatever its case: gone from counts, export and wall; counts fall', async () => {
      await t.post(signatureBody({ email: 'Erase.Me@Example.org', partner: 'plovdiv', listPublicly: true, name: 'Erase Me' }), fromPlovdiv);
      const countBefore = (await (await t.request(`/api/campaigns/${CAMPAIGN}/count?partner=plovdiv`)).json()) as {
        count: number;
        partnerCount: number;
      };
      const response = await admin(t, '/erasures', { method: 'POST', json: { email: 'erase.me@example.ORG' } });
      assert.deepEqual(await response.json(), { erased: 1 });
      const countAfter = (await (await t.request(`/api/campaigns/${CAMPAIGN}/count?partner=plovdiv`)).json()) as typeof countBefore;
      assert.deepEqual([countAfter.count, countAfter.partnerCount], [countBefore.count - 1, countBefore.partnerCount - 1]);
      assert.ok((await exportCsv(t)).rows.every((row) => row.email.toLowerCase() !== 'erase.me@example.org'));
      const wall = await (await t.request(`/api/campaigns/${CAMPAIGN}/supporters?limit=100`)).text();
      assert.doesNotMatch(wall, /Erase Me/);
      assert.deepEqual(await (await admin(t, '/erasures', { method: 'POST', json: { email: 'erase.me@example.org' } })).json(), {
        erased: 0,
      });
    });

    it('refuses bad erasure requests with the field named, and changes nothing', async () => {
      const before = t.snapshot();
      const cases: Array<[RequestInit & { json?: unknown }, number, string, Record<string, string>?]> = [
        [{ method: 'POST', json: {} }, 400, 'invalid_fields', { email: 'required' }],
        [{ method: 'POST', json: { email: 'not an address' } }, 400, 'invalid_fields', { email: 'invalid_email' }],
        [{ method: 'POST', json: { email: 'a@example.org', everything: true } }, 400, 'invalid_fields', { everything: 'unknown_field' }],
        [{ method: 'POST', json: { email: 'a@example.org', campaign: 'nope' } }, 404, 'unknown_campaign'],
        [{ method: 'POST', json: ['a@example.org'] }, 400, 'invalid_body'],
        [{ method: 'POST', body: '{"email":', headers: { 'Content-Type': 'application/json' } }, 400, 'invalid_json'],
        [
          { method: 'POST', body: 'email=a@example.org', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
          415,
          'unsupported_media_type',
        ],
        [{ method: 'POST', json: { email: `${'a'.repeat(20_000)}@example.org` } }, 413, 'payload_too_large'],
      ];
      for (const [init, status, code, fields] of cases) {
        const body = await errorOf(await admin(t, '/erasures', init), status);
        assert.equal(body.error, code);
        if (fields) assert.deepEqual(body.fields, fields);
      }
      assert.deepEqual(t.snapshot(), before);
    });

    it('manages partners: add, change, list, delete; settings partners are read-only', async () => {
      const saved = await admin(t, '/partners/vidin', {
        method: 'PUT',
        json: { name: 'Vidin', origins: ['https://vidin.bg', 'https://vidin.bg/'] },
      });
      assert.deepEqual(await saved.json(), {
        id: 'vidin',
        name: 'Vidin',
        origins: ['https://vidin.bg'],
        listed: false,
        url: null,
        logo: null,
        position: 0,
        fromSettings: false,
      });
      await admin(t, '/partners/vidin', { method: 'PUT', json: { name: 'Vidin Municipality', origins: ['https://www.vidin.bg'] } });
      const { partners } = (await (await admin(t, '/partners')).json()) as {
        partners: Array<{ id: string; name: string; fromSettings: boolean }>;
      };
      assert.deepEqual(
        partners.map(({ id, name, fromSettings }) => [id, name, fromSettings]),
        [
          ['ruse', 'ruse', true],
          ['plovdiv', 'Plovdiv Municipality', false],
          ['vidin', 'Vidin Municipality', false],
        ],
      );
      assert.equal(
        (await errorOf(await admin(t, '/partners/ruse', { method: 'PUT', json: { name: 'Ruse', origins: [] } }), 409)).error,
        'conflict',
      );
      assert.equal((await errorOf(await admin(t, '/partners/ruse', { method: 'DELETE' }), 409)).error, 'conflict');
      assert.equal((await admin(t, '/partners/vidin', { method: 'DELETE' })).status, 204);
      assert.equal((await errorOf(await admin(t, '/partners/vidin', { method: 'DELETE' }), 404)).error, 'not_found');
    });

    it('refuses bad partners with the field named', async () => {
      const cases: Array<[string, unknown, Record<string, string>]> = [
        ['/partners/vidin', { name: '', origins: [] }, { name: 'invalid' }],
        ['/partners/vidin', { origins: [] }, { name: 'required' }],
        ['/partners/vidin', { name: 'Vidin', origins: ['https://vidin.bg/page'] }, { origins: 'invalid' }],
        ['/partners/vidin', { name: 'Vidin', origins: 'https://vidin.bg' }, { origins: 'invalid' }],
        ['/partners/vidin', { name: 'Vidin', origins: ['javascript:alert(1)'] }, { origins: 'invalid' }],
        ['/partners/vidin', { name: 'Vidin', origins: [], colour: 'red' }, { colour: 'unknown_field' }],
        ['/partners/vidin', { name: 'V'.repeat(201), origins: [] }, { name: 'too_long' }],
        ['/partners/vidin', { name: 'Vidin', origins: Array.from({ length: 21 }, (_, i) => `https://v${i}.bg`) }, { origins: 'too_long' }],
        ['/partners/bad%20id', { name: 'Vidin', origins: [] }, { id: 'invalid' }],
        ['/partners/vidin', { name: 'Vidin', origins: [], listed: 'yes' }, { listed: 'invalid' }],
        ['/partners/vidin', { name: 'Vidin', origins: [], url: 'vidin.bg' }, { url: 'invalid' }],
        ['/partners/vidin', { name: 'Vidin', origins: [], url: 'javascript:alert(1)' }, { url: 'invalid' }],
        ['/partners/vidin', { name: 'Vidin', origins: [], logo: 'http://vidin.bg/logo.png' }, { logo: 'invalid' }],
        ['/partners/vidin', { name: 'Vidin', origins: [], logo: 'https://127.0.0.1/logo.png' }, { logo: 'invalid' }],
        ['/partners/vidin', { name: 'Vidin', origins: [], position: -1 }, { position: 'invalid' }],
      ];
      for (const [path, json, fields] of cases) {
        assert.deepEqual((await errorOf(await admin(t, path, { method: 'PUT', json }), 400)).fields, fields, JSON.stringify(json));
      }
    });

    it("lists the partners who chose to be listed, publicly, in the organisers' order, with website and logo where given", async () => {
      const put = (id: string, json: object) => admin(t, `/partners/${id}`, { method: 'PUT', json: { origins: [], ...json } });
      assert.equal((await put('sofia', { name: 'Sofia', listed: true, position: 2, url: 'https://www.sofia.bg/' })).status, 200);
      await put('varna', { name: 'Varna', listed: true, position: 1, logo: 'https://varna.bg/logo.svg' });
      await put('aytos', { name: 'Aytos', listed: true, position: 2 });
      await put('shumen', { name: 'Shumen' });
      const response = await t.request(`/api/campaigns/${CAMPAIGN}/partners`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('Cache-Control'), 'public, max-age=60');
      assert.equal(response.headers.get('Access-Control-Allow-Origin'), '*');
      assert.deepEqual(await response.json(), {
        partners: [
          { id: 'varna', name: 'Varna', logo: 'https://varna.bg/logo.svg' },
          { id: 'aytos', name: 'Aytos' },
          { id: 'sofia', name: 'Sofia', url: 'https://www.sofia.bg/' },
        ],
      });
      assert.equal((await errorOf(await t.request('/api/campaigns/nope/partners'), 404)).error, 'unknown_campaign');
      for (const id of ['sofia', 'varna', 'aytos', 'shumen']) await admin(t, `/partners/${id}`, { method: 'DELETE' });
    });

    it('lets a partner registered here sign from its origin at once, attributed to it', async () => {
      const signFrom = (origin: string, email: string) =>
        t.post(signatureBody({ email, partner: 'burgas' }), { headers: { Origin: origin } });
      assert.equal(
        (await signFrom('https://burgas.bg', 'early@example.org')).status,
        403,
        'PARTNER_ORIGINS is set: unknown origins may not sign',
      );
      await admin(t, '/partners/burgas', { method: 'PUT', json: { name: 'Burgas', origins: ['https://burgas.bg'] } });
      const signed = await signFrom('https://burgas.bg', 'burgas@example.org');
      assert.equal(signed.status, 201);
      assert.equal(signed.headers.get('Access-Control-Allow-Origin'), 'https://burgas.bg');
      const count = (await (await t.request(`/api/campaigns/${CAMPAIGN}/count?partner=burgas`)).json()) as { partnerCount: number };
      assert.equal(count.partnerCount, 1);
      await admin(t, '/partners/burgas', { method: 'DELETE' });
      assert.equal((await signFrom('https://burgas.bg', 'late@example.org')).status, 403, 'deleted: its origin may no longer sign');
    });
  });
});

describe('admin stats under load', () => {
  let t: TestApp;
  let scans = 0;
  before(async () => {
    t = await makeTestApp({ ADMIN_TOKEN: TOKEN, DOUBLE_OPT_IN: 'off' });
    const scan = t.store.stats.bind(t.store);
    t.store.stats = (campaign) => (scans++, scan(campaign));
  });
  after(() => t.close());

  it('scans once for requests that arrive together, and again after an erasure', async () => {
    await t.post(signatureBody({ email: 'load@example.org' }));
    const answers = (await Promise.all(
      Array.from({ length: 5 }, async () => (await admin(t, `/campaigns/${CAMPAIGN}/stats`)).json()),
    )) as Array<{ confirmed: number }>;
    assert.equal(scans, 1);
    assert.ok(answers.every((stats) => stats.confirmed === 1));
    await admin(t, '/erasures', { method: 'POST', json: { email: 'load@example.org' } });
    assert.equal(((await (await admin(t, `/campaigns/${CAMPAIGN}/stats`)).json()) as { confirmed: number }).confirmed, 0);
    assert.equal(scans, 2);
  });
});

describe('public wall of supporters', () => {
  let t: TestApp;
  const wall = async (query = '') => {
    const response = await t.request(`/api/campaigns/${CAMPAIGN}/supporters${query}`, {
      headers: { Origin: 'https://anywhere.example' },
    });
    assert.equal(response.status, 200);
    return {
      response,
      text: await response.clone().text(),
      body: (await response.json()) as { supporters: Array<Record<string, string>>; next: string | null },
    };
  };

  before(async () => {
    t = await makeTestApp({ DOUBLE_OPT_IN: 'off' });
    for (let i = 1; i <= 5; i++) {
      await t.post(
        signatureBody({
          email: `listed${i}@example.org`,
          name: `Listed ${i}`,
          listPublicly: true,
          ...(i % 2 ? {} : { signerType: 'representative', role: 'Mayor', organisation: `Town ${i}` }),
        }),
      );
    }
    await t.post(signatureBody({ email: 'hidden@example.org', name: 'Not Listed' }));
    // Representatives are listed once approved.
    for (const { id } of await t.store.wallEntries(CAMPAIGN, { state: 'awaiting', limit: 100, moderateAll: false })) {
      await t.store.moderate(CAMPAIGN, id, 'approved');
    }
  });
  after(() => t.close());

  it('shows only those who chose to be listed, newest first, without email, to any origin', async () => {
    const { response, text, body } = await wall();
    assert.deepEqual(
      body.supporters.map((s) => s.name),
      ['Listed 5', 'Listed 4', 'Listed 3', 'Listed 2', 'Listed 1'],
    );
    assert.deepEqual(body.supporters[1], {
      signerType: 'representative',
      name: 'Listed 4',
      country: 'BG',
      organisation: 'Town 4',
      role: 'Mayor',
    });
    assert.equal(body.next, null);
    assert.doesNotMatch(text, /@|Not Listed/);
    assert.equal(response.headers.get('Access-Control-Allow-Origin'), '*');
  });

  it('pages by cursor, and filters by signer type', async () => {
    const first = await wall('?limit=2');
    assert.deepEqual(
      first.body.supporters.map((s) => s.name),
      ['Listed 5', 'Listed 4'],
    );
    const second = await wall(`?limit=2&cursor=${first.body.next}`);
    assert.deepEqual(
      second.body.supporters.map((s) => s.name),
      ['Listed 3', 'Listed 2'],
    );
    const third = await wall(`?limit=2&cursor=${second.body.next}`);
    assert.deepEqual(
      third.body.supporters.map((s) => s.name),
      ['Listed 1'],
    );
    assert.equal(third.body.next, null);
    assert.deepEqual(
      (await wall('?signerType=representative')).body.supporters.map((s) => s.name),
      ['Listed 4', 'Listed 2'],
    );
  });

  it('refuses bad queries with the parameter named', async () => {
    for (const [query, field] of [
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?limit=1.5', 'limit'],
      ['?limit=', 'limit'],
      ['?cursor=abc', 'cursor'],
      ['?cursor=0', 'cursor'],
      ['?cursor=99999999999999999999', 'cursor'],
      ['?signerType=robot', 'signerType'],
    ]) {
      const response = await t.request(`/api/campaigns/${CAMPAIGN}/supporters${query}`);
      const body = await errorOf(response, 400);
      assert.deepEqual([body.error, body.fields], ['invalid_query', { [field!]: 'invalid' }], query);
    }
    assert.equal((await errorOf(await t.request('/api/campaigns/nope/supporters'), 404)).error, 'unknown_campaign');
  });
});

describe('moderation of the public wall', () => {
  type Entry = { id: number; name: string; state: string } & Record<string, unknown>;
  let t: TestApp;
  const publicWall = async (app = t) => {
    const { supporters } = (await (await app.request(`/api/campaigns/${CAMPAIGN}/supporters?limit=100`)).json()) as {
      supporters: Entry[];
    };
    return supporters.map(({ name }) => name);
  };
  const entries = async (query = '', app = t) => {
    const response = await admin(app, `/campaigns/${CAMPAIGN}/supporters${query}`);
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(response.headers.get('Cache-Control'), 'no-store');
    return (await response.json()) as { supporters: Entry[]; next: string | null };
  };
  const names = async (query = '', app = t) => (await entries(query, app)).supporters.map(({ name }) => name);
  const idOf = async (name: string, state: string, app = t) =>
    (await entries(`?state=${state}`, app)).supporters.find((entry) => entry.name === name)!.id;
  const decide = (id: number | string, moderation: unknown, app = t) =>
    admin(app, `/campaigns/${CAMPAIGN}/supporters/${id}`, { method: 'PUT', json: { moderation } });
  const count = async () =>
    (await (await t.request(`/api/campaigns/${CAMPAIGN}/count?partner=plovdiv`)).json()) as { count: number; partnerCount: number };

  before(async () => {
    t = await makeTestApp({ ADMIN_TOKEN: TOKEN, DOUBLE_OPT_IN: 'off' });
    await t.post(signatureBody({ email: 'maria@example.org', name: 'Maria Ivanova', listPublicly: true, partner: 'plovdiv' }));
    await t.post(
      signatureBody({
        email: 'dimitrov@plovdiv.bg',
        name: 'Dimitar Dimitrov',
        signerType: 'representative',
        role: 'Mayor',
        organisation: 'Plovdiv',
        listPublicly: true,
        partner: 'plovdiv',
      }),
    );
    await t.post(
      signatureBody({
        email: 'anna@example.org',
        name: 'Anna Huber',
        signerType: 'organisation',
        organisation: 'Land Niederdonau',
        organisationKind: 'regional-authority',
        country: 'AT',
        listPublicly: true,
      }),
    );
    await t.post(signatureBody({ email: 'unlisted@example.org', name: 'Not Listed', signerType: 'representative', role: 'Mayor' }));
  });
  after(() => t.close());

  it('lists individuals at once, and organisations and representatives only in the queue, with what an organiser checks', async () => {
    assert.deepEqual(await publicWall(), ['Maria Ivanova']);
    const queue = await entries();
    assert.deepEqual(
      queue.supporters.map(({ name }) => name),
      ['Anna Huber', 'Dimitar Dimitrov'],
      'awaiting review, newest first',
    );
    assert.equal(queue.next, null);
    const { id, ...mayor } = queue.supporters[1]!;
    assert.equal(typeof id, 'number');
    assert.deepEqual(mayor, {
      state: 'awaiting',
      signerType: 'representative',
      name: 'Dimitar Dimitrov',
      organisation: 'Plovdiv',
      role: 'Mayor',
      country: 'BG',
      email: 'dimitrov@plovdiv.bg',
      partner: 'plovdiv',
      signedAt: '2026-11-24T12:00:00.000Z',
    });
    assert.deepEqual(await names('?state=shown'), ['Maria Ivanova']);
    assert.deepEqual(await names('?state=hidden'), []);
  });

  it('approves an entry onto the wall; hides any entry without touching a count; approving shows it again', async () => {
    const mayor = await idOf('Dimitar Dimitrov', 'awaiting');
    const approved = await decide(mayor, 'approved');
    assert.equal(approved.status, 200);
    assert.deepEqual(await approved.json(), { id: mayor, state: 'shown' });
    assert.deepEqual(await publicWall(), ['Dimitar Dimitrov', 'Maria Ivanova']);
    assert.deepEqual(await names(), ['Anna Huber']);

    const before = { count: await count(), stats: await (await admin(t, `/campaigns/${CAMPAIGN}/stats`)).json() };
    const maria = await idOf('Maria Ivanova', 'shown');
    assert.deepEqual(await (await decide(maria, 'hidden')).json(), { id: maria, state: 'hidden' });
    assert.deepEqual(await (await decide(mayor, 'hidden')).json(), { id: mayor, state: 'hidden' });
    assert.deepEqual(await publicWall(), []);
    assert.deepEqual(await names('?state=hidden'), ['Dimitar Dimitrov', 'Maria Ivanova']);
    assert.deepEqual(await count(), before.count, 'the count never depends on the wall');
    assert.deepEqual(await (await admin(t, `/campaigns/${CAMPAIGN}/stats`)).json(), before.stats);
    assert.ok(
      (await exportCsv(t)).rows.some((row) => row.email === 'maria@example.org'),
      'the signature is kept',
    );

    assert.deepEqual(await (await decide(maria, 'approved')).json(), { id: maria, state: 'shown' }, 'un-hidden');
    assert.deepEqual(await publicWall(), ['Maria Ivanova']);
    assert.deepEqual(await names('?state=hidden'), ['Dimitar Dimitrov']);
  });

  it('pages by cursor, newest first', async () => {
    await decide(await idOf('Anna Huber', 'awaiting'), 'hidden');
    const page1 = await entries('?state=hidden&limit=1');
    assert.deepEqual(
      page1.supporters.map(({ name }) => name),
      ['Anna Huber'],
    );
    assert.equal(typeof page1.next, 'string');
    assert.deepEqual(await names(`?state=hidden&limit=1&cursor=${page1.next}`), ['Dimitar Dimitrov']);
  });

  it('refuses bad requests in the one error shape, 404 for what is not an entry of the wall, and changes nothing', async () => {
    const before = t.snapshot();
    const maria = await idOf('Maria Ivanova', 'shown');
    const [unlisted] = t.rows(`SELECT id FROM signatures WHERE name = 'Not Listed'`) as { id: number }[];
    const path = (id: number | string, campaign = CAMPAIGN) => `/campaigns/${campaign}/supporters/${id}`;
    const cases: Array<[string, RequestInit & { json?: unknown }, number, string, Record<string, string>?]> = [
      [path(maria), { method: 'PUT', json: {} }, 400, 'invalid_fields', { moderation: 'required' }],
      [path(maria), { method: 'PUT', json: { moderation: 'deleted' } }, 400, 'invalid_fields', { moderation: 'invalid' }],
      [path(maria), { method: 'PUT', json: { moderation: 'unreviewed' } }, 400, 'invalid_fields', { moderation: 'invalid' }],
      [path(maria), { method: 'PUT', json: { moderation: 'hidden', why: 'spam' } }, 400, 'invalid_fields', { why: 'unknown_field' }],
      [path(maria), { method: 'PUT', json: ['hidden'] }, 400, 'invalid_body'],
      [
        path(maria),
        { method: 'PUT', body: 'moderation=hidden', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
        415,
        'unsupported_media_type',
      ],
      [path(unlisted!.id), { method: 'PUT', json: { moderation: 'approved' } }, 404, 'not_found'],
      [path(999_999), { method: 'PUT', json: { moderation: 'hidden' } }, 404, 'not_found'],
      [path('abc'), { method: 'PUT', json: { moderation: 'hidden' } }, 404, 'not_found'],
      [path('1e3'), { method: 'PUT', json: { moderation: 'hidden' } }, 404, 'not_found'],
      [path(maria, 'no-such-campaign'), { method: 'PUT', json: { moderation: 'hidden' } }, 404, 'unknown_campaign'],
      [`/campaigns/${CAMPAIGN}/supporters?state=pending`, {}, 400, 'invalid_query', { state: 'invalid' }],
      [`/campaigns/${CAMPAIGN}/supporters?limit=0&cursor=x`, {}, 400, 'invalid_query', { limit: 'invalid', cursor: 'invalid' }],
      ['/campaigns/no-such-campaign/supporters', {}, 404, 'unknown_campaign'],
    ];
    for (const [target, init, status, code, fields] of cases) {
      const body = await errorOf(await admin(t, target, init), status);
      assert.deepEqual(
        [body.error, body.fields],
        [code, fields],
        `${init.method ?? 'GET'} ${target} ${JSON.stringify(init.json ?? init.body ?? '')}`,
      );
    }
    for (const init of [{ method: 'PUT', body: '{"moderation":"hidden"}', headers: { 'Content-Type': 'application/json' } }, {}]) {
      const target = init.method ? path(maria) : `/campaigns/${CAMPAIGN}/supporters`;
      assert.equal((await t.request(`${ADMIN}${target}`, init)).status, 401);
    }
    assert.deepEqual(t.snapshot(), before);
  });

  describe('in a campaign that moderates everyone', () => {
    let moderated: TestApp;
    let content: ReturnType<typeof tempFolder>;
    before(async () => {
      content = tempFolder();
      cpSync(loadConfig({}).contentDir, content.path, { recursive: true });
      const settings = join(content.path, 'campaigns', CAMPAIGN, 'campaign.json');
      writeFileSync(settings, JSON.stringify({ ...JSON.parse(readFileSync(settings, 'utf8')), moderateAll: true }));
      moderated = await makeTestApp({ ADMIN_TOKEN: TOKEN, DOUBLE_OPT_IN: 'off', CONTENT_DIR: content.path });
      await moderated.post(signatureBody({ email: 'maria@example.org', name: 'Maria Ivanova', listPublicly: true }));
    });
    after(async () => {
      await moderated.close();
      content.remove();
    });

    it('lists nobody before an organiser approves them', async () => {
      assert.deepEqual(await publicWall(moderated), []);
      assert.deepEqual(await names('', moderated), ['Maria Ivanova']);
      await decide(await idOf('Maria Ivanova', 'awaiting', moderated), 'approved', moderated);
      assert.deepEqual(await publicWall(moderated), ['Maria Ivanova']);
    });
  });
});

describe('baseline: supporters gathered elsewhere', () => {
  let t: TestApp;
  const BASELINE = `/campaigns/${CAMPAIGN}/baseline`;
  const counts = async () => {
    const response = await t.request(`/api/campaigns/${CAMPAIGN}/count?partner=ruse`);
    const { count, partnerCount } = (await response.json()) as { count: number; partnerCount: number };
    return [count, partnerCount];
  };
  before(async () => {
    t = await makeTestApp({ ADMIN_TOKEN: TOKEN, DOUBLE_OPT_IN: 'off', PARTNER_ORIGINS: '{"ruse":["https://ruse.bg"]}' });
    assert.equal((await t.post(signatureBody())).status, 201);
    assert.equal(
      (await t.post(signatureBody({ email: 'other@example.org', partner: 'ruse' }), { headers: { Origin: 'https://ruse.bg' } })).status,
      201,
    );
  });
  after(() => t.close());

  it('records dated, labelled entries that the public and partner counts include, the live counter too; lists them', async () => {
    const heard: number[] = [];
    t.store.onCount((_campaign, count) => heard.push(count));
    assert.deepEqual(await counts(), [2, 1]);
    const paper = await admin(t, BASELINE, {
      method: 'POST',
      json: { count: 1200, note: 'Paper lists, Ruse forum', partner: 'ruse', date: '2026-10-01' },
    });
    assert.equal(paper.status, 201);
    const entry = (await paper.json()) as { id: number };
    assert.deepEqual(entry, {
      id: entry.id,
      count: 1200,
      note: 'Paper lists, Ruse forum',
      date: '2026-10-01',
      partner: 'ruse',
      createdAt: NOW,
    });
    const previous = (await (
      await admin(t, BASELINE, { method: 'POST', json: { count: 1700, note: '  The previous platform ' } })
    ).json()) as {
      id: number;
      date: string;
      partner: null;
      note: string;
    };
    assert.deepEqual(
      [previous.date, previous.partner, previous.note],
      ['2026-11-24', null, 'The previous platform'],
      'today, for the campaign',
    );
    assert.deepEqual(await counts(), [2902, 1201]);
    assert.deepEqual(heard, [1202, 2902], 'the live counters hear each');
    const campaign = (await (await t.request(`/api/campaigns/${CAMPAIGN}`)).json()) as { count: number };
    assert.equal(campaign.count, 2902);

    const listed = await admin(t, BASELINE);
    assert.equal(listed.headers.get('Cache-Control'), 'no-store');
    assert.deepEqual(await listed.json(), {
      campaign: CAMPAIGN,
      total: 2900,
      entries: [entry, { ...previous, count: 1700, createdAt: NOW }],
    });
  });

  it('keeps the stats and the export to people: online signatures only, the baseline and the public count beside them', async () => {
    const stats = (await (await admin(t, `/campaigns/${CAMPAIGN}/stats`)).json()) as { confirmed: number; count: number; baseline: number };
    assert.deepEqual(
      [stats.count, stats.confirmed, stats.baseline],
      [2902, 2, 2900],
      'the public count, the people, and the baseline apart',
    );
    assert.equal((await exportCsv(t)).rows.length, 2);
  });

  it('removes an entry: the counts fall by it; a second removal, or an unknown id, is 404', async () => {
    const { entries } = (await (await admin(t, BASELINE)).json()) as { entries: { id: number; partner: string | null }[] };
    const ruse = entries.find(({ partner }) => partner === 'ruse')!;
    const before = await counts();
    const removed = await admin(t, `${BASELINE}/${ruse.id}`, { method: 'DELETE' });
    assert.equal(removed.status, 204);
    assert.deepEqual(await counts(), [before[0]! - 1200, before[1]! - 1200]);
    for (const id of [String(ruse.id), '999999', 'abc', '0']) {
      assert.equal((await errorOf(await admin(t, `${BASELINE}/${id}`, { method: 'DELETE' }), 404)).error, 'not_found', id);
    }
    assert.equal(
      (await errorOf(await admin(t, `/campaigns/nope/baseline/${ruse.id}`, { method: 'DELETE' }), 404)).error,
      'unknown_campaign',
    );
  });

  it('refuses bad entries with the field named, and changes nothing', async () => {
    const before = { counts: await counts(), list: await (await admin(t, BASELINE)).json() };
    const cases: [unknown, Record<string, string>][] = [
      [{ note: 'x' }, { count: 'required' }],
      [{ count: 0, note: 'x' }, { count: 'invalid' }],
      [{ count: 2.5, note: 'x' }, { count: 'invalid' }],
      [{ count: '100', note: 'x' }, { count: 'invalid' }],
      [{ count: 10_000_001, note: 'x' }, { count: 'invalid' }],
      [{ count: 10 }, { note: 'required' }],
      [{ count: 10, note: '   ' }, { note: 'invalid' }],
      [{ count: 10, note: 'x'.repeat(201) }, { note: 'too_long' }],
      [{ count: 10, note: '\u202Eevil' }, { note: 'invalid' }],
      [{ count: 10, note: 'x', date: '2026-13-01' }, { date: 'invalid' }],
      [{ count: 10, note: 'x', date: '2026-11-25' }, { date: 'invalid' }],
      [{ count: 10, note: 'x', partner: 'plovdiv' }, { partner: 'invalid' }],
      [{ count: 10, note: 'x', partner: 'Not an id!' }, { partner: 'invalid' }],
      [{ count: 10, note: 'x', people: ['Maria'] }, { people: 'unknown_field' }],
    ];
    for (const [json, fields] of cases) {
      const body = await errorOf(await admin(t, BASELINE, { method: 'POST', json }), 400);
      assert.deepEqual([body.error, body.fields], ['invalid_fields', fields], JSON.stringify(json));
    }
    assert.equal(
      (await errorOf(await admin(t, '/campaigns/nope/baseline', { method: 'POST', json: { count: 1, note: 'x' } }), 404)).error,
      'unknown_campaign',
    );
    assert.equal(
      (await errorOf(await admin(t, BASELINE, { method: 'POST', body: 'count=1', headers: { 'Content-Type': 'text/plain' } }), 415)).error,
      'unsupported_media_type',
    );
    assert.deepEqual({ counts: await counts(), list: await (await admin(t, BASELINE)).json() }, before);
  });

  it('is behind the token', async () => {
    for (const method of ['GET', 'POST', 'DELETE']) {
      const path = method === 'DELETE' ? `/api/admin${BASELINE}/1` : `/api/admin${BASELINE}`;
      assert.equal(
        (
          await t.request(path, {
            method,
            headers: { 'Content-Type': 'application/json' },
            body: method === 'POST' ? '{"count":1,"note":"x"}' : undefined,
          })
        ).status,
        401,
        method,
      );
    }
  });
});

describe('csvCell', () => {
  it('quotes what needs quoting and neutralises formulas', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell('a;b'), '"a;b"');
    assert.equal(csvCell('Mayor;=HYPERLINK(A1&B1);'), `"Mayor;'=HYPERLINK(A1&B1);"`, 'a formula after ";" neutralised too');
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      assert.equal(csvCell(`${start}1`).replace(/^"/, '')[0], "'", JSON.stringify(start));
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(true), 'yes');
    assert.equal(csvCell(-1), '-1', 'numbers we write are not formulas');
  });
});
