/**
 * What the stores write and read, shared by every SignatureStore so that they map rows the same
 * way: the columns of a new signature, what a link's row means, a mail job as the worker gets it,
 * and the organisers' breakdowns. The SQL both run is in store-sql.ts.
 */
import type {
  CampaignStats,
  LinkPurpose,
  LinkResult,
  MailJob,
  NewSignature,
  SignatureDetails,
  SignatureStatus,
  Tally,
} from './signature-store.js';

/** A new signature as the columns of its row; optional fields are null, times epoch milliseconds. */
export interface SignatureRow {
  campaign: string;
  emailKey: string;
  signerType: string;
  name: string;
  organisation: string | null;
  organisationKind: string | null;
  role: string | null;
  country: string;
  email: string;
  partner: string | null;
  /** The partner's page, recorded only when it matched the partner (see routes/signatures.ts). */
  page: string | null;
  lang: string | null;
  newsletter: boolean;
  listPublicly: boolean;
  consentVersion: string;
  status: SignatureStatus;
  createdAt: number;
  confirmedAt: number | null;
  /** When its mail was last queued; re-sends and retention count from it. */
  mailQueuedAt: number;
  /** When its mail is next due: a new signature's at once. */
  mailDueAt: number;
}

/** The fields of SignatureRow that an export leaves out: the email key and the mail bookkeeping. */
export const UNEXPORTED_FIELDS = ['emailKey', 'mailQueuedAt', 'mailDueAt'] as const satisfies readonly (keyof SignatureRow)[];

/** Each field of SignatureRow and its column in `signatures`, in the order the stores insert them. */
export const SIGNATURE_COLUMNS: ReadonlyArray<readonly [keyof SignatureRow, string]> = [
  ['campaign', 'campaign'],
  ['emailKey', 'email_key'],
  ['signerType', 'signer_type'],
  ['name', 'name'],
  ['organisation', 'organisation'],
  ['organisationKind', 'organisation_kind'],
  ['role', 'role'],
  ['country', 'country'],
  ['email', 'email'],
  ['partner', 'partner'],
  ['page', 'page'],
  ['lang', 'lang'],
  ['newsletter', 'newsletter'],
  ['listPublicly', 'list_publicly'],
  ['consentVersion', 'consent_version'],
  ['status', 'status'],
  ['createdAt', 'created_at'],
  ['confirmedAt', 'confirmed_at'],
  ['mailQueuedAt', 'mail_queued_at'],
  ['mailDueAt', 'mail_due_at'],
];

/**
 * What a new signing of a pending signature's key must change to replace it (see
 * SignatureStore.add): what the signer entered and chose, and their language. The address as
 * typed, the partner and the page are replaced with them, but do not replace on their own.
 */
export const REPLACING_FIELDS = [
  'signerType',
  'name',
  'organisation',
  'organisationKind',
  'role',
  'country',
  'lang',
  'newsletter',
  'listPublicly',
] as const satisfies readonly (keyof SignatureRow)[];

/** What a replacing signing writes over: the whole record of consent, less its key, status and mail bookkeeping. */
export const REPLACED_FIELDS = [
  ...REPLACING_FIELDS,
  'email',
  'partner',
  'page',
  'consentVersion',
  'createdAt',
] as const satisfies readonly (keyof SignatureRow)[];

/** A confirmed signature counts from when it was made; its first mail is queued then too, and due. */
export function toSignatureRow(signature: NewSignature): SignatureRow {
  return {
    campaign: signature.campaign,
    emailKey: signature.emailKey,
    signerType: signature.signerType,
    name: signature.name,
    organisation: signature.organisation ?? null,
    organisationKind: signature.organisationKind ?? null,
    role: signature.role ?? null,
    country: signature.country,
    email: signature.email,
    partner: signature.partner ?? null,
    page: signature.page ?? null,
    lang: signature.lang ?? null,
    newsletter: signature.newsletter,
    listPublicly: signature.listPublicly,
    consentVersion: signature.consentVersion,
    status: signature.status,
    createdAt: signature.createdAt,
    confirmedAt: signature.status === 'confirmed' ? signature.createdAt : null,
    mailQueuedAt: signature.createdAt,
    mailDueAt: signature.createdAt,
  };
}

