import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { loadConfig } from '../../server/config.js';
import { MESSAGE_KEYS, loadMessages } from '../../server/messages.js';
import { tempFolder } from './support/fixtures.js';

const contentDir = loadConfig({}).contentDir;
const shipped = (lang: string): Record<string, string> => JSON.parse(readFileSync(join(contentDir, 'messages', `${lang}.json`), 'utf8'));

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
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
      const texts = shipped(lang);
      assert.deepEqual(Object.keys(texts).sort(), [...MESSAGE_KEYS].sort(), lang);
      const english = MESSAGE_KEYS.filter((key) => texts[key] === en[key]);
      assert.deepEqual(english, [], `${lang}: left in English`);
      for (const key of MESSAGE_KEYS) assert.deepEqual(placeholders(texts[key]!), placeholders(en[key]!), `${lang} ${key}`);
    }
    assert.match(shipped('bg')['page.confirm.button']!, /[а-я]/);
  });
});
