/**
 * The SQL that both stores run, written once. Each statement is a function of its parameters'
 * placeholders, so that each store passes its own (`?` or `@name` in SQLite, `$1` in
 * PostgreSQL). What truly differs stays in each store: PostgreSQL's batches of arrays, its
 * counters (versioned, with NOTIFY) and its row locks; SQLite's statements one row at a time.
 *
 * The mail queue is in each signature's row, the same in both schemas: `mail_due_at` is when its
 * mail is next due (NULL: none to send), `mail_attempts` how many attempts that mail has had, and
 * `mail_queued_at` when it was last queued (re-sends and retention count from it). A signature
 * has one mail to send at most, so a mail's id is its signature's.
 */
import { MAIL_RESEND_INTERVAL_MS } from './signature-store.js';
import {
  BREAKDOWN_COLUMNS,
  REPLACED_FIELDS,
  REPLACING_FIELDS,
  SIGNATURE_COLUMNS,
  UNEXPORTED_FIELDS,
  type SignatureRow,
} from './store-rows.js';

/** The columns of a new signature's row, in the order of SIGNATURE_COLUMNS. */
export const SIGNATURE_COLUMN_NAMES = SIGNATURE_COLUMNS.map(([, column]) => column).join(', ');

const columnOf = (field: keyof SignatureRow) => SIGNATURE_COLUMNS.find(([name]) => name === field)![1];

/** A DetailsRow (store-rows.ts) from the signature's row `row`. */
const detailColumns = (row: string) =>
  `${row}.signer_type AS "signerType", ${row}.name, ${row}.organisation, ${row}.role, ${row}.country, ` +
  `${row}.list_publicly AS "listPublicly", ${row}.newsletter`;

// Replacing a pending signature.

/**
 * A new signing replaces a pending signature when it changes one of REPLACING_FIELDS (see
 * SignatureStore.add). `value(column)` is the new signing's value of a column, `row` names the
 * signature's row, `greatest` is the dialect's larger-of-two function.
 *
 * Its mail: one still waiting to go out (queued, not claimed since) goes with the new details.
 * Otherwise a new mail is due once MAIL_RESEND_INTERVAL_MS is up since the last was queued, and
 * `mail_queued_at` moves on with it: the tokens of a mail claimed before are not kept (see
 * latestMail), nor sent. The earlier links are ended apart (endConfirmLinks).
 */
export function replacePending(value: (column: string) => string, row: string, greatest: string) {
  const waiting = `${row}.mail_due_at IS NOT NULL AND ${row}.mail_attempts = 0`;
  const next = `${greatest}(${value('created_at')}, coalesce(${row}.mail_queued_at, 0) + ${MAIL_RESEND_INTERVAL_MS})`;
  const changed = REPLACING_FIELDS.map(columnOf).map((column) => `${row}.${column} IS DISTINCT FROM ${value(column)}`);
  return {
    changed: `${row}.status = 'pending' AND (${changed.join(' OR ')})`,
    set: [
      ...REPLACED_FIELDS.map(columnOf).map((column) => `${column} = ${value(column)}`),
      `mail_due_at = CASE WHEN ${waiting} THEN ${row}.mail_due_at ELSE ${next} END`,
      `mail_queued_at = CASE WHEN ${waiting} THEN ${row}.mail_queued_at ELSE ${next} END`,
      'mail_attempts = 0',
    ].join(', '),
  };
}

/** The confirmation links mailed for signature `id` so far can confirm nothing. */
export const endConfirmLinks = (id: string) => `DELETE FROM link_tokens WHERE signature_id = ${id} AND purpose = 'confirm'`;

// The mail queue.

/**
 * A MailJobRow, from its signature's row as it is before the lease: `attempt` counts the attempt
 * about to be leased.
 */
export const MAIL_JOB_COLUMNS =
  'id, id AS "signatureId", mail_attempts + 1 AS attempt, coalesce(mail_queued_at, 0) AS "queuedAt", campaign, email, lang, status, ' +
  detailColumns('signatures');

