/** The printable declaration: `/declaration/:campaign/:lang`. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findRepoRoot } from '../../server/repo-root.js';
import { CAMPAIGN, makeTestApp, type TestApp } from './support/test-app.js';

const root = findRepoRoot(import.meta.url);
const textsIn = (lang: string) =>
  JSON.parse(readFileSync(join(root, 'server', 'content', 'campaigns', CAMPAIGN, `${lang}.json`), 'utf8')) as {
    title: string;
    introduction: string;
    declaration: string[];
  };
const escaped = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

describe('the printable declaration', () => {
  let t: TestApp;
  before(async () => (t = await makeTestApp()));
  after(() => t.close());

  for (const lang of ['bg', 'en', 'ga']) {
    it(`is the campaign's own text in ${lang}, as one page with print styles`, async () => {
      const response = await t.request(`/declaration/${CAMPAIGN}/${lang}`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('Content-Type') ?? '', /^text\/html/);
      assert.equal(response.headers.get('Cache-Control'), 'public, max-age=300');
      const page = await response.text();
      const { title, introduction, declaration } = textsIn(lang);
      assert.match(page, new RegExp(`^<!doctype html>\\n<html lang="${lang}">`));
      assert.ok(page.includes(`<h1>${escaped(title)}</h1>`), page);
      assert.ok(page.includes(escaped(introduction)));
      const items = [...page.matchAll(/<li>([^<]*)<\/li>/g)].map(([, text]) => text);
      assert.deepEqual(items, declaration.map(escaped), 'every principle, in order');
      assert.match(page, /<link rel="stylesheet" href="\/pages.css">/);
      assert.doesNotMatch(page, /<script/);
    });
  }

  it('has print styles in the stylesheet it links', async () => {
    const css = await (await t.request('/pages.css')).text();
    assert.match(css, /@media print\s*{[\s\S]*\.declaration li\s*{\s*break-inside: avoid;/);
  });

  it('is not found for a campaign or a language there is no text for', async () => {
    for (const path of [
      `/declaration/nothing/en`,
      `/declaration/${CAMPAIGN}/xx`,
      `/declaration/${CAMPAIGN}/EN`,
      `/declaration/${CAMPAIGN}`,
    ]) {
      assert.equal((await t.request(path)).status, 404, path);
    }
  });
});
