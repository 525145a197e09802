/**
 * The store for several API processes: PostgreSQL through a connection pool. Every process
 * shares the counters, the mail queue (in the signatures' rows, as in the SQLite store; see
 * store-sql.ts) and the live count (see postgres-count-feed.ts).
 *
 * Group commit (group-commit.ts), as in the SQLite store: `add()` only queues; the queued signatures are written
 * by one statement (a multi-row insert, their mails queued in their rows, that also queues again
 * the mails of pending signers who signed again, raises the counters and notifies), one batch at
 * a time, while the next batch gathers. Each promise resolves after
 * that statement committed, and synchronous_commit is on: a 2xx means the signature is on disk.
 *
 * A PostgreSQL that stops, or cannot be reached, makes every call fail with StoreUnavailableError
 * (see postgresFault and store-health.ts) until it is back; the pool connects again by itself.
 */
import pg from 'pg';
import { CountListeners } from './count-listeners.js';
import { GroupCommit, type Queued } from './group-commit.js';
import { COUNT_CHANNEL, PostgresCountFeed, type VersionedCount } from './postgres-count-feed.js';
import { migrate } from './postgres-migrations.js';
import {
  type AddOutcome,
  type BaselineEntry,
  type CampaignStats,
  type CountListener,
  type ExportedSignature,
  type LinkPurpose,
  type LinkResult,
  type MailJob,
  type MailResult,
  type ModerationDecision,
  type NewBaselineEntry,
  type NewLinkToken,
  type NewSignature,
  type Partner,
  type PublicSupporter,
  type SignatureStatus,
  type SignatureStore,
  type StoredWallEntry,
  type WallState,
} from './signature-store.js';
import { StoreHealth, StoreUnavailableError, type FailureListener, type StoreFault } from './store-health.js';
import * as sharedSql from './store-sql.js';
import {
  SIGNATURE_COLUMNS,
  toCampaignStats,
  toLinkResult,
  toMailJob,
  toSignatureRow,
  usedLinkResult,
  type LinkRow,
  type MailJobRow,
  type SignatureRow,
  type StatsRow,
} from './store-rows.js';

const MAX_BATCH = 1000;
/** A deadlock or serialization failure is worth another try; two more at most. */
const MAX_ATTEMPTS = 3;
const RETRYABLE = new Set(['40P01', '40001']);

/** Ids and epoch milliseconds are bigint columns; both stay far below 2^53, so plain numbers. */
const INT8_OID = 20;
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/** The PostgreSQL type of each column of a new signature, for the arrays a batch is sent as. */
const COLUMN_TYPES: Record<keyof SignatureRow, string> = {
  campaign: 'text',
  emailKey: 'text',
  signerType: 'text',
  name: 'text',
  organisation: 'text',
  organisationKind: 'text',
  role: 'text',
  country: 'text',
  email: 'text',
  partner: 'text',
  page: 'text',
  lang: 'text',
  newsletter: 'boolean',
  listPublicly: 'boolean',
  consentVersion: 'text',
  status: 'text',
  createdAt: 'bigint',
  confirmedAt: 'bigint',
  mailQueuedAt: 'bigint',
  mailDueAt: 'bigint',
};

const COLUMNS = sharedSql.SIGNATURE_COLUMN_NAMES;
/** A batch's signatures as rows `input`: each column one array parameter. */
const INPUT = `unnest(${SIGNATURE_COLUMNS.map(([field], i) => `$${i + 1}::${COLUMN_TYPES[field]}[]`).join(', ')})`;
/** A pending signer who signs again has their mail queued again (see `resent` in ADD_BATCH)... */
const RESEND = sharedSql.queueMailAgain('input.created_at', 's');
/** ...or, with other details, their signature replaced (see REPLACE_PENDING). */
const REPLACE = sharedSql.replacePending((column) => `input.${column}`, 's', 'greatest');