/** Whether `queuedAt` is when signature `id`'s latest mail was queued: a claimed mail that is still the one to send. */
export const latestMail = (id: string, queuedAt: string) =>
  `SELECT 1 FROM signatures WHERE id = ${id} AND coalesce(mail_queued_at, 0) = ${queuedAt}`;

/** Picks the mails due by `now`, oldest first, at most `limit` (the signatures_mail_due index serves it). */
export const dueMails = (now: string, limit: string) => `mail_due_at <= ${now} ORDER BY mail_due_at, id LIMIT ${limit}`;

/** Leases a claimed mail until `until`: its attempt counts, and it is due again when the lease runs out. */
export const leaseMail = (until: string) => `mail_attempts = mail_attempts + 1, mail_due_at = ${until}`;

/**
 * The mail `id` while its attempt `attempt` is the one under way: a result ends or reschedules
 * that attempt only. Signing again since queued a new mail (attempts back to 0), which stays queued.
 */
export const claimedAttempt = (id: string, attempt: string) => `id = ${id} AND mail_attempts = ${attempt}`;

/**
 * Queues a pending signature's mail again at `now`, if its last one was queued at least
 * MAIL_RESEND_INTERVAL_MS before: a new mail, due at once, its attempts counted from 0. `row`
 * names the signature's row in the statement.
 */
export const queueMailAgain = (now: string, row: string) => ({
  set: `mail_queued_at = ${now}, mail_due_at = ${now}, mail_attempts = 0`,
  where: `${row}.status = 'pending' AND coalesce(${row}.mail_queued_at, 0) <= ${now} - ${MAIL_RESEND_INTERVAL_MS}`,
});

// Links.

/** A link token's row joined with its signature's (LinkRow); `s` is the signature. */
export const findLink = (tokenHash: string, purpose: string) => `
  SELECT s.id, s.campaign, s.lang, s.partner, s.page, s.status, t.expires_at AS "expiresAt", ${detailColumns('s')}
  FROM link_tokens t JOIN signatures s ON s.id = t.signature_id
  WHERE t.token_hash = ${tokenHash} AND t.purpose = ${purpose}`;

export const confirmSignature = (id: string, now: string) =>
  `UPDATE signatures SET status = 'confirmed', confirmed_at = ${now} WHERE id = ${id}`;

/** Its tokens go with it (ON DELETE CASCADE), and its queued mail with its row. */
export const deleteSignature = (id: string) => `DELETE FROM signatures WHERE id = ${id}`;

// Retention and erasure.

/**
 * Erases the pending signatures whose last mail was queued (or, without one, that were made)
 * before `before`, with their tokens and mails.
 */
export const erasePending = (before: string) =>
  `DELETE FROM signatures WHERE status = 'pending' AND coalesce(mail_queued_at, created_at) < ${before}`;

/**
 * Strips the personal data from the signatures confirmed before `before`, and drops their queued
 * mails. `email <> ''` marks those not stripped yet, so running it again changes nothing;
 * 'erased:<id>' cannot clash with a real email key, which holds an @.
 */
export const anonymiseConfirmed = (before: string) => `
  UPDATE signatures SET name = '', email = '', email_key = 'erased:' || id, organisation = NULL, role = NULL, mail_due_at = NULL
  WHERE status = 'confirmed' AND confirmed_at < ${before} AND email <> ''`;

/** Erases the signatures of an email key, in one campaign or (`campaign` null) in all, with their tokens and mails. */
export const eraseSigner = (emailKey: string, campaign: string) => `
  DELETE FROM signatures WHERE email_key = ${emailKey} AND (CAST(${campaign} AS text) IS NULL OR campaign = ${campaign})
  RETURNING campaign, partner, status`;

// Counts, proofs, partners.

export const partnerCount = (campaign: string, partner: string) =>
  `SELECT confirmed FROM partner_counts WHERE campaign = ${campaign} AND partner = ${partner}`;

