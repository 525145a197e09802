import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LiveServer } from './support/live-server.js';
import { CAMPAIGN, makeTestApp, signatureBody, type TestApp } from './support/test-app.js';

const CAMPAIGN_URL = `/api/campaigns/${CAMPAIGN}`;
const COUNT_URL = `${CAMPAIGN_URL}/count`;

describe('GET /api/campaigns/:campaign', () => {
  let t: TestApp;
  // A public PUBLIC_URL needs SMTP_URL; no mail server listens there, and none is needed.
  before(
    async () =>
      (t = await makeTestApp({ DOUBLE_OPT_IN: 'off', PUBLIC_URL: 'https://sign.example.eu/', SMTP_URL: 'smtp://127.0.0.1:2525' })),
  );
  after(() => t.close());

  it('gives the campaign in English by default, with the count', async () => {
    await t.post(signatureBody());
    const response = await t.request(CAMPAIGN_URL);
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.deepEqual(Object.keys(body).sort(), [
      'consentTexts',
      'consentVersion',
      'count',
      'declaration',
      'goal',
      'hashtag',
      'id',
      'introduction',
      'lang',
      'languages',
      'privacyUrl',
      'title',
    ]);
    assert.equal(body.id, CAMPAIGN);
    assert.equal(body.lang, 'en');
    // Translations get added over time: what matters is that the list is sorted and has these.
    assert.deepEqual(body.languages, [...body.languages].sort());
    assert.ok(body.languages.includes('bg') && body.languages.includes('en'), body.languages.join());
    assert.match(body.title, /Declaration/);
    assert.ok(body.declaration.length >= 6 && body.declaration.length <= 8);
    assert.equal(body.goal, 3000);
    assert.equal(body.hashtag, '#CohesionAlliance');
    assert.equal(body.count, 1);
  });

  it('links the privacy notice at PUBLIC_URL, in the language of the texts', async () => {
    const body = await (await t.request(CAMPAIGN_URL)).json();
    assert.equal(body.privacyUrl, 'https://sign.example.eu/privacy?lang=en&campaign=cohesion-alliance');
    const bg = await (await t.request(`${CAMPAIGN_URL}?lang=bg-BG`)).json();
    assert.equal(bg.privacyUrl, 'https://sign.example.eu/privacy?lang=bg&campaign=cohesion-alliance');
  });

  it('serves the language asked for, also from a regional tag', async () => {
    for (const lang of ['bg', 'BG', 'bg-BG']) {
      const body = await (await t.request(`${CAMPAIGN_URL}?lang=${lang}`)).json();
      assert.equal(body.lang, 'bg', lang);
      assert.match(body.title, /Декларация/);
    }
  });

  it('falls back to English for a language it does not have', async () => {
    const body = await (await t.request(`${CAMPAIGN_URL}?lang=xx`)).json();
    assert.equal(body.lang, 'en');
  });

  it('answers 404 unknown_campaign for an unknown id', async () => {
    const response = await t.request('/api/campaigns/no-such-campaign');
    assert.equal(response.status, 404);
    assert.equal((await response.json()).error, 'unknown_campaign');
  });

  it('does not take "__proto__" or "constructor" for a campaign', async () => {
    for (const id of ['__proto__', 'constructor', 'toString']) {
      assert.equal((await t.request(`/api/campaigns/${id}`)).status, 404, id);
    }
  });
});