/**
 * A batch of signatures in one statement; no two of them have the same key (see inRounds). The
 * rows are inserted in key order, the same in every process, so two batches never wait on each
 * other in a circle. A pending signer who signs again with the same details gets their mail
 * queued again (at most once per MAIL_RESEND_INTERVAL_MS); one who signs with other details is
 * returned, to be replaced by REPLACE_PENDING. Returns one row per signature added, with its
 * campaign's new count where the batch changed it, and one per signature to replace.
 */
const ADD_BATCH = `
  WITH input AS (
    SELECT * FROM ${INPUT} WITH ORDINALITY AS input (${COLUMNS}, position)
  ),
  added AS (
    INSERT INTO signatures (${COLUMNS})
    SELECT ${COLUMNS} FROM input ORDER BY campaign, email_key, position
    ON CONFLICT (campaign, email_key) DO NOTHING
    RETURNING id, campaign, email_key, partner, status
  ),
  -- The pending signatures signed again, each looked up once for both of what follows.
  again AS (
    SELECT s.id, input.campaign, input.email_key, input.created_at, ${REPLACE.changed} AS changed
    FROM input JOIN signatures s ON s.campaign = input.campaign AND s.email_key = input.email_key
    WHERE s.status = 'pending'
  ),
  resent AS (
    UPDATE signatures s SET ${RESEND.set}
    FROM again input
    WHERE s.id = input.id AND NOT input.changed AND ${RESEND.where}
  ),
  newly_counted AS (
    SELECT campaign, partner, count(*)::integer AS added FROM added WHERE status = 'confirmed' GROUP BY campaign, partner
  ),
  campaign_counted AS (
    INSERT INTO campaign_counts AS c (campaign, confirmed, version)
    SELECT campaign, sum(added)::integer, 1 FROM newly_counted GROUP BY campaign ORDER BY campaign
    ON CONFLICT (campaign) DO UPDATE SET confirmed = c.confirmed + excluded.confirmed, version = c.version + 1
    RETURNING campaign, confirmed, version, pg_notify('${COUNT_CHANNEL}', campaign)
  ),
  partner_counted AS (
    INSERT INTO partner_counts AS p (campaign, partner, confirmed)
    SELECT campaign, partner, added FROM newly_counted WHERE partner IS NOT NULL ORDER BY campaign, partner
    ON CONFLICT (campaign, partner) DO UPDATE SET confirmed = p.confirmed + excluded.confirmed
  )
  SELECT a.campaign, a.email_key AS "emailKey", false AS "toReplace", c.confirmed AS count, c.version
  FROM added a LEFT JOIN campaign_counted c USING (campaign)
  UNION ALL
  SELECT campaign, email_key, true, NULL, NULL FROM again WHERE changed`;

/**
 * Replaces pending signatures with the batch's signings of their keys, where those still change
 * their details, and returns them (see replacePending). Run in a transaction with END_CONFIRM_LINKS,
 * which comes after it as a statement of its own: it sees the tokens that a mail's insertion
 * committed while this waited for its row lock (see INSERT_LINK_TOKENS).
 */
const REPLACE_PENDING = `
  UPDATE signatures s SET ${REPLACE.set}
  FROM ${INPUT} AS input (${COLUMNS})
  WHERE s.campaign = input.campaign AND s.email_key = input.email_key AND ${REPLACE.changed}
  RETURNING s.id, s.campaign, s.email_key AS "emailKey"`;

/** The confirmation links of the signatures replaced (ids `$1`) can confirm nothing. */
const END_CONFIRM_LINKS = sharedSql.endConfirmLinks('ANY ($1::bigint[])');

/** Adds `$3` to a campaign's count and its partner's (`$2`, may be null); returns the new count. */
const CHANGE_COUNTS = `
  WITH partner_counted AS (
    INSERT INTO partner_counts AS p (campaign, partner, confirmed)
    SELECT $1, $2::text, $3 WHERE $2::text IS NOT NULL
    ON CONFLICT (campaign, partner) DO UPDATE SET confirmed = p.confirmed + excluded.confirmed
  )
  INSERT INTO campaign_counts AS c (campaign, confirmed, version) VALUES ($1, $3, 1)
  ON CONFLICT (campaign) DO UPDATE SET confirmed = c.confirmed + excluded.confirmed, version = c.version + 1
  RETURNING confirmed AS count, version, pg_notify('${COUNT_CHANNEL}', campaign)`;

