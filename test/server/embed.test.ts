/** The iframe embed (`/embed/:campaign`) and its oEmbed answer (`/oembed`). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EMBED_HEIGHTS } from '../../contract/embed.js';
import { findRepoRoot } from '../../server/repo-root.js';
import { CAMPAIGN, makeTestApp, type TestApp } from './support/test-app.js';

const OWN = 'https://sign.example.eu';
const CONFIG = { PUBLIC_URL: OWN, SMTP_URL: 'smtp://127.0.0.1:2525' };
const titleIn = (lang: string) =>
  (
    JSON.parse(readFileSync(join(findRepoRoot(import.meta.url), 'server', 'content', 'campaigns', CAMPAIGN, `${lang}.json`), 'utf8')) as {
      title: string;
    }
  ).title;
const escaped = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
const EMBED = `/embed/${CAMPAIGN}`;

describe('the iframe embed', () => {
  let t: TestApp;
  before(async () => (t = await makeTestApp(CONFIG)));
  after(() => t.close());

  it('is a page holding the element alone, with the options of its address', async () => {
    const response = await t.request(`${EMBED}?partner=plovdiv&lang=bg&variant=compact&color-scheme=dark&accent=%23aa3300`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('Content-Type') ?? '', /^text\/html/);
    const page = await response.text();
    assert.match(page, /^<!doctype html>\n<html lang="bg">/);
    assert.ok(page.includes(`<title>${escaped(titleIn('bg'))}</title>`), page);
    const elements = [...page.matchAll(/<cohesion-declaration[^>]*>/g)].map(([tag]) => tag);
    assert.deepEqual(elements, [
      `<cohesion-declaration campaign="${CAMPAIGN}" lang="bg" partner="plovdiv" variant="compact" color-scheme="dark" style="--cohesion-color-accent: #aa3300">`,
    ]);
    assert.match(page, /<script type="module" src="\/widget\/cohesion-declaration.js"><\/script>/);
    assert.match(page, /<script src="\/widget\/embed-frame.js" defer><\/script>/);
    assert.match(page, /background: transparent/);
  });

  it('may be framed by any page, and loads only from this server', async () => {
    const response = await t.request(EMBED);
    const csp = response.headers.get('Content-Security-Policy') ?? '';
    assert.match(csp, /frame-ancestors \*/);
    assert.match(csp, /script-src 'self'/);
    assert.equal(response.headers.get('X-Frame-Options'), null);
    // Every other page of ours stays unframeable from elsewhere.
    const other = await t.request(`/declaration/${CAMPAIGN}/en`);
    assert.match(other.headers.get('Content-Security-Policy') ?? '', /frame-ancestors 'self'/);
    assert.equal(other.headers.get('X-Frame-Options'), 'SAMEORIGIN');
  });

  it("speaks the visitor's language when the address names none, and says caches must keep languages apart", async () => {
    const response = await t.request(EMBED, { headers: { 'Accept-Language': 'xx, pt-PT;q=0.9, en;q=0.5' } });
    const page = await response.text();
    assert.match(page, /<html lang="pt">/);
    assert.match(page, /<cohesion-declaration campaign="cohesion-alliance" lang="pt">/);
    assert.equal(response.headers.get('Vary'), 'Accept-Language');
    assert.equal(response.headers.get('Cache-Control'), 'public, max-age=300');
    assert.match(await (await t.request(EMBED)).text(), /<html lang="en">/);
    // A regional tag in the address finds its language.
    assert.match(await (await t.request(`${EMBED}?lang=de-AT`)).text(), /<html lang="de">/);
  });

  it('names the oEmbed answer for its own address in a discovery link', async () => {
    const page = await (await t.request(`${EMBED}?lang=de&variant=counter`)).text();
    const href = /<link rel="alternate" type="application\/json\+oembed" href="([^"]+)"/.exec(page)?.[1]?.replaceAll('&amp;', '&');
    assert.ok(href, page);
    const url = new URL(href);
    assert.equal(url.origin + url.pathname, `${OWN}/oembed`);
    assert.equal(url.searchParams.get('url'), `${OWN}${EMBED}?lang=de&variant=counter`);
    assert.equal(url.searchParams.get('format'), 'json');
  });

  it('refuses a bad parameter with a 400 that names it, and never echoes it into the page', async () => {
    const cases: Array<[string, string]> = [
      ['partner=%22%3E%3Cscript%3E', 'partner'],
      ['lang=xx', 'lang'],
      ['variant=huge', 'variant'],
      ['color-scheme=sepia', 'color-scheme'],
      ['accent=red;background:url(x)', 'accent'],
      ['accent=%23aa3300%22', 'accent'],
    ];
    for (const [query, field] of cases) {
      const response = await t.request(`${EMBED}?${query}`);
      assert.equal(response.status, 400, query);
      const body = await response.json();
      assert.equal(body.error, 'invalid_query', query);
      assert.deepEqual(Object.keys(body.fields), [field], query);
    }
    const unknown = await t.request('/embed/no-such-campaign');
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).error, 'unknown_campaign');
  });

  it('ignores parameters it does not know, as a page does', async () => {
    assert.equal((await t.request(`${EMBED}?utm_source=newsletter`)).status, 200);
  });
});

