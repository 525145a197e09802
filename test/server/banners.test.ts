/** The partners' banners: `GET /api/campaigns/:campaign/banner.svg` and `banner.png`. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BANNER_SIZES } from '../../contract/banners.js';
import { fitText } from '../../server/routes/banners.js';
import { CAMPAIGN, makeTestApp, signatureBody, type TestApp } from './support/test-app.js';

const BANNER = `/api/campaigns/${CAMPAIGN}/banner`;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG's width and height, from its IHDR chunk. */
const pngSize = (png: Buffer) => [png.readUInt32BE(16), png.readUInt32BE(20)];

describe('banners', () => {
  let t: TestApp;
  before(async () => (t = await makeTestApp({ DOUBLE_OPT_IN: 'off' })));
  after(() => t.close());

  it('are SVG in every language and size: the title, the call to sign, nothing loaded from elsewhere', async () => {
    const campaign = await (await t.request(`/api/campaigns/${CAMPAIGN}`)).json();
    for (const lang of campaign.languages as string[]) {
      for (const size of BANNER_SIZES) {
        const response = await t.request(`${BANNER}.svg?lang=${lang}&size=${size}`);
        assert.equal(response.status, 200, `${lang} ${size}`);
        assert.equal(response.headers.get('Content-Type'), 'image/svg+xml; charset=utf-8');
        const svg = await response.text();
        const [width, height] = size.split('x');
        assert.match(svg, new RegExp(`^<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" `));
        assert.match(svg, new RegExp(`lang="${lang}"`));
        const { title } = await (await t.request(`/api/campaigns/${CAMPAIGN}?lang=${lang}`)).json();
        const label = /<title>([^<]+)<\/title>/.exec(svg)?.[1];
        assert.ok(label?.startsWith(title.replaceAll('&', '&amp;')), `${lang} ${size}: ${label}`);
        // No fonts, images or styles from anywhere: only shapes and text.
        assert.doesNotMatch(svg, /href|url\(|@import|<image|<script|<style/);
      }
    }
  });

  it('show the live count in the language, in its plural form, when asked', async () => {
    const svg = async () => (await t.request(`${BANNER}.svg?lang=pl&size=300x250&count=on`)).text();
    assert.match(await svg(), /0 osób popierających/);
    await t.post(signatureBody({ email: 'banner.1@example.org' }));
    assert.match(await svg(), /1 osoba popierająca/);
    await t.post(signatureBody({ email: 'banner.2@example.org' }));
    assert.match(await svg(), /2 osoby popierające/);
    // Without count=on, no number.
    assert.doesNotMatch(await (await t.request(`${BANNER}.svg?lang=pl&size=300x250`)).text(), /popierając/);
  });

  it('are PNG of the size asked for', async () => {
    for (const size of ['728x90', '160x600']) {
      const response = await t.request(`${BANNER}.png?lang=el&size=${size}&count=on`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('Content-Type'), 'image/png');
      const png = Buffer.from(await response.arrayBuffer());
      assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
      assert.deepEqual(pngSize(png), size.split('x').map(Number));
    }
  });

  it('are cached by an ETag that changes with the count', async () => {
    const first = await t.request(`${BANNER}.png?size=468x60&count=on`);
    const etag = first.headers.get('ETag')!;
    assert.match(etag, /^"[\w-]+"$/);
    assert.equal(first.headers.get('Cache-Control'), 'public, max-age=60');
    const again = await t.request(`${BANNER}.png?size=468x60&count=on`, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    await t.post(signatureBody({ email: 'banner.3@example.org' }));
    const moved = await t.request(`${BANNER}.png?size=468x60&count=on`, { headers: { 'If-None-Match': etag } });
    assert.equal(moved.status, 200);
    assert.notEqual(moved.headers.get('ETag'), etag);
    assert.equal((await t.request(`${BANNER}.svg`)).headers.get('Cache-Control'), 'public, max-age=300');
  });

  it('refuse a bad parameter with a 400 naming it', async () => {
    for (const [query, field] of [
      ['size=100x100', 'size'],
      ['lang=xx', 'lang'],
      ['count=yes', 'count'],
    ]) {
      const response = await t.request(`${BANNER}.svg?${query}`);
      assert.equal(response.status, 400, query);
      assert.deepEqual(Object.keys((await response.json()).fields), [field], query);
    }
    assert.equal((await t.request('/api/campaigns/nothing-here/banner.png')).status, 404);
  });

  it('fit their text: the largest size that fits the box, lines broken between words and after hyphens', () => {
    const title = 'Declaration of Principles of the #CohesionAlliance';
    assert.deepEqual(fitText(title, 400, 60, [24, 20, 16, 12], 'bold', 2), {
      size: 24,
      lines: ['Declaration of Principles', 'of the #CohesionAlliance'],
    });
    // Narrower: a smaller size; lower: fewer lines.
    assert.equal(fitText(title, 300, 60, [24, 20, 16, 12], 'bold', 2).size, 16);
    assert.deepEqual(fitText(title, 300, 20, [24, 20, 16, 12], 'bold', 2).lines, ['Declaration of Principles of the…']);
    assert.deepEqual(fitText('#CohesionAlliance-liittouman julistus', 120, 100, [10], 'bold').lines, [
      '#CohesionAlliance-',
      'liittouman',
      'julistus',
    ]);
    // What cannot fit at the smallest size is cut, and says so.
    const cut = fitText('a very long title that will never fit in here', 60, 12, [10], 'regular');
    assert.equal(cut.lines.length, 1);
    assert.ok(cut.lines[0]!.endsWith('…'));
  });
});