/**
 * Leases due mails that no other process holds (SKIP LOCKED), oldest first. NO KEY UPDATE: the
 * lease leaves the row's keys alone, so link tokens can still be added for it meanwhile. The
 * leased rows are found by id in an array, so the plan looks each up, whatever the table's size.
 */
const CLAIM_MAILS = `
  WITH due AS (
    SELECT ${sharedSql.MAIL_JOB_COLUMNS}, mail_due_at AS due_at FROM signatures
    WHERE ${sharedSql.dueMails('$1', '$2')}
    FOR NO KEY UPDATE SKIP LOCKED
  ),
  leased AS (
    UPDATE signatures SET ${sharedSql.leaseMail('$3')} WHERE id = ANY (ARRAY(SELECT id FROM due))
  )
  SELECT * FROM due
  ORDER BY due_at, id`;

/**
 * Keeps the tokens of the mails that are still their signatures' latest, a confirmation token
 * ending the earlier ones, and returns those signatures' ids. FOR SHARE: a signature being
 * erased or replaced right now is waited for, then checked again (and skipped); one replaced
 * later waits for these tokens, then ends them (see REPLACE_PENDING).
 */
const INSERT_LINK_TOKENS = `
  WITH token AS (
    SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[])
      AS t (token_hash, signature_id, purpose, expires_at, queued_at)
  ),
  latest AS (
    SELECT s.id FROM signatures s
    WHERE s.id = ANY ($2::bigint[])
      AND EXISTS (SELECT 1 FROM token WHERE token.signature_id = s.id AND token.queued_at = coalesce(s.mail_queued_at, 0))
    FOR SHARE OF s
  ),
  superseded AS (
    DELETE FROM link_tokens l USING latest
    WHERE l.signature_id = latest.id AND l.purpose = 'confirm'
      AND EXISTS (SELECT 1 FROM token WHERE token.signature_id = latest.id AND token.purpose = 'confirm')
  ),
  kept AS (
    INSERT INTO link_tokens (token_hash, signature_id, purpose, expires_at)
    SELECT token.token_hash, token.signature_id, token.purpose, token.expires_at FROM token JOIN latest ON latest.id = token.signature_id
  )
  SELECT id FROM latest`;

/** Each claimed mail's result: its retry time, or NULL when it is done. */
const SETTLE_MAILS = `
  UPDATE signatures SET mail_due_at = r.retry_at
  FROM unnest($1::bigint[], $2::integer[], $3::bigint[]) AS r (mail, attempt, retry_at)
  WHERE ${sharedSql.claimedAttempt('r.mail', 'r.attempt')}`;

/**
 * Retention, in one statement: erases the pending signatures whose last mail is older than `$1`,
 * and with `$2` strips the personal data from the signatures confirmed before it.
 */
const ERASE_EXPIRED = `
  WITH erased AS (${sharedSql.erasePending('$1')} RETURNING id),
  anonymised AS (${sharedSql.anonymiseConfirmed('$2')} RETURNING id)
  SELECT (SELECT count(*) FROM erased)::integer AS erased, (SELECT count(*) FROM anonymised)::integer AS anonymised`;

const FIND_LINK = sharedSql.findLink('$1', '$2');

/** The token's signature, locked: two clicks on one link take turns, and the second sees the first's work. */
const FIND_LINK_FOR_UPDATE = `${FIND_LINK} FOR UPDATE OF s`;

/**
 * Erases a signer (email key `$1`; in campaign `$2`, or all when null) with their tokens and
 * mails, lowers the counts of what was counted and notifies; returns how many went and the new counts.
 */