export const forgetSpentProofs = (now: string) => `DELETE FROM spent_proofs WHERE expires_at <= ${now}`;

/** Inserts nothing when it was spent already. */
export const spendProof = (id: string, expiresAt: string) =>
  `INSERT INTO spent_proofs (id, expires_at) VALUES (${id}, ${expiresAt}) ON CONFLICT (id) DO NOTHING`;

export const PARTNERS = 'SELECT id, name, origins, listed, url, logo, position FROM partners ORDER BY id';

export const savePartner = (id: string, name: string, origins: string, listed: string, url: string, logo: string, position: string) => `
  INSERT INTO partners (id, name, origins, listed, url, logo, position) VALUES (${id}, ${name}, ${origins}, ${listed}, ${url}, ${logo}, ${position})
  ON CONFLICT (id) DO UPDATE SET name = excluded.name, origins = excluded.origins, listed = excluded.listed, url = excluded.url,
    logo = excluded.logo, position = excluded.position`;

export const deletePartner = (id: string) => `DELETE FROM partners WHERE id = ${id}`;

// Supporters gathered elsewhere (see BaselineEntry). The stores change the counters with them.
const BASELINE_COLUMNS = 'id, partner, count, note, gathered_on AS date, created_at AS "createdAt"';

export const addBaseline = (campaign: string, partner: string, count: string, note: string, date: string, createdAt: string) => `
  INSERT INTO baseline_entries (campaign, partner, count, note, gathered_on, created_at)
  VALUES (${campaign}, ${partner}, ${count}, ${note}, ${date}, ${createdAt})
  RETURNING ${BASELINE_COLUMNS}`;

export const baselineEntries = (campaign: string) =>
  `SELECT ${BASELINE_COLUMNS} FROM baseline_entries WHERE campaign = ${campaign} ORDER BY id`;

export const removeBaseline = (campaign: string, id: string) =>
  `DELETE FROM baseline_entries WHERE campaign = ${campaign} AND id = ${id} RETURNING partner, count`;

export const PING = 'SELECT 1';

// Settings the processes on one database share (see SignatureStore.sharedSecret).

/** Keeps `value` under `name` unless a value is kept there already: the first one stays. */
export const keepSetting = (name: string, value: string) =>
  `INSERT INTO settings (name, value) VALUES (${name}, ${value}) ON CONFLICT (name) DO NOTHING`;

export const readSetting = (name: string) => `SELECT value FROM settings WHERE name = ${name}`;

/** A write that shows whether the store can write again after a fault (see store-health.ts). */
export const probeWrite = (value: string) => `
  INSERT INTO settings (name, value) VALUES ('write_probe', ${value}) ON CONFLICT (name) DO UPDATE SET value = excluded.value`;

// What the organisers and the public wall read.

/** The columns of an exported signature, named as ExportedSignature's fields (quoted: both dialects keep the case). */
const EXPORT_COLUMNS = [
  'id',
  ...SIGNATURE_COLUMNS.filter(([field]) => !(UNEXPORTED_FIELDS as readonly string[]).includes(field)).map(
    ([field, column]) => `${column} AS "${field}"`,
  ),
].join(', ');

/** A page of a campaign's signatures in id order, of one status or (`status` null) of all. */
export const exportPage = (campaign: string, afterId: string, limit: string, status: string) => `
  SELECT ${EXPORT_COLUMNS} FROM signatures
  WHERE campaign = ${campaign} AND id > ${afterId} AND (CAST(${status} AS text) IS NULL OR status = ${status})
  ORDER BY id LIMIT ${limit}`;

/**
 * The signatures that are entries of a campaign's wall, in the terms of the signatures_listed
 * index, so that it serves: `listed` is the dialect's true, as that index was written with it.
 * Name '': stripped by retention.
 */
const wallEntry = (campaign: string, listed: '1' | 'true') =>
  `campaign = ${campaign} AND list_publicly = ${listed} AND status = 'confirmed' AND name <> ''`;

