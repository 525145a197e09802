/**
 * The HTTP API's answers, as the server sends them and the widget and the dashboard read them:
 * declared once, beside the signature schema. Types only, so nothing here reaches a bundle.
 */
import type { SignerType } from './signature-codes.js';

/** `GET /api/campaigns/:campaign?lang=`: what the widget shows before anyone signs. */
export interface Campaign {
  id: string;
  /** The language the texts are in: the one asked for, or English where it has none. */
  lang: string;
  languages: string[];
  title: string;
  introduction: string;
  declaration: string[];
  /** The sentence beside the consent checkbox, for each kind of signer: it names what is kept of them. */
  consentTexts: Record<SignerType, string>;
  goal: number;
  hashtag: string;
  privacyUrl: string;
  /** The version of the consent texts, which the widget sends back with a signature (see `consentVersion` there). */
  consentVersion: string;
  count: number;
}

/** The count's `data` on `GET …/stream` (`event: count`); `GET …/count` adds the campaign's goal. */
export interface CountUpdate {
  count: number;
  /** Signatures through the partner asked for with `?partner=`. */
  partnerCount?: number;
}

/** `counted`: the signature counts now; `pending`: once the signer confirms their email. */
export type SignStatus = 'counted' | 'pending';

/** `POST …/signatures`: 201 `counted` with the new count, or 202 `pending`. */
export interface SignResult {
  status: SignStatus;
  count?: number;
}

/** One entry of the public wall: never an email. */
export interface Supporter {
  name: string;
  signerType: string;
  organisation?: string;
  role?: string;
  country: string;
}

/** `GET …/supporters`: newest first; `next` is the cursor of the next page, null after the last. */
export interface SupportersPage {
  supporters: Supporter[];
  next: string | null;
}

/** How many signatures fall under one key of a breakdown (a day, a country, a signer type, a partner). */
export interface Tally<K = string> {
  key: K;
  count: number;
}

/** What the organisers see of a campaign. Breakdowns count confirmed signatures, largest first. */
export interface CampaignStats {
  confirmed: number;
  pending: number;
  /** Confirmed signatures by the UTC day they were made (YYYY-MM-DD), oldest first; empty days left out. */
  byDay: Tally[];
  byCountry: Tally[];
  bySignerType: Tally[];
  /** Only signatures that name an organisation kind. */
  byOrganisationKind: Tally[];
  /** `null`: signed with no partner. */
  byPartner: Tally<string | null>[];
}

/** `GET /api/admin/campaigns/:campaign/stats`: the stats, with each partner's name where it is registered, and the public count. */
export interface CampaignStatsAnswer extends CampaignStats {
  campaign: string;
  /** The campaign's title in its default language, and its goal, for the dashboard's heading. */
  title: string;
  goal: number;
  /** The public count, as every counter shows it: the confirmed signatures and the baseline. */
  count: number;
  /** Supporters gathered elsewhere (see BaselineEntry), in `count` and nowhere else here. */
  baseline: number;
  byPartner: (Tally<string | null> & { name: string | null })[];
}

/**
 * Supporters gathered elsewhere (a previous platform, paper lists, events), recorded by an
 * organiser: in the public count and its partner's count from when it is added until it is
 * removed. Numbers, not people: never in the exports, the stats or the wall.
 */
export interface BaselineEntry {
  id: number;
  count: number;
  /** Where they come from, in the organiser's words. */
  note: string;
  /** The day they were gathered by, YYYY-MM-DD. */
  date: string;
  /** The partner they count for, or null. */
  partner: string | null;
  /** When it was recorded, epoch milliseconds. */
  createdAt: number;
}

/** `GET /api/admin/campaigns/:campaign/baseline`: the entries, oldest first, and what they add up to. */
export interface BaselineAnswer {
  campaign: string;
  total: number;
  entries: BaselineEntry[];
}

/** `GET /api/campaigns/:campaign/partners`: the partners who chose to be listed, in the organisers' order. */
export interface PartnersAnswer {
  partners: { id: string; name: string; url?: string; logo?: string }[];
}

/** A partner as the admin API lists it. */
export interface AdminPartner {
  id: string;
  name: string;
  origins: string[];
  /** Shown on the campaigns' public lists of partners. */
  listed: boolean;
  /** The partner's website, linked from the public list. */
  url: string | null;
  /** An HTTPS image shown with the name on the public list. */
  logo: string | null;
  /** Where it stands on the public list: lower first, then by name. */
  position: number;
  /** From the PARTNER_ORIGINS setting: read-only in the API. */
  fromSettings: boolean;
}

/**
 * Where an entry of the public wall stands. `shown`: approved by an organiser, or an individual
 * who claims no organisation and no office, listed at once unless the campaign moderates
 * everyone; `awaiting` an organiser's review; `hidden` by an organiser. Only the wall depends on
 * it: the signature stays, and so does every count.
 */
export type WallState = 'shown' | 'awaiting' | 'hidden';

/** What an organiser decides about an entry of the wall. Approving a hidden one shows it again. */
export type ModerationDecision = 'approved' | 'hidden';

/** An entry of the public wall as the organisers review it: what the wall shows, and how to check the claim. */
export interface WallEntry {
  id: number;
  state: WallState;
  signerType: string;
  name: string;
  organisation: string | null;
  role: string | null;
  country: string;
  email: string;
  partner: string | null;
  /** ISO 8601. */
  signedAt: string;
}

/** `GET /api/admin/campaigns/:campaign/supporters?state=`: newest first, paged as the public wall. */
export interface WallEntriesPage {
  supporters: WallEntry[];
  next: string | null;
}

/** `PUT /api/admin/campaigns/:campaign/supporters/:id`: where the entry stands now. */
export interface ModerationAnswer {
  id: number;
  state: Exclude<WallState, 'awaiting'>;
}