describe('GET /api/campaigns/:campaign/count', () => {
  let t: TestApp;
  before(async () => (t = await makeTestApp({ DOUBLE_OPT_IN: 'off' })));
  after(() => t.close());

  it('gives the count and the goal, cacheable for 5 seconds', async () => {
    const response = await t.request(COUNT_URL);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { count: 0, goal: 3000 });
    assert.equal(response.headers.get('Cache-Control'), 'public, max-age=5');
    assert.match(response.headers.get('ETag') ?? '', /^"[^"]+"$/);
  });

  it('adds the partner count when asked for a partner', async () => {
    await t.post(signatureBody({ email: 'p1@example.org', partner: 'plovdiv' }));
    await t.post(signatureBody({ email: 'p2@example.org', partner: 'ruse' }));
    const body = await (await t.request(`${COUNT_URL}?partner=plovdiv`)).json();
    assert.equal(body.partnerCount, 1);
    assert.equal(body.count, (await (await t.request(COUNT_URL)).json()).count);
  });

  it('answers 304 to a matching If-None-Match, and 200 once the count moved', async () => {
    const first = await t.request(COUNT_URL);
    const etag = first.headers.get('ETag')!;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await t.request(COUNT_URL, { headers: { 'If-None-Match': ifNoneMatch } });
      assert.equal(again.status, 304, ifNoneMatch);
      assert.equal(again.headers.get('ETag'), etag);
      assert.equal(await again.text(), '');
    }
    await t.post(signatureBody({ email: 'moved@example.org' }));
    const moved = await t.request(COUNT_URL, { headers: { 'If-None-Match': etag } });
    assert.equal(moved.status, 200);
    assert.notEqual(moved.headers.get('ETag'), etag);
  });

  it('gives a partner count its own ETag', async () => {
    const total = (await t.request(COUNT_URL)).headers.get('ETag');
    const partner = (await t.request(`${COUNT_URL}?partner=plovdiv`)).headers.get('ETag');
    const other = (await t.request(`${COUNT_URL}?partner=ruse-2`)).headers.get('ETag');
    assert.notEqual(partner, total);
    assert.notEqual(partner, other);
  });

  it('refuses a malformed partner id with 400', async () => {
    const response = await t.request(`${COUNT_URL}?partner=${encodeURIComponent('<script>')}`);
    assert.equal(response.status, 400);
    assert.deepEqual((await response.json()).fields, { partner: 'invalid' });
  });

  it('answers 404 unknown_campaign for an unknown id', async () => {
    const response = await t.request('/api/campaigns/no-such-campaign/count');
    assert.equal(response.status, 404);
    assert.equal((await response.json()).error, 'unknown_campaign');
  });
});

describe('GET /api/campaigns/:campaign/count over HTTP', () => {
  let t: TestApp;
  let server: LiveServer;
  before(async () => {
    t = await makeTestApp({ DOUBLE_OPT_IN: 'off' });
    await t.post(signatureBody({ partner: 'plovdiv' }));
    server = await LiveServer.start(t);
  });
  after(async () => {
    await server.close();
    await t.close();
  });

  it('answers any origin with the count, its ETag and cache headers; HEAD alike without the body', async () => {
    const count = await server.send({ path: COUNT_URL, headers: { Origin: 'https://ruse.bg' } });
    assert.deepEqual([count.status, count.body], [200, { count: 1, goal: 3000 }]);
    assert.equal(count.headers['content-type'], 'application/json');
    assert.equal(count.headers['etag'], '"1-3000"');
    assert.equal(count.headers['cache-control'], 'public, max-age=5');
    assert.equal(count.headers['access-control-allow-origin'], '*');
    assert.equal(count.headers['access-control-expose-headers'], 'ETag,Retry-After');
    assert.equal(count.headers['x-content-type-options'], 'nosniff');
    const head = await server.send({ method: 'HEAD', path: COUNT_URL });
    assert.deepEqual([head.status, head.text, head.headers['etag']], [200, '', '"1-3000"']);
    const unchanged = await server.send({ path: COUNT_URL, headers: { 'If-None-Match': 'W/"1-3000"' } });
    assert.deepEqual([unchanged.status, unchanged.text], [304, '']);
  });

  it('reads the partner from a query with escapes, and the path after dot segments', async () => {
    const partner = await server.send({ path: `${COUNT_URL}?partner=%70lovdiv` });
    assert.deepEqual(partner.body, { count: 1, goal: 3000, partnerCount: 1 });
    const refused = await server.send({ path: `${COUNT_URL}?partner=not%20valid!` });
    assert.deepEqual([refused.status, (refused.body as { error: string }).error], [400, 'invalid_query']);
    const dotted = await server.send({ path: `/api/campaigns/elsewhere/../${CAMPAIGN}/count` });
    assert.deepEqual([dotted.status, dotted.body], [200, { count: 1, goal: 3000 }]);
  });
});