/**
 * An individual who names no organisation and no office: listed without review, unless the
 * campaign moderates everyone. An API client may send an office with an individual's signature,
 * and that is a claim all the same.
 */
const CLAIMS_NOTHING = `signer_type = 'individual' AND organisation IS NULL AND role IS NULL`;

/** The entries the wall shows; approved only, in the terms of the signatures_approved index. */
const shown = (onlyApproved: boolean) =>
  onlyApproved ? `moderation = 'approved'` : `(moderation = 'approved' OR (moderation = 'unreviewed' AND ${CLAIMS_NOTHING}))`;

/**
 * Whether the wall shows approved entries only: in a campaign that moderates everyone, and for a
 * signer type that claims something, which is never shown unapproved. Then the signatures_approved
 * index finds a page at once, however many entries wait for review.
 */
export const approvedOnly = (moderateAll: boolean, signerType?: string) =>
  moderateAll || (signerType !== undefined && signerType !== 'individual');

/** An entry's WallState in a campaign that does or does not moderate everyone. */
const wallState = (moderateAll: boolean) =>
  `CASE WHEN moderation = 'hidden' THEN 'hidden' WHEN ${shown(moderateAll)} THEN 'shown' ELSE 'awaiting' END`;

/** A page of the public wall (PublicSupporter rows), newest first; `onlyApproved`: see `approvedOnly`. */
export const supporters = (
  campaign: string,
  beforeId: string,
  limit: string,
  signerType: string,
  listed: '1' | 'true',
  onlyApproved: boolean,
) => `
  SELECT id, signer_type AS "signerType", name, organisation, role, country FROM signatures
  WHERE ${wallEntry(campaign, listed)} AND id < ${beforeId}
    AND (CAST(${signerType} AS text) IS NULL OR signer_type = ${signerType}) AND ${shown(onlyApproved)}
  ORDER BY id DESC LIMIT ${limit}`;

/** A page of the wall's entries in one state (StoredWallEntry rows), newest first, for the organisers. */
export const wallEntries = (
  campaign: string,
  beforeId: string,
  limit: string,
  state: string,
  listed: '1' | 'true',
  moderateAll: boolean,
) => `
  SELECT id, signer_type AS "signerType", name, organisation, role, country, email, partner, created_at AS "createdAt",
    ${wallState(moderateAll)} AS state
  FROM signatures
  WHERE ${wallEntry(campaign, listed)} AND id < ${beforeId} AND ${wallState(moderateAll)} = ${state}
  ORDER BY id DESC LIMIT ${limit}`;

/** An organiser's decision about an entry of the wall: 'approved' or 'hidden'. Changes no count. */
export const moderate = (campaign: string, id: string, decision: string, listed: '1' | 'true') =>
  `UPDATE signatures SET moderation = ${decision} WHERE id = ${id} AND ${wallEntry(campaign, listed)}`;

/**
 * One query for every breakdown of a campaign's confirmed signatures: rows of (breakdown, key,
 * count), keys from `dayOf(created_at)` for byDay (the dialects write a UTC day differently).
 * Rows with no organisation kind are left out of byOrganisationKind.
 */
export function stats(dayOf: (column: string) => string, campaign: string): string {
  const groups = [
    `SELECT 'byDay' AS breakdown, ${dayOf('created_at')} AS key, count(*) AS count FROM confirmed GROUP BY 2`,
    ...Object.entries(BREAKDOWN_COLUMNS).map(
      ([breakdown, column]) =>
        `SELECT '${breakdown}', ${column}, count(*) FROM confirmed` +
        `${column === 'organisation_kind' ? ' WHERE organisation_kind IS NOT NULL' : ''} GROUP BY 2`,
    ),
    `SELECT 'pending', NULL, count(*) FROM signatures WHERE campaign = ${campaign} AND status = 'pending'`,
  ];
  return `
    WITH confirmed AS (SELECT * FROM signatures WHERE campaign = ${campaign} AND status = 'confirmed')
    ${groups.join('\n    UNION ALL ')}`;
}
