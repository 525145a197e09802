import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { loadConfig } from '../../server/config.js';
import { MESSAGE_KEYS, loadMessages, placeholderNames } from '../../server/messages.js';
import { tempFolder } from './support/fixtures.js';

const contentDir = loadConfig({}).contentDir;
const shipped = (lang: string): Record<string, string> => JSON.parse(readFileSync(join(contentDir, 'messages', `${lang}.json`), 'utf8'));

/** The texts with a number of days in them, which each language words through its plural rules. */
const WITH_DAYS = ['mail.confirm', 'page.expired.text', 'privacy.retention.unconfirmed', 'privacy.retention.confirmed_days'] as const;
/** Our Portuguese is Portugal's, whose plural rules differ from Brazil's (the default for `pt`). */
const pluralLocale = (lang: string) => (lang === 'pt' ? 'pt-PT' : lang);

describe('the shipped texts', () => {
  const messages = loadMessages(contentDir);
  for (const lang of messages.languages) {
    it(`word every number of days through the plural rules of ${lang}`, () => {
      const rules = new Intl.PluralRules(pluralLocale(lang));
      // The forms whole numbers of days take in this language.
      const categories = new Set(Array.from({ length: 200 }, (_, n) => rules.select(n + 1)));
      for (const key of WITH_DAYS) {
        const template = shipped(lang)[key]!;
        assert.match(template, /\{days, plural,/, `${lang} ${key}: days go through plural rules`);
        for (const category of categories)
          assert.match(template, new RegExp(`\\b${category} \\{`), `${lang} ${key}: a form for "${category}"`);
        for (const days of [1, 2, 3, 5, 11, 21, 22, 25, 30, 101, 365]) {
          const text = messages.in(lang).text(key, { days, title: 'T' });
          assert.ok(text.includes(new Intl.NumberFormat(lang).format(days)), `${lang} ${key}: ${days} in "${text}"`);
          assert.ok(!/[{}#]/.test(text), `${lang} ${key}: nothing left of the template in "${text}"`);
        }
      }
    });
  }

  it('say "1 day" and "30 days" in English, and "1 dzień", "22 dni" in Polish', () => {
    assert.match(messages.in('en').text('privacy.retention.unconfirmed', { days: 1 }), /after 1 day\./);
    assert.match(messages.in('en').text('privacy.retention.unconfirmed', { days: 30 }), /after 30 days\./);
    assert.match(messages.in('pl').text('page.expired.text', { days: 1 }), /przez\s1\sdzień\./);
    assert.match(messages.in('pl').text('page.expired.text', { days: 22 }), /przez\s22\sdni\./);
  });
});

describe('loadMessages', () => {
  let folder: ReturnType<typeof tempFolder>;
  const write = (file: string, data: unknown) => {
    mkdirSync(join(folder.path, 'messages'), { recursive: true });
    writeFileSync(join(folder.path, 'messages', file), typeof data === 'string' ? data : JSON.stringify(data));
  };

  beforeEach(() => {
    folder = tempFolder();
    write('en.json', shipped('en'));
  });
  afterEach(() => folder.remove());

  it('fills in placeholders, and leaves unknown ones as they are', () => {
    const en = loadMessages(folder.path).in('en');
    assert.equal(en.text('mail.subject.confirm', { title: 'Cohesion' }), 'Please confirm your signature: Cohesion');
    assert.equal(en.text('mail.subject.confirm'), 'Please confirm your signature: {title}');
  });

  it('takes each key a language lacks from English', () => {
    write('de.json', { 'mail.subject.confirm': 'Bitte bestätigen Sie: {title}' });
    const de = loadMessages(folder.path).in('de');
    assert.equal(de.lang, 'de');
    assert.equal(de.text('mail.subject.confirm', { title: 'Cohesion' }), 'Bitte bestätigen Sie: Cohesion');
    assert.equal(de.text('page.confirm.button'), 'Confirm my signature');
  });

  it('serves the first wanted language that has a file, a region finding its language, else English', () => {
    write('de.json', {});
    const messages = loadMessages(folder.path);
    assert.deepEqual(messages.languages, ['de', 'en']);
    assert.equal(messages.in(undefined, 'fr', 'de-AT', 'en').lang, 'de');
    assert.equal(messages.in('BG').lang, 'en');
    assert.equal(messages.in().lang, 'en');
  });

  const badFiles: Array<[string, string, unknown, RegExp]> = [
    ['broken JSON', 'de.json', '{"mail.greeting": ', /messages\/de\.json: not readable JSON/],
    ['a key missing in English', 'en.json', { ...shipped('en'), 'mail.greeting': undefined }, /messages\/en\.json: mail\.greeting/],
    ['an empty text', 'de.json', { 'mail.greeting': ' ' }, /de\.json: mail\.greeting: must not be empty/],
    ['a key that is not in English', 'de.json', { 'mail.greting': 'Hallo' }, /de\.json: .*mail\.greting/],
    [
      'a placeholder that English does not have',
      'de.json',
      { 'mail.subject.confirm': 'Bestätigen: {titel}' },
      /de\.json: mail\.subject\.confirm: uses \{titel\}.*allowed: \{title\}/,
    ],
    [
      'a text that is not well-formed MessageFormat',
      'de.json',
      { 'page.expired.text': 'Gültig für {days, plural, one {# Tag}' },
      /de\.json: page\.expired\.text: not well-formed MessageFormat/,
    ],
    [
      'a placeholder that English does not have, within a plural form',
      'de.json',
      { 'page.expired.text': 'Gültig für {days, plural, one {# Tag {tage}} other {# Tage}}' },
      /de\.json: page\.expired\.text: uses \{tage\}.*allowed: \{days\}/,
    ],
    ['a file with a bad name', 'German.json', {}, /German\.json: a language file is named/],
  ];
  for (const [what, file, data, message] of badFiles) {
    it(`refuses ${what}, naming the file`, () => {
      write(file, data);
      assert.throws(() => loadMessages(folder.path), message);
    });
  }

  it('refuses a content folder without English messages', () => {
    const empty = tempFolder();
    try {
      assert.throws(() => loadMessages(empty.path), /messages\/en\.json is missing/);
    } finally {
      empty.remove();
    }
  });
});

describe('the shipped server messages', () => {
  const LANGUAGES = 'bg ca cs da de el en es et eu fi fr ga gl hr hu it lt lv mt nl pl pt ro sk sl sv'.split(' ');

  it('come in the 24 official EU languages and Catalan, Basque and Galician', () => {
    assert.deepEqual(loadMessages(contentDir).languages, LANGUAGES);
  });

  it('have every key in every language, translated, with the same placeholders', () => {
    const en = shipped('en');
    assert.deepEqual(Object.keys(en).sort(), [...MESSAGE_KEYS].sort());
    for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
      const texts = shipped(lang);
      assert.deepEqual(Object.keys(texts).sort(), [...MESSAGE_KEYS].sort(), lang);
      const english = MESSAGE_KEYS.filter((key) => texts[key] === en[key]);
      assert.deepEqual(english, [], `${lang}: left in English`);
      for (const key of MESSAGE_KEYS) assert.deepEqual(placeholderNames(texts[key]!), placeholderNames(en[key]!), `${lang} ${key}`);
    }
    assert.match(shipped('bg')['page.confirm.button']!, /[а-я]/);
  });
});