describe('oEmbed', () => {
  let t: TestApp;
  before(async () => (t = await makeTestApp(CONFIG)));
  after(() => t.close());
  const oembed = (query: Record<string, string>) => t.request(`/oembed?${new URLSearchParams(query)}`);

  it('answers a rich embed for an embed address: its iframe, title and size', async () => {
    const url = `${OWN}${EMBED}?partner=plovdiv&lang=fr&variant=compact`;
    const response = await oembed({ url, format: 'json' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('Access-Control-Allow-Origin'), '*');
    const body = await response.json();
    assert.equal(body.version, '1.0');
    assert.equal(body.type, 'rich');
    assert.equal(body.title, titleIn('fr'));
    assert.equal(body.provider_url, `${OWN}/`);
    assert.equal(body.height, EMBED_HEIGHTS.compact);
    assert.ok(Number.isInteger(body.width) && body.width > 0);
    const iframe = /^<iframe src="([^"]+)" title="([^"]+)" loading="lazy" style="[^"]*"><\/iframe>$/.exec(body.html);
    assert.ok(iframe, body.html);
    assert.equal(iframe[1]!.replaceAll('&amp;', '&'), url);
    assert.equal(iframe[2], escaped(titleIn('fr')));
    assert.match(body.html, new RegExp(`block-size: ${EMBED_HEIGHTS.compact}px`));
  });

  it('keeps within maxwidth and maxheight', async () => {
    const body = await (await oembed({ url: `${OWN}${EMBED}`, maxwidth: '300', maxheight: '500' })).json();
    assert.equal(body.width, 300);
    assert.equal(body.height, 500);
    assert.match(body.html, /block-size: 500px/);
  });

  it('refuses what it cannot answer, naming the parameter', async () => {
    const cases: Array<[Record<string, string>, number, string]> = [
      [{ url: `${OWN}${EMBED}`, format: 'xml' }, 501, 'format'],
      [{}, 400, 'url'],
      [{ url: 'not a url' }, 400, 'url'],
      [{ url: `${OWN}${EMBED}`, maxwidth: '-5' }, 400, 'maxwidth'],
      [{ url: `https://elsewhere.example${EMBED}` }, 404, 'url'],
      [{ url: `${OWN}/declaration/${CAMPAIGN}/en` }, 404, 'url'],
      [{ url: `${OWN}${EMBED}?variant=huge` }, 400, 'variant'],
    ];
    for (const [query, status, field] of cases) {
      const response = await oembed(query);
      assert.equal(response.status, status, JSON.stringify(query));
      assert.deepEqual(Object.keys((await response.json()).fields), [field], JSON.stringify(query));
    }
  });
});