const ERASE_SIGNER = `
  WITH erased AS (${sharedSql.eraseSigner('$1', '$2')}),
  uncounted AS (
    SELECT campaign, partner, count(*)::integer AS removed FROM erased WHERE status = 'confirmed' GROUP BY campaign, partner
  ),
  partner_counted AS (
    UPDATE partner_counts p SET confirmed = p.confirmed - u.removed
    FROM uncounted u WHERE p.campaign = u.campaign AND p.partner = u.partner
  ),
  campaign_counted AS (
    UPDATE campaign_counts c SET confirmed = c.confirmed - u.removed, version = c.version + 1
    FROM (SELECT campaign, sum(removed)::integer AS removed FROM uncounted GROUP BY campaign) u
    WHERE c.campaign = u.campaign
    RETURNING c.campaign, c.confirmed AS count, c.version, pg_notify('${COUNT_CHANNEL}', c.campaign)
  )
  SELECT (SELECT count(*) FROM erased)::integer AS erased,
    coalesce((SELECT json_agg(json_build_object('campaign', campaign, 'count', count, 'version', version)) FROM campaign_counted), '[]') AS counts`;

const ADD_BASELINE = sharedSql.addBaseline('$1', '$2', '$3', '$4', '$5', '$6');
const BASELINE_ENTRIES = sharedSql.baselineEntries('$1');
const REMOVE_BASELINE = sharedSql.removeBaseline('$1', '$2');

const STATS = sharedSql.stats((column) => `to_char(to_timestamp(${column} / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')`, '$1');

/** Each of these two, by index: false, true (see approvedOnly in store-sql.ts). */
const SUPPORTERS = [false, true].map((onlyApproved) => sharedSql.supporters('$1', '$2', '$3', '$4', 'true', onlyApproved));

const WALL_ENTRIES = [false, true].map((moderateAll) => sharedSql.wallEntries('$1', '$2', '$3', '$4', 'true', moderateAll));

const READ_COUNTS = 'SELECT campaign, confirmed AS count, version FROM campaign_counts WHERE campaign = ANY($1::text[])';

/** What ADD_BATCH returns: a signature it added, and its campaign's new count (null: unchanged); or one to replace. */
interface AddedRow {
  campaign: string;
  emailKey: string;
  toReplace: boolean;
  count: number | null;
  version: number | null;
}

type QueuedAdd = Queued<NewSignature, { outcome: AddOutcome }>;

export interface PostgresStoreOptions {
  /** How often the live counts are re-read to heal a missed notification (tests shorten it). */
  resyncMs?: number;
}

export class PostgresSignatureStore implements SignatureStore {
  private readonly adds = new GroupCommit<NewSignature, { outcome: AddOutcome }>((batch) => this.writeBatch(batch), {
    maxBatch: MAX_BATCH,
    serial: true,
  });
  private closed = false;
  private readonly listeners = new CountListeners();
  private readonly feed: PostgresCountFeed;
  private readonly health = new StoreHealth(postgresFault);

