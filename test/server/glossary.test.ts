/**
 * The words the widget, the mails and the pages share are one glossary per language
 * (server/content/glossary.json): wherever an English text uses one, its translation uses that
 * language's word for it, in the widget (widget/locales/*.xlf) as in the server's own texts
 * (server/content/messages/*.json). A reader meets one word for "supporters", "counted", a
 * "link", an "email" and the "privacy notice" (a notice, not a policy) from the widget to the mail
 * to the confirmation page.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { allLocales } from '../../widget/generated/locale-codes.js';
import { loadConfig } from '../../server/config.js';

const contentDir = loadConfig({}).contentDir;
const repo = new URL('../../', import.meta.url).pathname;

/** The glossary's terms, each with the English words that call for it. */
const TERMS = {
  supporters: /\bsupporters?\b/i,
  counted: /\bcounted\b/i,
  link: /\blinks?\b/i,
  email: /\bemail\b/i,
  privacyNotice: /\bprivacy notice\b/i,
} as const;
type Term = keyof typeof TERMS;

/**
 * Per language, each term's word as it appears in every form the language gives it: the
 * invariant beginning of the word (a stem), or, where the language changes the beginning too
 * (Irish mutations), each of those beginnings.
 */
const glossary: Record<string, Record<Term, string | string[]>> = JSON.parse(readFileSync(join(contentDir, 'glossary.json'), 'utf8'));

/** English source and translation of each widget string in `lang`, placeholders left out. */
function widgetPairs(lang: string): Array<[string, string]> {
  const xlf = readFileSync(join(repo, 'widget/locales', `${lang}.xlf`), 'utf8');
  const plain = (text: string) => text.replace(/<x [^>]*\/>/g, ' ').replace(/&amp;/g, '&');
  return [...xlf.matchAll(/<source>([\s\S]*?)<\/source>\s*<target>([\s\S]*?)<\/target>/g)].map(([, source, target]) => [
    plain(source!),
    plain(target!),
  ]);
}

function messagePairs(lang: string): Array<[string, string]> {
  const read = (code: string): Record<string, string> => JSON.parse(readFileSync(join(contentDir, 'messages', `${code}.json`), 'utf8'));
  const english = read('en');
  const translated = read(lang);
  return Object.entries(translated).map(([key, text]) => [english[key]!, text]);
}

describe('the glossary', () => {
  const languages = allLocales.filter((lang) => lang !== 'en');

  it('has each term in every language', () => {
    assert.deepEqual(Object.keys(glossary).sort(), [...languages].sort());
    for (const lang of languages) assert.deepEqual(Object.keys(glossary[lang]!).sort(), Object.keys(TERMS).sort(), lang);
  });

  for (const lang of languages) {
    it(`is used in ${lang} by the widget, the mails and the pages alike`, () => {
      const misses: string[] = [];
      for (const [where, pairs] of [
        ['widget', widgetPairs(lang)],
        ['messages', messagePairs(lang)],
      ] as const) {
        for (const [english, translation] of pairs) {
          for (const [term, words] of Object.entries(TERMS) as Array<[Term, RegExp]>) {
            // A placeholder ({email}: an address) is not the word.
            if (!words.test(english.replace(/\{[^}]*\}/g, ''))) continue;
            const forms = [glossary[lang]![term]].flat().map((form) => form.toLocaleLowerCase(lang));
            if (!forms.some((form) => translation.toLocaleLowerCase(lang).includes(form))) {
              misses.push(`${where}: ${term} (${forms.join(' | ')}) missing from "${translation}" for "${english}"`);
            }
          }
        }
      }
      assert.deepEqual(misses, []);
    });
  }
});
