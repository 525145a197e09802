/**
 * What the stores write and read, shared by every SignatureStore so that they map rows the same
 * way: the columns of a new signature, what a link's row means, and a mail job as the worker gets it.
 */
import type { CampaignStats, LinkPurpose, LinkResult, MailJob, NewSignature, SignatureStatus, Tally } from './signature-store.js';

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
  mailQueuedAt: number;
}

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
];

/** A confirmed signature counts from when it was made; its first mail is queued then too. */
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
  };
}

/** A link token's row joined with its signature's. */
export interface LinkRow {
  id: number;
  campaign: string;
  lang: string | null;
  partner: string | null;
  status: SignatureStatus;
  expiresAt: number | null;
}

/** What a token row means now: a confirmed signature stays confirmed, whatever the token's age. */
export function toLinkResult(purpose: LinkPurpose, link: LinkRow | undefined, now: number): LinkResult {
  if (!link) return { outcome: 'unknown' };
  const target = { campaign: link.campaign, ...(link.lang === null ? {} : { lang: link.lang }) };
  if (purpose === 'confirm' && link.status === 'confirmed') return { outcome: 'already_confirmed', ...target };
  if (link.expiresAt !== null && link.expiresAt <= now) return { outcome: 'expired', ...target };
  return { outcome: 'ready', ...target };
}

/** What a link did once used: `ready` becomes what using it does. */
export function usedLinkResult(purpose: LinkPurpose, ready: LinkResult): LinkResult {
  return ready.outcome === 'ready' ? { ...ready, outcome: purpose === 'confirm' ? 'confirmed' : 'withdrawn' } : ready;
}

/** A claimed mail's row: `lang` is null when the signer's language is unknown. */
export type MailJobRow = Omit<MailJob, 'lang'> & { lang: string | null };

export function toMailJob({ lang, ...job }: MailJobRow): MailJob {
  return lang === null ? job : { ...job, lang };
}

/** The columns of an exported signature, named as ExportedSignature's fields (quoted: both SQL dialects keep the case). */
export const EXPORT_COLUMNS = [
  'id',
  ...SIGNATURE_COLUMNS.filter(([field]) => field !== 'emailKey' && field !== 'mailQueuedAt').map(
    ([field, column]) => `${column} AS "${field}"`,
  ),
].join(', ');

export const SUPPORTER_COLUMNS = 'id, signer_type AS "signerType", name, organisation, role, country';

/** The breakdowns of CampaignStats that are one column each, with that column. */
export const BREAKDOWN_COLUMNS = {
  byCountry: 'country',
  bySignerType: 'signer_type',
  byOrganisationKind: 'organisation_kind',
  byPartner: 'partner',
} as const;

/**
 * One query for every breakdown of a campaign's confirmed signatures: rows of (breakdown, key,
 * count), keys from `dayOf(created_at)` for byDay. Each store passes its dialect's day and
 * placeholder. Rows with no organisation kind are left out of byOrganisationKind.
 */
export function statsQuery(dayOf: (column: string) => string, campaignParam: string): string {
  const groups = [
    `SELECT 'byDay' AS breakdown, ${dayOf('created_at')} AS key, count(*) AS count FROM confirmed GROUP BY 2`,
    ...Object.entries(BREAKDOWN_COLUMNS).map(
      ([breakdown, column]) =>
        `SELECT '${breakdown}', ${column}, count(*) FROM confirmed` +
        `${column === 'organisation_kind' ? ' WHERE organisation_kind IS NOT NULL' : ''} GROUP BY 2`,
    ),
    `SELECT 'pending', NULL, count(*) FROM signatures WHERE campaign = ${campaignParam} AND status = 'pending'`,
  ];
  return `
    WITH confirmed AS (SELECT * FROM signatures WHERE campaign = ${campaignParam} AND status = 'confirmed')
    ${groups.join('\n    UNION ALL ')}`;
}

export interface StatsRow {
  breakdown: 'byDay' | keyof typeof BREAKDOWN_COLUMNS | 'pending';
  key: string | null;
  count: number;
}

/** CampaignStats from statsQuery's rows: days in order, every other breakdown largest first. */
export function toCampaignStats(rows: StatsRow[]): CampaignStats {
  const stats: CampaignStats = { confirmed: 0, pending: 0, byDay: [], byCountry: [], bySignerType: [], byOrganisationKind: [], byPartner: [] };
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
