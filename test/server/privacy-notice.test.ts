/** The privacy notice at /privacy, built from the campaign's content in the signer's language, and the links to it. */
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SAMPLE_CONTROLLER } from '../../server/campaigns.js';
import { loadConfig } from '../../server/config.js';
import { loadMessages, type MessageKey } from '../../server/messages.js';
import { tempFolder } from './support/fixtures.js';
import { CAMPAIGN, makeTestApp, type TestApp } from './support/test-app.js';

const CONTROLLER = {
  name: 'Association of Cohesion Regions',
  address: 'Rue de la Loi 1, 1000 Brussels, Belgium',
  email: 'privacy@cohesion-regions.example',
  dpo: 'dpo@cohesion-regions.example',
};
const english = JSON.parse(readFileSync(join(loadConfig({}).contentDir, 'messages', 'en.json'), 'utf8')) as Record<string, string>;
/** The English notice's sentences, cut at their placeholders: none may show on a page in another language. */
const englishPieces = Object.entries(english)
  .filter(([key]) => key.startsWith('privacy.') && key !== 'privacy.link')
  // Around each placeholder, a plural one ({days, plural, one {# day} other {# days}}) included.
  .flatMap(([, text]) => text.split(/\{(?:[^{}]|\{[^{}]*\})*\}/))
  .map((piece) => piece.trim())
  .filter((piece) => piece.length > 12);

/** As the page's HTML holds a text. */
const escaped = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

const page = async (t: TestApp, path: string, headers: Record<string, string> = {}) => {
  const response = await t.request(path, { headers });
  return { response, text: await response.text() };
};

describe('the privacy notice', () => {
  let t: TestApp;
  let content: ReturnType<typeof tempFolder>;
  before(async () => {
    content = tempFolder();
    cpSync(loadConfig({}).contentDir, content.path, { recursive: true });
    const folder = join(content.path, 'campaigns', CAMPAIGN);
    const edit = (file: string, change: (json: Record<string, unknown>) => Record<string, unknown>) =>
      writeFileSync(join(folder, file), JSON.stringify(change(JSON.parse(readFileSync(join(folder, file), 'utf8')))));
    edit('campaign.json', (json) => ({ ...json, controller: CONTROLLER }));
    // The organiser's own words: recipients in Bulgarian only, purposes in English only (the default language).
    edit('bg.json', (json) => ({ ...json, privacy: { recipients: 'Само организаторите на кампанията и никой друг.' } }));
    edit('en.json', (json) => ({ ...json, privacy: { purposes: 'To present the declaration with its supporters.' } }));
    t = await makeTestApp({ CONTENT_DIR: content.path, RETAIN_UNCONFIRMED_DAYS: '21', RETAIN_CONFIRMED_DAYS: '400' });
  });
  after(async () => {
    await t.close();
    content.remove();
  });

  it('is in Bulgarian with no English sentence: the controller, retention from the settings, the rights', async () => {
    const { response, text } = await page(t, `/privacy?lang=bg&campaign=${CAMPAIGN}`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('Content-Type') ?? '', /^text\/html/);
    assert.equal(response.headers.get('Cache-Control'), 'public, max-age=300');
    assert.match(text, /<html lang="bg">/);
    const bg = JSON.parse(readFileSync(join(content.path, 'messages', 'bg.json'), 'utf8')) as Record<string, string>;
    for (const key of ['privacy.controller.heading', 'privacy.rights.heading', 'privacy.rights.withdraw', 'privacy.legal_basis']) {
      assert.ok(text.includes(escaped(bg[key]!)), key);
    }
    for (const value of [CONTROLLER.name, CONTROLLER.address, CONTROLLER.email, CONTROLLER.dpo]) assert.ok(text.includes(value), value);
    const inBulgarian = loadMessages(content.path).in('bg');
    const retention = (key: MessageKey, days: number) => escaped(inBulgarian.text(key, { days }));
    assert.ok(text.includes(retention('privacy.retention.unconfirmed', 21)), 'unconfirmed: RETAIN_UNCONFIRMED_DAYS');
    assert.ok(text.includes(retention('privacy.retention.confirmed_days', 400)), 'confirmed: RETAIN_CONFIRMED_DAYS');
    assert.match(text, /след 21 дни\./, 'the number of days in its plural form');
    assert.ok(text.includes('Само организаторите на кампанията и никой друг.'), "the organiser's own recipients");
    assert.ok(text.includes('To present the declaration with its supporters.'), 'purposes fall back to English, field by field');
    const leftOver = englishPieces.filter((piece) => text.includes(escaped(piece)));
    assert.deepEqual(leftOver, [], 'no English sentence of ours');
  });

  it("follows the browser's language without ?lang=, and says so to caches", async () => {
    const { response, text } = await page(t, '/privacy', { 'Accept-Language': 'de-AT,de;q=0.9,en;q=0.5' });
    assert.match(text, /<html lang="de">/);
    assert.match(response.headers.get('Vary') ?? '', /(^|, )Accept-Language(,|$)/);
    assert.match((await page(t, '/privacy')).text, /<html lang="en">/, 'English by default');
    // Not only the first language: the nearest of them the campaign has, in the browser's order.
    assert.match((await page(t, '/privacy', { 'Accept-Language': 'ja,bg;q=0.9,en;q=0.5' })).text, /<html lang="bg">/);
  });

  it('answers 404 for a campaign it does not have', async () => {
    assert.equal((await page(t, '/privacy?campaign=nope')).response.status, 404);
  });

  it('is compressed as it is sent', async () => {
    const response = await t.request('/privacy?lang=fi', { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(response.headers.get('Content-Encoding'), 'gzip');
  });
});

describe('the privacy notice of the sample campaign', () => {
  let t: TestApp;
  before(async () => (t = await makeTestApp()));
  after(() => t.close());

  it('names no sample controller, and no way to write that goes nowhere', async () => {
    const { response, text } = await page(t, '/privacy?lang=bg');
    assert.equal(response.status, 200);
    for (const value of Object.values(SAMPLE_CONTROLLER)) assert.ok(!text.includes(value), value);
  });

  it('is linked, in the signer’s language, from the campaign API and from the pages about a signature', async () => {
    const campaign = (await (await t.request(`/api/campaigns/${CAMPAIGN}?lang=el`)).json()) as { privacyUrl: string };
    assert.equal(new URL(campaign.privacyUrl).search, `?lang=el&campaign=${CAMPAIGN}`);
    const kept = await page(t, '/withdraw/kept?lang=fr');
    assert.match(kept.text, new RegExp(`<footer><p><a href="http://localhost:8787/privacy\\?lang=fr&amp;campaign=${CAMPAIGN}">`));
    const unknown = await page(t, '/confirm?token=nope', { 'Accept-Language': 'pl' });
    assert.match(unknown.text, /privacy\?lang=pl&amp;campaign=/);
  });
});