  /** Connects, and creates or migrates the schema. Fails when the database cannot be reached. */
  static async open(connectionString: string, options: PostgresStoreOptions = {}): Promise<PostgresSignatureStore> {
    const config: pg.PoolConfig = { connectionString, types, connectionTimeoutMillis: 10_000 };
    const pool = new pg.Pool(config);
    // A pooled connection that breaks while idle is dropped and replaced; without a handler the
    // error would end the process.
    pool.on('error', () => undefined);
    try {
      await requireDurableCommits(pool);
      await migrate(pool);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    // Keepalive: a LISTEN connection that died without a word is noticed in time, and made again.
    const newListenClient = () => new pg.Client({ ...config, keepAlive: true, keepAliveInitialDelayMillis: 30_000 });
    return new PostgresSignatureStore(pool, newListenClient, options);
  }

  private constructor(
    private readonly pool: pg.Pool,
    newClient: () => pg.Client,
    options: PostgresStoreOptions,
  ) {
    this.feed = new PostgresCountFeed({
      newClient,
      readCounts: (campaigns) => this.readCounts(campaigns),
      listeners: this.listeners,
      resyncMs: options.resyncMs,
    });
  }

  add(signature: NewSignature): Promise<{ outcome: AddOutcome }> {
    if (this.closed) return Promise.reject(new Error('The signature store is closed.'));
    return this.adds.add(signature);
  }

  async count(campaign: string): Promise<number> {
    const current = this.feed.current(campaign);
    if (current !== undefined) return current;
    const counted = (await this.health.read(() => this.readCounts([campaign]))).get(campaign) ?? { count: 0, version: 0 };
    this.feed.observe(campaign, counted);
    return counted.count;
  }

  async partnerCount(campaign: string, partner: string): Promise<number> {
    const { rows } = await this.read<{ confirmed: number }>(sharedSql.partnerCount('$1', '$2'), [campaign, partner]);
    return rows[0]?.confirmed ?? 0;
  }

  onCount(listener: CountListener): () => void {
    const unsubscribe = this.listeners.add(listener);
    if (!this.closed) this.feed.start();
    return unsubscribe;
  }

  async findLink(purpose: LinkPurpose, tokenHash: string, now: number): Promise<LinkResult> {
    const { rows } = await this.read<LinkRow>(FIND_LINK, [tokenHash, purpose]);
    return toLinkResult(purpose, rows[0], now);
  }

  confirm(tokenHash: string, now: number): Promise<LinkResult> {
    return this.useLink('confirm', tokenHash, now);
  }

  withdraw(tokenHash: string, now: number): Promise<LinkResult> {
    return this.useLink('withdraw', tokenHash, now);
  }

  async claimMails(now: number, limit: number, leaseMs: number): Promise<MailJob[]> {
    const { rows } = await this.write<MailJobRow>({ name: 'claim-mails', text: CLAIM_MAILS, values: [now, limit, now + leaseMs] });
    return rows.map(toMailJob);
  }

  async addLinkTokens(tokens: NewLinkToken[]): Promise<number[]> {
    if (!tokens.length) return [];
    const values = [
      tokens.map((token) => token.hash),
      tokens.map((token) => token.signatureId),
      tokens.map((token) => token.purpose),
      tokens.map((token) => token.expiresAt),
      tokens.map((token) => token.queuedAt),
    ];
    const { rows } = await this.health.write(() => this.retrying(() => this.pool.query<{ id: number }>(INSERT_LINK_TOKENS, values)));
    return rows.map(({ id }) => id);
  }

  async settleMails(results: MailResult[]): Promise<void> {
    if (!results.length) return;
    const values = [results.map(({ id }) => id), results.map(({ attempt }) => attempt), results.map(({ retryAt }) => retryAt ?? null)];
    // It writes many signatures' rows, as signing (a re-sent mail) and retention may at once.
    await this.health.write(() => this.retrying(() => this.pool.query(SETTLE_MAILS, values)));
  }

  async eraseExpired({ pendingBefore, confirmedBefore }: { pendingBefore: number; confirmedBefore?: number }) {
    const values = [pendingBefore, confirmedBefore ?? null];
    const { rows } = await this.health.write(() =>
      this.retrying(() => this.pool.query<{ erased: number; anonymised: number }>(ERASE_EXPIRED, values)),
    );
    return rows[0]!;
  }

  async spendProof(id: string, expiresAt: number, now: number): Promise<boolean> {
    await this.write(sharedSql.forgetSpentProofs('$1'), [now]);
    const { rowCount } = await this.write(sharedSql.spendProof('$1', '$2'), [id, expiresAt]);
    return rowCount === 1;
  }

  async sharedSecret(name: string, create: () => string): Promise<string> {
    // Two statements: one alone would not see a row that another process committed while it waited.
    await this.write(sharedSql.keepSetting('$1', '$2'), [name, create()]);
    return (await this.read<{ value: string }>(sharedSql.readSetting('$1'), [name])).rows[0]!.value;
  }

  async stats(campaign: string): Promise<CampaignStats> {
    return toCampaignStats((await this.read<StatsRow>(STATS, [campaign])).rows);
  }

  async exportPage(campaign: string, { afterId, limit, status }: { afterId: number; limit: number; status?: SignatureStatus }) {
    const { rows } = await this.read<ExportedSignature>(sharedSql.exportPage('$1', '$2', '$3', '$4'), [
      campaign,
      afterId,
      limit,
      status ?? null,
    ]);
    return rows;
  }

  async eraseSigner(emailKey: string, campaign?: string): Promise<{ erased: number }> {
    const { rows } = await this.health.write(() =>
      this.retrying(() =>
        this.pool.query<{ erased: number; counts: (VersionedCount & { campaign: string })[] }>(ERASE_SIGNER, [emailKey, campaign ?? null]),
      ),
    );
    const { erased, counts } = rows[0]!;
    for (const { campaign: changed, count, version } of counts) this.feed.observe(changed, { count, version }, { committed: true });
    return { erased };
  }

  async supporters(
    campaign: string,
    { beforeId, limit, signerType, moderateAll }: { beforeId?: number; limit: number; signerType?: string; moderateAll: boolean },
  ) {
    const values = [campaign, beforeId ?? Number.MAX_SAFE_INTEGER, limit, signerType ?? null];
    return (await this.read<PublicSupporter>(SUPPORTERS[Number(sharedSql.approvedOnly(moderateAll, signerType))]!, values)).rows;
  }

  async wallEntries(
    campaign: string,
    { state, beforeId, limit, moderateAll }: { state: WallState; beforeId?: number; limit: number; moderateAll: boolean },
  ) {
    const values = [campaign, beforeId ?? Number.MAX_SAFE_INTEGER, limit, state];
    return (await this.read<StoredWallEntry>(WALL_ENTRIES[Number(moderateAll)]!, values)).rows;
  }

  async moderate(campaign: string, id: number, decision: ModerationDecision): Promise<boolean> {
    return (await this.write(sharedSql.moderate('$1', '$2', '$3', 'true'), [campaign, id, decision])).rowCount === 1;
  }

  async partners(): Promise<Partner[]> {
    return (await this.read<Partner>(sharedSql.PARTNERS)).rows;
  }

  async savePartner({ id, name, origins, listed, url, logo, position }: Partner): Promise<void> {
    await this.write(sharedSql.savePartner('$1', '$2', '$3', '$4', '$5', '$6', '$7'), [id, name, origins, listed, url, logo, position]);
  }

  async deletePartner(id: string): Promise<boolean> {
    return (await this.write(sharedSql.deletePartner('$1'), [id])).rowCount === 1;
  }

  async addBaseline({ campaign, partner, count, note, date, createdAt }: NewBaselineEntry): Promise<BaselineEntry> {
    const { added, counted } = await this.health.write(() =>
      this.transaction(async (client) => {
        const added = (await client.query<BaselineEntry>(ADD_BASELINE, [campaign, partner, count, note, date, createdAt])).rows[0]!;
        const counted = (await client.query<VersionedCount>(CHANGE_COUNTS, [campaign, partner, count])).rows[0]!;
        return { added, counted };
      }),
    );
    this.feed.observe(campaign, counted, { committed: true });
    return added;
  }

  async baselineEntries(campaign: string): Promise<BaselineEntry[]> {
    return (await this.read<BaselineEntry>(BASELINE_ENTRIES, [campaign])).rows;
  }

  async removeBaseline(campaign: string, id: number): Promise<boolean> {
    const counted = await this.health.write(() =>
      this.transaction(async (client) => {
        const removed = (await client.query<{ partner: string | null; count: number }>(REMOVE_BASELINE, [campaign, id])).rows[0];
        if (!removed) return undefined;
        return (await client.query<VersionedCount>(CHANGE_COUNTS, [campaign, removed.partner, -removed.count])).rows[0]!;
      }),
    );
    if (!counted) return false;
    this.feed.observe(campaign, counted, { committed: true });
    return true;
  }

  async healthy(): Promise<boolean> {
    if (this.closed) return false;
    return this.health.healthy(
      () => this.pool.query(sharedSql.PING),
      () => this.pool.query(sharedSql.probeWrite('$1'), [String(Date.now())]),
    );
  }

  onFailure(listener: FailureListener): () => void {
    return this.health.onFailure(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.adds.flush();
    this.listeners.clear();
    await this.feed.close();
    await this.pool.end();
  }

  /** Never rejects: each signature's promise gets the outcome or the error. */
  private async writeBatch(batch: QueuedAdd[]): Promise<void> {
    for (const round of inRounds(batch)) await this.writeRound(round);
  }

  /** Writes signatures of distinct keys. Never rejects: each signature's promise gets the outcome or the error. */
  private async writeRound(batch: QueuedAdd[]): Promise<void> {
    const rows = batch.map(({ item }) => toSignatureRow(item));
    // Named: each connection parses and plans it once.
    const statement = { name: 'add-signatures', text: ADD_BATCH, values: columnsOf(rows) };
    let added: AddedRow[];
    let replacedKeys: Set<string>;
    try {
      added = await this.health.write(() => this.retrying(async () => (await this.pool.query<AddedRow>(statement)).rows));
      const toReplace = new Set(added.filter((row) => row.toReplace).map((row) => keyOf(row.campaign, row.emailKey)));
      replacedKeys = toReplace.size
        ? await this.replacePending(rows.filter((row) => toReplace.has(keyOf(row.campaign, row.emailKey))))
        : new Set();
    } catch (error) {
      // A database that is down refuses each one alike.
      if (batch.length === 1 || error instanceof StoreUnavailableError) {
        for (const item of batch) item.reject(error);
        return;
      }
      // Again one at a time, so a bad signature fails alone. (Had the batch committed after all,
      // its connection breaking before the answer, each now comes back a duplicate: no harm.)
      for (const item of batch) await this.writeRound([item]);
      return;
    }
    const addedKeys = new Set(added.filter((row) => !row.toReplace).map((row) => keyOf(row.campaign, row.emailKey)));
    for (const { item: signature, resolve } of batch) {
      const key = keyOf(signature.campaign, signature.emailKey);
      resolve({ outcome: addedKeys.has(key) ? 'added' : replacedKeys.has(key) ? 'replaced' : 'duplicate' });
    }
    for (const { campaign, count, version } of added) {
      if (count !== null && version !== null) this.feed.observe(campaign, { count, version }, { committed: true });
    }
  }

  /** Replaces pending signatures with these signings of their keys (REPLACE_PENDING); returns the keys replaced. */
  private async replacePending(rows: SignatureRow[]): Promise<Set<string>> {
    const replaced = await this.health.write(() =>
      this.transaction(async (client) => {
        const { rows: done } = await client.query<{ id: number; campaign: string; emailKey: string }>(REPLACE_PENDING, columnsOf(rows));
        if (done.length) await client.query(END_CONFIRM_LINKS, [done.map(({ id }) => id)]);
        return done;
      }),
    );
    return new Set(replaced.map((row) => keyOf(row.campaign, row.emailKey)));
  }

  /** Reads the token and acts on it in one transaction, so two clicks cannot both count. */
  private async useLink(purpose: LinkPurpose, tokenHash: string, now: number): Promise<LinkResult> {
    const { result, counted } = await this.health.write(() =>
      this.transaction(async (client) => {
        const link = (await client.query<LinkRow>(FIND_LINK_FOR_UPDATE, [tokenHash, purpose])).rows[0];
        const found = toLinkResult(purpose, link, now);
        if (found.outcome !== 'ready' || !link) return { result: found };
        if (purpose === 'confirm') await client.query(sharedSql.confirmSignature('$1', '$2'), [link.id, now]);
        else await client.query(sharedSql.deleteSignature('$1'), [link.id]);
        const countChanged = purpose === 'confirm' || link.status === 'confirmed';
        const delta = purpose === 'confirm' ? 1 : -1;
        const counted = countChanged
          ? (await client.query<VersionedCount>(CHANGE_COUNTS, [link.campaign, link.partner, delta])).rows[0]
          : undefined;
        return { result: usedLinkResult(purpose, found), counted };
      }),
    );
    if (result.outcome !== 'unknown' && counted) this.feed.observe(result.campaign, counted, { committed: true });
    return result;
  }

  /** A query that reads (see store-health.ts). */
  private read<Row extends pg.QueryResultRow>(query: string | pg.QueryConfig, values?: unknown[]) {
    return this.health.read(() => this.pool.query<Row>(query, values));
  }

  /** A query that writes: refused at once after a failure (see store-health.ts). */
  private write<Row extends pg.QueryResultRow>(query: string | pg.QueryConfig, values?: unknown[]) {
    return this.health.write(() => this.pool.query<Row>(query, values));
  }

  private async readCounts(campaigns: string[]): Promise<Map<string, VersionedCount>> {
    const { rows } = await this.pool.query<VersionedCount & { campaign: string }>({
      name: 'read-counts',
      text: READ_COUNTS,
      values: [campaigns],
    });
    return new Map(rows.map(({ campaign, count, version }) => [campaign, { count, version }]));
  }

  private transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.retrying(async () => {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (error) {
        // A connection that cannot even roll back is not given back to the pool.
        const broken = await client.query('ROLLBACK').then(
          () => false,
          () => true,
        );
        client.release(broken);
        throw error;
      }
    });
  }

  /** Runs `attempt` again after a deadlock or serialization failure, which roll back everything. */
  private async retrying<T>(attempt: () => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        if (tries >= MAX_ATTEMPTS || !RETRYABLE.has((error as { code?: string }).code ?? '')) throw error;
      }
    }
  }
}

