/**
 * Campaign content from files, so an organiser edits the declaration without touching code:
 *
 *   CONTENT_DIR/campaigns/<id>/campaign.json   settings: goal, hashtag, privacy URL, consent version, moderation, organiser
 *   CONTENT_DIR/campaigns/<id>/<lang>.json     the texts in one language
 *
 * The default language's file must be complete; any other may leave fields out, and those are
 * taken from the default language. Every file is checked at start, and a bad one stops the server
 * with its path in the message.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as z from 'zod';
import { LANGUAGE, nearestOfAny, readJsonFile } from './content-files.js';

const CAMPAIGN_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

const nonEmpty = z.string().trim().min(1, { error: 'must not be empty' });

const settingsFile = z.strictObject({
  id: z.string().regex(CAMPAIGN_ID, { error: 'must be lower-case letters, digits and "-"' }),
  goal: z.number().int().positive(),
  hashtag: nonEmpty,
  /** An absolute URL, or a path on this server such as `/privacy`. */
  privacyUrl: nonEmpty,
  /** Recorded with each signature: which consent text the signer agreed to. */
  consentVersion: nonEmpty.max(64),
  defaultLang: z.string().regex(LANGUAGE).default('en'),
  /** True: the public wall lists nobody before an organiser approves them, individuals too. */
  moderateAll: z.boolean().default(false),
  /**
   * Who decides what happens to the signers' data (the GDPR's controller), for the privacy
   * notice at /privacy. Absent, or still the sample's (SAMPLE_CONTROLLER): the server will not
   * start with a public PUBLIC_URL.
   */
  controller: z
    .strictObject({
      name: nonEmpty.max(200),
      /** Postal address, one line. */
      address: nonEmpty.max(300),
      /** Where signers write about their data. */
      email: z.email({ error: 'must be an email address' }),
      /** The data protection officer's contact, if there is one. */
      dpo: nonEmpty.max(300).optional(),
    })
    .optional(),
  /** Who runs the campaign, named in the signers' mails with a way to reach them. */
  organiser: z
    .strictObject({
      name: nonEmpty.max(200),
      email: z.email({ error: 'must be an email address' }).optional(),
      url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    })
    .optional(),
});

const textsFile = z.strictObject({
  title: nonEmpty,
  introduction: nonEmpty,
  /** Paragraphs, in order: the principles signers agree to. */
  declaration: z.array(nonEmpty).min(1),
  /**
   * The sentence beside the consent checkbox, for each kind of signer: it names every field kept
   * of them (an individual is not told of an organisation).
   */
  consentText: z.strictObject({ individual: nonEmpty, organisation: nonEmpty, representative: nonEmpty }),
  /**
   * The privacy notice's paragraphs in the organiser's words, where the server's standard ones
   * (messages, privacy.*) do not fit. Field by field: absent, the default language's, else the standard.
   */
  privacy: z
    .strictObject({
      purposes: nonEmpty.max(2000).optional(),
      legalBasis: nonEmpty.max(2000).optional(),
      recipients: nonEmpty.max(2000).optional(),
    })
    .optional(),
});

export type CampaignTexts = z.output<typeof textsFile>;

export type Controller = NonNullable<z.output<typeof settingsFile>['controller']>;

/** What the shipped sample campaign names as its controller: to be replaced before launch. */
export const SAMPLE_CONTROLLER: Controller = {
  name: 'Sample Organiser (replace in campaign.json)',
  address: 'Sample Street 1, 1000 Sample City',
  email: 'privacy@organiser.example',
};

/** Whether the privacy notice would name nobody, or the sample's controller. */
export const controllerUnfilled = (controller: Controller | undefined) =>
  !controller || (Object.keys(SAMPLE_CONTROLLER) as (keyof Controller)[]).some((field) => controller[field] === SAMPLE_CONTROLLER[field]);

/** The campaign of that id; without one, the first: what a page about no campaign in particular speaks of. */
export const campaignOrFirst = (catalog: CampaignCatalog, id: string | undefined) => catalog.get(id ?? catalog.ids()[0]!);

/** Where this server serves the privacy notice it builds (routes/privacy.ts). */
export const PRIVACY_PATH = '/privacy';

/** Whether the campaign points its signers at this server's notice, rather than a page of its own. */
const usesOwnNotice = (campaign: Campaign) => campaign.privacyUrl === PRIVACY_PATH;