/** SignatureDetails as columns read them (detailColumns in store-sql.ts); SQLite's booleans are 0 and 1. */
export type DetailsRow = Omit<SignatureDetails, 'listPublicly' | 'newsletter'> & {
  listPublicly: boolean | number;
  newsletter: boolean | number;
};

function toDetails({ signerType, name, organisation, role, country, listPublicly, newsletter }: DetailsRow): SignatureDetails {
  return { signerType, name, organisation, role, country, listPublicly: Boolean(listPublicly), newsletter: Boolean(newsletter) };
}

/** A link token's row joined with its signature's. */
export interface LinkRow extends DetailsRow {
  id: number;
  campaign: string;
  lang: string | null;
  partner: string | null;
  page: string | null;
  status: SignatureStatus;
  expiresAt: number | null;
}

/** What a token row means now: a confirmed signature stays confirmed, whatever the token's age. */
export function toLinkResult(purpose: LinkPurpose, link: LinkRow | undefined, now: number): LinkResult {
  if (!link) return { outcome: 'unknown' };
  const target = {
    campaign: link.campaign,
    ...(link.lang === null ? {} : { lang: link.lang }),
    ...(link.page === null ? {} : { page: link.page }),
  };
  if (purpose === 'confirm' && link.status === 'confirmed') return { outcome: 'already_confirmed', ...target };
  if (link.expiresAt !== null && link.expiresAt <= now) return { outcome: 'expired', ...target };
  return { outcome: 'ready', ...target, details: toDetails(link) };
}

/** What a link did once used: `ready` becomes what using it does. */
export function usedLinkResult(purpose: LinkPurpose, ready: LinkResult): LinkResult {
  if (ready.outcome !== 'ready') return ready;
  const { details: _details, ...target } = ready;
  return { ...target, outcome: purpose === 'confirm' ? 'confirmed' : 'withdrawn' };
}

/** A claimed mail's row (MAIL_JOB_COLUMNS in store-sql.ts): `lang` is null when the signer's language is unknown. */
export type MailJobRow = Omit<MailJob, 'lang' | 'details'> & DetailsRow & { lang: string | null };

export function toMailJob(row: MailJobRow): MailJob {
  const { id, signatureId, attempt, queuedAt, campaign, email, lang, status } = row;
  return { id, signatureId, attempt, queuedAt, campaign, email, ...(lang === null ? {} : { lang }), status, details: toDetails(row) };
}

/** The breakdowns of CampaignStats that are one column each, with that column. */
export const BREAKDOWN_COLUMNS = {
  byCountry: 'country',
  bySignerType: 'signer_type',
  byOrganisationKind: 'organisation_kind',
  byPartner: 'partner',
} as const;

export interface StatsRow {
  breakdown: 'byDay' | keyof typeof BREAKDOWN_COLUMNS | 'pending';
  key: string | null;
  count: number;
}

/** CampaignStats from the rows of store-sql.ts's `stats`: days in order, every other breakdown largest first. */
export function toCampaignStats(rows: StatsRow[]): CampaignStats {
  const stats: CampaignStats = {
    confirmed: 0,
    pending: 0,
    byDay: [],
    byCountry: [],
    bySignerType: [],
    byOrganisationKind: [],
    byPartner: [],
  };
  for (const { breakdown, key, count } of rows) {
    const n = Number(count);
    if (breakdown === 'pending') stats.pending = n;
    else (stats[breakdown] as Tally<string | null>[]).push({ key, count: n });
  }
  stats.confirmed = stats.bySignerType.reduce((sum, { count }) => sum + count, 0);
  stats.byDay.sort((a, b) => (a.key < b.key ? -1 : 1));
  for (const breakdown of Object.keys(BREAKDOWN_COLUMNS) as (keyof typeof BREAKDOWN_COLUMNS)[]) {
    (stats[breakdown] as Tally<string | null>[]).sort((a, b) => b.count - a.count || String(a.key).localeCompare(String(b.key)));
  }
  return stats;
}
