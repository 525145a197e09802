import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { loadCampaigns } from '../../server/campaigns.js';
import { loadConfig } from '../../server/config.js';
import { tempFolder } from './support/fixtures.js';

const SETTINGS = {
  id: 'test-campaign',
  goal: 100,
  hashtag: '#Test',
  privacyUrl: '/privacy',
  consentVersion: 'v1',
  defaultLang: 'en',
};
const ENGLISH = {
  title: 'Title',
  introduction: 'Introduction.',
  declaration: ['First.', 'Second.'],
  consentText: { individual: 'I agree.', organisation: 'We agree.', representative: 'I agree, in office.' },
};
const GERMAN_CONSENT = { individual: 'Ich stimme zu.', organisation: 'Wir stimmen zu.', representative: 'Ich stimme im Amt zu.' };

describe('loadCampaigns', () => {
  let folder: ReturnType<typeof tempFolder>;
  const write = (file: string, data: unknown) => {
    const path = join(folder.path, 'campaigns', file);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, typeof data === 'string' ? data : JSON.stringify(data));
  };

  beforeEach(() => {
    folder = tempFolder();
    write('test-campaign/campaign.json', SETTINGS);
    write('test-campaign/en.json', ENGLISH);
  });
  afterEach(() => folder.remove());

  it('reads a campaign with its settings and languages', () => {
    write('test-campaign/de.json', { title: 'Titel' });
    const campaign = loadCampaigns(folder.path).get('test-campaign');
    assert.ok(campaign);
    assert.equal(campaign.goal, 100);
    assert.deepEqual(campaign.languages, ['de', 'en']);
    assert.deepEqual(campaign.texts('en'), { ...ENGLISH, lang: 'en' });
  });

  it('takes each field a language file lacks from English', () => {
    write('test-campaign/de.json', { title: 'Titel', consentText: GERMAN_CONSENT });
    const texts = loadCampaigns(folder.path).get('test-campaign')!.texts('de');
    assert.deepEqual(texts, { ...ENGLISH, title: 'Titel', consentText: GERMAN_CONSENT, lang: 'de' });
  });

  it('serves the default language when the asked one has no file, or none is asked', () => {
    const campaign = loadCampaigns(folder.path).get('test-campaign')!;
    assert.equal(campaign.texts('fr').lang, 'en');
    assert.equal(campaign.texts(undefined).lang, 'en');
    assert.equal(campaign.texts('').lang, 'en');
  });

  it('lists individuals without review unless the campaign moderates everyone', () => {
    assert.equal(loadCampaigns(folder.path).get('test-campaign')!.moderateAll, false);
    write('test-campaign/campaign.json', { ...SETTINGS, moderateAll: true });
    assert.equal(loadCampaigns(folder.path).get('test-campaign')!.moderateAll, true);
  });

  it('returns undefined for an unknown campaign, also for names on Object.prototype', () => {
    const campaigns = loadCampaigns(folder.path);
    assert.equal(campaigns.get('other'), undefined);
    assert.equal(campaigns.get('__proto__'), undefined);
    assert.equal(campaigns.get('constructor'), undefined);
  });

  const badFiles: Array<[string, string, unknown, RegExp]> = [
    ['broken JSON', 'test-campaign/en.json', '{"title": ', /campaigns\/test-campaign\/en\.json: not readable JSON/],
    ['a missing field in the default language', 'test-campaign/en.json', { ...ENGLISH, consentText: undefined }, /en\.json: consentText/],
    [
      'a consent text missing for a kind of signer',
      'test-campaign/en.json',
      { ...ENGLISH, consentText: { individual: 'I agree.', organisation: 'We agree.' } },
      /en\.json: consentText\.representative/,
    ],
    ['an empty declaration', 'test-campaign/en.json', { ...ENGLISH, declaration: [] }, /en\.json: declaration/],
    ['a misspelt field in another language', 'test-campaign/de.json', { titel: 'Titel' }, /de\.json: .*titel/],
    ['a goal that is not a number', 'test-campaign/campaign.json', { ...SETTINGS, goal: '3000' }, /campaign\.json: goal/],
    [
      'a moderation setting that is not true or false',
      'test-campaign/campaign.json',
      { ...SETTINGS, moderateAll: 'yes' },
      /campaign\.json: moderateAll/,
    ],
    [
      'an organiser contact that is not a web address',
      'test-campaign/campaign.json',
      { ...SETTINGS, organiser: { name: 'The Alliance', url: 'javascript:alert(1)' } },
      /campaign\.json: organiser\.url/,
    ],
    [
      'an organiser without a name',
      'test-campaign/campaign.json',
      { ...SETTINGS, organiser: { email: 'team@example.eu' } },
      /campaign\.json: organiser\.name/,
    ],
    [
      'an id that is not the folder name',
      'test-campaign/campaign.json',
      { ...SETTINGS, id: 'other' },
      /campaign\.json: id "other" must match/,
    ],
    ['a language file with a bad name', 'test-campaign/English.json', ENGLISH, /English\.json: a language file is named/],
  ];
  for (const [what, file, data, message] of badFiles) {
    it(`refuses ${what}, naming the file`, () => {
      write(file, data);
      assert.throws(() => loadCampaigns(folder.path), message);
    });
  }

  it('refuses a campaign without a file for its default language', () => {
    write('test-campaign/campaign.json', { ...SETTINGS, defaultLang: 'fr' });
    assert.throws(() => loadCampaigns(folder.path), /fr\.json is missing/);
  });

  it('refuses a content folder without campaigns', () => {
    const empty = tempFolder();
    try {
      assert.throws(() => loadCampaigns(empty.path), /No campaigns folder/);
    } finally {
      empty.remove();
    }
  });
});

describe('the cohesion-alliance campaign content', () => {
  const campaign = loadCampaigns(loadConfig({}).contentDir).get('cohesion-alliance');

  it('exists with its goal, hashtag and a privacy page', () => {
    assert.ok(campaign);
    assert.equal(campaign.goal, 3000);
    assert.equal(campaign.hashtag, '#CohesionAlliance');
    assert.equal(campaign.privacyUrl, '/privacy');
  });

  it('speaks to each kind of signer in every language: three consent texts of its own', () => {
    for (const lang of campaign!.languages) {
      const { consentText } = campaign!.texts(lang);
      assert.equal(new Set(Object.values(consentText)).size, 3, lang);
      if (lang !== 'en') assert.notDeepEqual(consentText, campaign!.texts('en').consentText, lang);
    }
  });

  it('has English and Bulgarian texts, complete and paragraph for paragraph', () => {
    const en = campaign!.texts('en');
    const bg = campaign!.texts('bg');
    assert.equal(bg.lang, 'bg');
    assert.equal(bg.declaration.length, en.declaration.length);
    for (const field of ['title', 'introduction'] as const) {
      assert.notEqual(bg[field], en[field], field);
      assert.match(bg[field], /[а-я]/, field);
    }
    for (const type of ['individual', 'organisation', 'representative'] as const) {
      assert.match(bg.consentText[type], /[а-я]/, type);
    }
    bg.declaration.forEach((paragraph, i) => assert.notEqual(paragraph, en.declaration[i]));
  });
});