/** The campaign.json files of the campaigns whose notice at /privacy would name no controller, or the sample's. */
export function unfilledPrivacyNotices(catalog: CampaignCatalog): string[] {
  return catalog
    .ids()
    .map((id) => catalog.get(id)!)
    .filter((campaign) => usesOwnNotice(campaign) && controllerUnfilled(campaign.controller))
    .map((campaign) => campaign.settingsFile);
}

/**
 * The privacy notice for a signer in `lang`: this server's notice (privacyUrl `/privacy`) in that
 * language, or the organiser's own page as it is.
 */
export function privacyUrlFor(campaign: Campaign, lang: string, publicUrl: string): string {
  const url = new URL(campaign.privacyUrl, `${publicUrl}/`);
  if (usesOwnNotice(campaign)) {
    url.searchParams.set('lang', lang);
    url.searchParams.set('campaign', campaign.id);
  }
  return url.href;
}

export interface Organiser {
  name: string;
  email?: string;
  url?: string;
}

export interface Campaign {
  id: string;
  goal: number;
  hashtag: string;
  privacyUrl: string;
  consentVersion: string;
  defaultLang: string;
  /**
   * The public wall lists nobody before an organiser approves them. Otherwise only those who
   * claim an organisation or an office wait for approval.
   */
  moderateAll: boolean;
  /** Named in the signers' mails, with the email (else the web page) as the contact; absent: the mails name no organiser. */
  organiser?: Organiser;
  /** The controller of the signers' data, for the privacy notice (see controllerUnfilled). */
  controller?: Controller;
  /** Where campaign.json is, for messages that ask an organiser to fill it in. */
  settingsFile: string;
  /** Languages with a file of their own, sorted. */
  languages: string[];
  /**
   * The texts in the language nearest to the first of `requested` the campaign has (a `lang`
   * parameter, then the languages of an Accept-Language header, in order), else in its default
   * language; with the language actually served.
   */
  texts(...requested: Array<string | undefined>): CampaignTexts & { lang: string };
}

export interface CampaignCatalog {
  get(id: string): Campaign | undefined;
  ids(): string[];
}

/** Reads and checks every campaign under `contentDir/campaigns`; throws naming the bad file. */
export function loadCampaigns(contentDir: string): CampaignCatalog {
  const root = join(contentDir, 'campaigns');
  if (!existsSync(root)) throw new Error(`No campaigns folder at ${root}. Is CONTENT_DIR right?`);
  const campaigns = new Map<string, Campaign>();
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      const campaign = loadCampaign(join(root, entry.name), entry.name, contentDir);
      campaigns.set(campaign.id, campaign);
    }
  }
  if (campaigns.size === 0) throw new Error(`No campaigns in ${root}: add a folder with a campaign.json.`);
  return {
    get: (id) => campaigns.get(id),
    ids: () => [...campaigns.keys()],
  };
}

function loadCampaign(folder: string, folderName: string, contentDir: string): Campaign {
  const where = (file: string) => relative(contentDir, join(folder, file));
  const read = <T>(file: string, schema: z.ZodType<T>) => readJsonFile(join(folder, file), schema, where(file));
  const settings = read('campaign.json', settingsFile);
  if (settings.id !== folderName) {
    throw new Error(`${where('campaign.json')}: id "${settings.id}" must match its folder name "${folderName}".`);
  }

  const byLanguage = new Map<string, Partial<CampaignTexts>>();
  for (const file of readdirSync(folder)) {
    const lang = file.endsWith('.json') ? file.slice(0, -'.json'.length) : '';
    if (file === 'campaign.json' || !lang) continue;
    if (!LANGUAGE.test(lang)) throw new Error(`${where(file)}: a language file is named by its language code, such as bg.json.`);
    const schema = lang === settings.defaultLang ? textsFile : textsFile.partial();
    byLanguage.set(lang, read(file, schema));
  }
  const fallback = byLanguage.get(settings.defaultLang) as CampaignTexts | undefined;
  if (!fallback) throw new Error(`${where(`${settings.defaultLang}.json`)} is missing: the default language needs its texts.`);

  const languages = [...byLanguage.keys()].sort();
  return {
    ...settings,
    settingsFile: where('campaign.json'),
    languages,
    texts(...requested) {
      const lang = nearestOfAny(requested, languages) ?? settings.defaultLang;
      const texts = byLanguage.get(lang);
      // The privacy notice's own words, field by field.
      const privacy = fallback.privacy || texts?.privacy ? { privacy: { ...fallback.privacy, ...texts?.privacy } } : {};
      return { ...fallback, ...texts, ...privacy, lang };
    },
  };
}