/** A 2xx must mean committed to disk; with synchronous_commit off, a crash could lose what was acknowledged. */
async function requireDurableCommits(pool: pg.Pool) {
  const { rows } = await pool.query<{ setting: string }>(`SELECT current_setting('synchronous_commit') AS setting`);
  if (rows[0]!.setting === 'off') {
    throw new Error(
      'synchronous_commit is off for this connection, so an acknowledged signature could be lost in a crash. ' +
        'Turn it on for the role (ALTER ROLE … SET synchronous_commit = on) or in the URL (?options=-c%20synchronous_commit%3Don).',
    );
  }
}

const keyOf = (campaign: string, emailKey: string) => `${campaign}\n${emailKey}`;

/** The driver's errors for a connection that could not be made, broke, or timed out. */
const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const CONNECTION_LOST =
  /^(Connection terminated unexpectedly|Connection terminated due to connection timeout|timeout exceeded when trying to connect|timeout expired|Query read timeout|Client has encountered a connection error and is not queryable)$/;

/**
 * What a PostgreSQL error means for the store (see store-health.ts): the server, or the way to it,
 * is down, out of room or read-only for now. PostgreSQL handles a failed fsync itself (it stops), so
 * nothing here is a failure of the store's own.
 */
function postgresFault(error: unknown): StoreFault | undefined {
  if (error instanceof pg.DatabaseError) {
    // 08: connection exception; 53: insufficient resources (disk full, out of memory, too many
    // connections); 57P01-57P03: shutting down, restarted after a crash, not yet accepting
    // connections; 58030: I/O error; 25006: read-only (a standby, after a failover).
    return /^(08|53|57P0[1-3]|58030|25006)/.test(error.code ?? '') ? 'unavailable' : undefined;
  }
  if (!(error instanceof Error)) return undefined;
  const { code } = error as NodeJS.ErrnoException;
  return (code && CONNECTION_ERRORS.has(code)) || CONNECTION_LOST.test(error.message) ? 'unavailable' : undefined;
}

/** The rows as the array parameters of INPUT, one per column. */
const columnsOf = (rows: SignatureRow[]) => SIGNATURE_COLUMNS.map(([field]) => rows.map((row) => row[field]));

/**
 * The batch in rounds, in order, in which each key comes once: a statement does not see the rows
 * it writes itself, so a key's second signing in a batch is written after its first.
 */
function inRounds(batch: QueuedAdd[]): QueuedAdd[][] {
  const rounds: QueuedAdd[][] = [];
  const seen = new Map<string, number>();
  for (const queued of batch) {
    const key = keyOf(queued.item.campaign, queued.item.emailKey);
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    (rounds[round] ??= []).push(queued);
  }
  return rounds;
}
