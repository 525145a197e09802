/**
 * The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, so SQLite syncs the
 * WAL at each commit before any other connection can see it, and a COMMIT that returns is on
 * disk: a signature acknowledged with 2xx, and the mail queued with it, survive a crash,
 * `kill -9` or a power cut. What SQLite's errors mean for the store (a full disk, a failed
 * fsync) is sqliteFault's to say; store-health.ts says what the store then does.
 *
 * Group commit (group-commit.ts): `add()` only queues. On the next turn of the event loop every queued signature
 * (up to MAX_BATCH) is written in one transaction, and each promise resolves once that COMMIT is
 * done. The signatures that arrive during one commit and its fsync share the next, so
 * durability does not cost throughput.
 */
import Database from 'better-sqlite3';
import { CountListeners } from './count-listeners.js';
import { GroupCommit, type Queued } from './group-commit.js';
import { migrate } from './sqlite-migrations.js';
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
import { StoreHealth, type FailureListener, type StoreFault } from './store-health.js';
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
/** A pending signer who signs again has their mail queued again (see queueResend)... */
const RESEND = sharedSql.queueMailAgain('@now', 'signatures');
/** ...or, with other details, their signature replaced (see replacePending). Parameters are named as SignatureRow's fields. */
const REPLACE = sharedSql.replacePending((column) => `@${fieldOf(column)}`, 'signatures', 'max');
/** How long a write waits for another process's write lock before the store counts as unavailable. */
const BUSY_TIMEOUT_MS = 5000;
/**
 * What `/healthz` writes to see whether a full disk has room again: about what a large batch of
 * signatures needs, so that the room left by a write that failed half-way does not pass for it.
 */
const PROBE_BYTES = 1024 * 1024;
/**
 * How long a count read from the file is trusted. This process's own commits update it at once;
 * the wait is only for another process writing the same file, which is rare with SQLite.
 */
const COUNT_TTL_MS = 1000;

type QueuedAdd = Queued<NewSignature, { outcome: AddOutcome }>;

type ItemResult = { outcome: AddOutcome } | { error: unknown };

export class SqliteSignatureStore implements SignatureStore {
  private readonly adds = new GroupCommit<NewSignature, { outcome: AddOutcome }>((batch) => this.writeBatch(batch), {
    maxBatch: MAX_BATCH,
    serial: false,
  });
  private closed = false;
  private readonly listeners = new CountListeners();
  /** Campaign → its count and when it was read (performance.now()): GET /count and every 201 read it. */
  private readonly counts = new Map<string, { count: number; at: number }>();
  private readonly health = new StoreHealth(sqliteFault);

  private readonly sql;
  private readonly addAll;
  private readonly addEach;
  private readonly useLink;
  private readonly claim;
  private readonly insertLinkTokens;
  private readonly settle;
  private readonly eraseExpiredNow;
  private readonly eraseSignerNow;
  private readonly addBaselineNow;
  private readonly removeBaselineNow;

  /**
   * Opens (creating and migrating when needed) the SQLite file at `file`. `busyTimeoutMs`: how
   * long a write waits for another process's write lock (tests that hold it take 0).
   */
  static open(file: string, { busyTimeoutMs = BUSY_TIMEOUT_MS } = {}): SqliteSignatureStore {
    const db = new Database(file);
    try {
      db.pragma(`busy_timeout = ${busyTimeoutMs}`);
      db.pragma('journal_mode = WAL');
      // SQLite syncs the WAL inside each COMMIT, before another connection can see it. (NORMAL,
      // the usual setting in WAL mode, syncs only at checkpoints: a commit could be seen, and
      // acknowledged, before it is on disk.)
      db.pragma('synchronous = FULL');
      // Erasing a signature erases its link tokens (ON DELETE CASCADE).
      db.pragma('foreign_keys = ON');
      migrate(db);
      return new SqliteSignatureStore(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private constructor(private readonly db: Database.Database) {
    const sql = (this.sql = prepareStatements(db));

    // The row's mail is queued with it (mail_due_at).
    const addOne = (signature: NewSignature): AddOutcome => {
      const row = toSignatureRow(signature);
      if (sql.insertSignature.run(toSqliteValues(row)).changes === 1) return 'added';
      const replaced = sql.replacePending.get(toSqliteParams(row));
      if (replaced) {
        sql.endConfirmLinks.run(replaced.id);
        return 'replaced';
      }
      const { campaign, emailKey, createdAt: now } = signature;
      sql.queueResend.run({ campaign, emailKey, now });
      return 'duplicate';
    };
    // Inside a transaction, better-sqlite3 makes this one a SAVEPOINT.
    const addOneApart = db.transaction(addOne);

    /**
     * The batch's results, and the new count of each campaign it changed. The counters rise once
     * per campaign and partner for the whole batch, not once per signature.
     */
    const batchWith = (add: (signature: NewSignature) => ItemResult) => (signatures: NewSignature[]) => {
      const counted = new Map<string, { campaign: string; partner?: string; added: number }>();
      const results = signatures.map((signature) => {
        const result = add(signature);
        if ('outcome' in result && result.outcome === 'added' && signature.status === 'confirmed') {
          const { campaign, partner } = signature;
          const key = `${campaign}\n${partner ?? ''}`;
          const tally = counted.get(key) ?? counted.set(key, { campaign, partner, added: 0 }).get(key)!;
          tally.added++;
        }
        return result;
      });
      for (const { campaign, partner, added } of counted.values()) this.changeCounts(campaign, partner, added);
      const campaigns = new Set([...counted.values()].map(({ campaign }) => campaign));
      const counts = new Map([...campaigns].map((campaign) => [campaign, sql.campaignCount.get(campaign) ?? 0]));
      return { results, counts };
    };
    // One transaction for a batch: any error rolls all of it back (then addEach takes it again).
    this.addAll = db.transaction(batchWith((signature) => ({ outcome: addOne(signature) })));
    // The same, each signature in a savepoint of its own, so that a bad one fails alone.
    this.addEach = db.transaction(
      batchWith((signature) => {
        try {
          return { outcome: addOneApart(signature) };
        } catch (error) {
          // A full disk or a failed sync is the whole batch's, and SQLite may have rolled it back already.
          if (sqliteFault(error)) throw error;
          return { error };
        }
      }),
    );

    // Reads the token and acts on it in one transaction, so two clicks cannot both count.
    this.useLink = db.transaction((purpose: LinkPurpose, tokenHash: string, now: number) => {
      const link = sql.findLink.get({ tokenHash, purpose });
      const found = toLinkResult(purpose, link, now);
      if (found.outcome !== 'ready' || !link) return { result: found };
      const { id, campaign, partner, status } = link;
      if (purpose === 'confirm') sql.confirmSignature.run({ id, now });
      else sql.deleteSignature.run(id);
      const countChanged = purpose === 'confirm' || status === 'confirmed';
      if (countChanged) this.changeCounts(campaign, partner, purpose === 'confirm' ? +1 : -1);
      return {
        result: usedLinkResult(purpose, found),
        count: countChanged ? (sql.campaignCount.get(campaign) ?? 0) : undefined,
      };
    });

    this.claim = db.transaction((now: number, limit: number, leaseMs: number): MailJob[] => {
      const due = sql.dueMails.all(now, limit);
      for (const job of due) sql.leaseMail.run(now + leaseMs, job.id);
      return due.map(toMailJob);
    });

    this.insertLinkTokens = db.transaction((tokens: NewLinkToken[]) => {
      const kept = new Map<number, boolean>();
      for (const token of tokens) {
        const { signatureId, queuedAt } = token;
        if (!kept.has(signatureId)) kept.set(signatureId, sql.latestMail.get(signatureId, queuedAt) !== undefined);
        if (!kept.get(signatureId)) continue;
        if (token.purpose === 'confirm') sql.endConfirmLinks.run(signatureId);
        sql.insertLinkToken.run(token);
      }
      return [...kept].filter(([, latest]) => latest).map(([signatureId]) => signatureId);
    });

    this.settle = db.transaction((results: MailResult[]) => {
      for (const { id, attempt, retryAt } of results) sql.settleMail.run(retryAt ?? null, id, attempt);
    });

    this.eraseExpiredNow = db.transaction((pendingBefore: number, confirmedBefore: number | undefined) => {
      const erased = sql.erasePending.run(pendingBefore).changes;
      if (confirmedBefore === undefined) return { erased, anonymised: 0 };
      return { erased, anonymised: sql.anonymiseConfirmedBefore.run(confirmedBefore).changes };
    });

    this.eraseSignerNow = db.transaction((emailKey: string, campaign: string | null) => {
      const erased = sql.eraseSigner.all({ emailKey, campaign });
      const changed = new Set<string>();
      for (const { campaign, partner, status } of erased) {
        if (status !== 'confirmed') continue;
        this.changeCounts(campaign, partner, -1);
        changed.add(campaign);
      }
      return { erased: erased.length, counts: [...changed].map((campaign) => [campaign, sql.campaignCount.get(campaign) ?? 0] as const) };
    });

    // A baseline entry and its count in the counters, together.
    this.addBaselineNow = db.transaction((entry: NewBaselineEntry) => {
      const { campaign, partner, count, note, date, createdAt } = entry;
      const added = sql.addBaseline.get(campaign, partner, count, note, date, createdAt)!;
      this.changeCounts(campaign, partner, count);
      return { added, count: sql.campaignCount.get(campaign) ?? 0 };
    });
    this.removeBaselineNow = db.transaction((campaign: string, id: number) => {
      const removed = sql.removeBaseline.get(campaign, id);
      if (!removed) return undefined;
      this.changeCounts(campaign, removed.partner, -removed.count);
      return sql.campaignCount.get(campaign) ?? 0;
    });
  }

  async addBaseline(entry: NewBaselineEntry): Promise<BaselineEntry> {
    const { added, count } = await this.health.write(() => this.addBaselineNow.immediate(entry));
    this.tell(entry.campaign, count);
    return added;
  }

  baselineEntries(campaign: string): Promise<BaselineEntry[]> {
    return this.health.read(() => this.sql.baselineEntries.all(campaign));
  }

  async removeBaseline(campaign: string, id: number): Promise<boolean> {
    const count = await this.health.write(() => this.removeBaselineNow.immediate(campaign, id));
    if (count === undefined) return false;
    this.tell(campaign, count);
    return true;
  }

  add(signature: NewSignature): Promise<{ outcome: AddOutcome }> {
    if (this.closed) return Promise.reject(new Error('The signature store is closed.'));
    return this.adds.add(signature);
  }

  async count(campaign: string): Promise<number> {
    const cached = this.counts.get(campaign);
    if (cached && performance.now() - cached.at < COUNT_TTL_MS) return cached.count;
    const count = await this.health.read(() => this.sql.campaignCount.get(campaign) ?? 0);
    this.counts.set(campaign, { count, at: performance.now() });
    return count;
  }

  partnerCount(campaign: string, partner: string): Promise<number> {
    return this.health.read(() => this.sql.partnerCount.get(campaign, partner) ?? 0);
  }

  onCount(listener: CountListener): () => void {
    return this.listeners.add(listener);
  }

  findLink(purpose: LinkPurpose, tokenHash: string, now: number): Promise<LinkResult> {
    return this.health.read(() => toLinkResult(purpose, this.sql.findLink.get({ tokenHash, purpose }), now));
  }

  confirm(tokenHash: string, now: number): Promise<LinkResult> {
    return this.useLinkAndTell('confirm', tokenHash, now);
  }

  withdraw(tokenHash: string, now: number): Promise<LinkResult> {
    return this.useLinkAndTell('withdraw', tokenHash, now);
  }

  claimMails(now: number, limit: number, leaseMs: number): Promise<MailJob[]> {
    return this.health.write(() => this.claim.immediate(now, limit, leaseMs));
  }

  async addLinkTokens(tokens: NewLinkToken[]): Promise<number[]> {
    return this.health.write(() => this.insertLinkTokens(tokens));
  }

  async settleMails(results: MailResult[]): Promise<void> {
    await this.health.write(() => this.settle(results));
  }

  eraseExpired({ pendingBefore, confirmedBefore }: { pendingBefore: number; confirmedBefore?: number }) {
    return this.health.write(() => this.eraseExpiredNow.immediate(pendingBefore, confirmedBefore));
  }

  spendProof(id: string, expiresAt: number, now: number): Promise<boolean> {
    return this.health.write(() => {
      this.sql.forgetSpentProofs.run(now);
      return this.sql.spendProof.run(id, expiresAt).changes === 1;
    });
  }

  sharedSecret(name: string, create: () => string): Promise<string> {
    return this.health.write(() => {
      this.sql.keepSetting.run(name, create());
      return this.sql.readSetting.get(name)!;
    });
  }

  stats(campaign: string): Promise<CampaignStats> {
    return this.health.read(() => toCampaignStats(this.sql.stats.all({ campaign })));
  }

  exportPage(campaign: string, { afterId, limit, status }: { afterId: number; limit: number; status?: SignatureStatus }) {
    return this.health.read(() => this.sql.exportPage.all({ campaign, afterId, limit, status: status ?? null }).map(fromSqliteBooleans));
  }

  async eraseSigner(emailKey: string, campaign?: string): Promise<{ erased: number }> {
    const { erased, counts } = await this.health.write(() => this.eraseSignerNow.immediate(emailKey, campaign ?? null));
    for (const [changed, count] of counts) this.tell(changed, count);
    return { erased };
  }

  supporters(
    campaign: string,
    { beforeId, limit, signerType, moderateAll }: { beforeId?: number; limit: number; signerType?: string; moderateAll: boolean },
  ) {
    const statement = this.sql.supporters[Number(sharedSql.approvedOnly(moderateAll, signerType))]!;
    return this.health.read(() =>
      statement.all({ campaign, beforeId: beforeId ?? Number.MAX_SAFE_INTEGER, limit, signerType: signerType ?? null }),
    );
  }

  wallEntries(
    campaign: string,
    { state, beforeId, limit, moderateAll }: { state: WallState; beforeId?: number; limit: number; moderateAll: boolean },
  ) {
    return this.health.read(() =>
      this.sql.wallEntries[Number(moderateAll)]!.all({ campaign, state, beforeId: beforeId ?? Number.MAX_SAFE_INTEGER, limit }),
    );
  }

  async moderate(campaign: string, id: number, decision: ModerationDecision): Promise<boolean> {
    return (await this.health.write(() => this.sql.moderate.run({ campaign, id, decision }))).changes === 1;
  }

  partners(): Promise<Partner[]> {
    return this.health.read(() =>
      this.sql.partners
        .all()
        .map(({ origins, listed, ...partner }) => ({ ...partner, listed: listed === 1, origins: JSON.parse(origins) as string[] })),
    );
  }

  async savePartner({ id, name, origins, listed, url, logo, position }: Partner): Promise<void> {
    await this.health.write(() =>
      this.sql.savePartner.run({ id, name, origins: JSON.stringify(origins), listed: Number(listed), url, logo, position }),
    );
  }

  async deletePartner(id: string): Promise<boolean> {
    return (await this.health.write(() => this.sql.deletePartner.run(id))).changes === 1;
  }

  async healthy(): Promise<boolean> {
    if (this.closed) return false;
    return this.health.healthy(
      () => this.sql.ping.get(),
      () => this.sql.probeWrite.run(PROBE_BYTES),
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
    this.db.close();
  }

  /** Never rejects: each signature's promise gets the outcome or the error. */
  private async writeBatch(batch: QueuedAdd[]) {
    const signatures = batch.map(({ item }) => item);
    let written: ReturnType<typeof this.addAll>;
    try {
      written = await this.health.write(() => {
        try {
          return this.addAll(signatures);
        } catch (error) {
          // A full disk refuses each one alike; anything else may be one bad signature.
          if (sqliteFault(error)) throw error;
          return this.addEach(signatures);
        }
      });
    } catch (error) {
      // Rolled back, or not known to be on disk: nothing of this batch is acknowledged.
      for (const item of batch) item.reject(error);
      return;
    }
    written.results.forEach((result, i) => {
      if ('error' in result) batch[i]!.reject(result.error);
      else batch[i]!.resolve(result);
    });
    for (const [campaign, count] of written.counts) this.tell(campaign, count);
  }

  private async useLinkAndTell(purpose: LinkPurpose, tokenHash: string, now: number): Promise<LinkResult> {
    const { result, count } = await this.health.write(() => this.useLink.immediate(purpose, tokenHash, now));
    if (result.outcome !== 'unknown' && count !== undefined) this.tell(result.campaign, count);
    return result;
  }

  /** A count this process committed, now durable: kept for count(), and told to the listeners. */
  private tell(campaign: string, count: number) {
    this.counts.set(campaign, { count, at: performance.now() });
    this.listeners.emit(campaign, count);
  }

  /** Adds `delta` to a campaign's count and to its partner's. */
  private changeCounts(campaign: string, partner: string | null | undefined, delta: number) {
    this.sql.countForCampaign.run({ campaign, delta });
    if (partner) this.sql.countForPartner.run({ campaign, partner, delta });
  }
}

function prepareStatements(db: Database.Database) {
  return {
    // Bound by position and without RETURNING (which SQLite buffers in a table of its own): the
    // signing path's costliest statement runs a quarter faster so. No change means a duplicate.
    insertSignature: db.prepare<[SqliteValue[]]>(`
      INSERT INTO signatures (${sharedSql.SIGNATURE_COLUMN_NAMES})
      VALUES (${SIGNATURE_COLUMNS.map(() => '?').join(', ')})
      ON CONFLICT (campaign, email_key) DO NOTHING`),
    queueResend: db.prepare<{ campaign: string; emailKey: string; now: number }>(`
      UPDATE signatures SET ${RESEND.set} WHERE campaign = @campaign AND email_key = @emailKey AND ${RESEND.where}`),
    replacePending: db.prepare<Record<keyof SignatureRow, SqliteValue>, { id: number }>(`
      UPDATE signatures SET ${REPLACE.set} WHERE campaign = @campaign AND email_key = @emailKey AND ${REPLACE.changed}
      RETURNING id`),
    endConfirmLinks: db.prepare<[number]>(sharedSql.endConfirmLinks('?')),
    latestMail: db.prepare<[number, number], 1>(sharedSql.latestMail('?', '?')).pluck(),
    countForCampaign: db.prepare<{ campaign: string; delta: number }>(`
      INSERT INTO campaign_counts (campaign, confirmed) VALUES (@campaign, @delta)
      ON CONFLICT (campaign) DO UPDATE SET confirmed = confirmed + @delta`),
    countForPartner: db.prepare<{ campaign: string; partner: string; delta: number }>(`
      INSERT INTO partner_counts (campaign, partner, confirmed) VALUES (@campaign, @partner, @delta)
      ON CONFLICT (campaign, partner) DO UPDATE SET confirmed = confirmed + @delta`),
    campaignCount: db.prepare<[string], number>('SELECT confirmed FROM campaign_counts WHERE campaign = ?').pluck(),
    partnerCount: db.prepare<[string, string], number>(sharedSql.partnerCount('?', '?')).pluck(),
    findLink: db.prepare<{ tokenHash: string; purpose: LinkPurpose }, LinkRow>(sharedSql.findLink('@tokenHash', '@purpose')),
    confirmSignature: db.prepare<{ id: number; now: number }>(sharedSql.confirmSignature('@id', '@now')),
    deleteSignature: db.prepare<[number]>(sharedSql.deleteSignature('?')),
    insertLinkToken: db.prepare<NewLinkToken>(`
      INSERT INTO link_tokens (token_hash, signature_id, purpose, expires_at)
      SELECT @hash, @signatureId, @purpose, @expiresAt WHERE EXISTS (SELECT 1 FROM signatures WHERE id = @signatureId)`),
    dueMails: db.prepare<[number, number], MailJobRow>(
      `SELECT ${sharedSql.MAIL_JOB_COLUMNS} FROM signatures WHERE ${sharedSql.dueMails('?', '?')}`,
    ),
    leaseMail: db.prepare<[number, number]>(`UPDATE signatures SET ${sharedSql.leaseMail('?')} WHERE id = ?`),
    // retryAt, or NULL: done.
    settleMail: db.prepare<[number | null, number, number]>(
      `UPDATE signatures SET mail_due_at = ? WHERE ${sharedSql.claimedAttempt('?', '?')}`,
    ),
    erasePending: db.prepare<[number]>(sharedSql.erasePending('?')),
    anonymiseConfirmedBefore: db.prepare<[number]>(sharedSql.anonymiseConfirmed('?')),
    forgetSpentProofs: db.prepare<[number]>(sharedSql.forgetSpentProofs('?')),
    spendProof: db.prepare<[string, number]>(sharedSql.spendProof('?', '?')),
    stats: db.prepare<{ campaign: string }, StatsRow>(
      sharedSql.stats((column) => `strftime('%Y-%m-%d', ${column} / 1000, 'unixepoch')`, '@campaign'),
    ),
    exportPage: db.prepare<{ campaign: string; afterId: number; limit: number; status: SignatureStatus | null }, SqliteExported>(
      sharedSql.exportPage('@campaign', '@afterId', '@limit', '@status'),
    ),
    eraseSigner: db.prepare<
      { emailKey: string; campaign: string | null },
      { campaign: string; partner: string | null; status: SignatureStatus }
    >(sharedSql.eraseSigner('@emailKey', '@campaign')),
    // Each of these two, by index: false, true.
    supporters: [false, true].map((onlyApproved) =>
      db.prepare<{ campaign: string; beforeId: number; limit: number; signerType: string | null }, PublicSupporter>(
        sharedSql.supporters('@campaign', '@beforeId', '@limit', '@signerType', '1', onlyApproved),
      ),
    ),
    wallEntries: [false, true].map((moderateAll) =>
      db.prepare<{ campaign: string; state: WallState; beforeId: number; limit: number }, StoredWallEntry>(
        sharedSql.wallEntries('@campaign', '@beforeId', '@limit', '@state', '1', moderateAll),
      ),
    ),
    moderate: db.prepare<{ campaign: string; id: number; decision: ModerationDecision }>(
      sharedSql.moderate('@campaign', '@id', '@decision', '1'),
    ),
    partners: db.prepare<[], Omit<Partner, 'origins' | 'listed'> & { origins: string; listed: number }>(sharedSql.PARTNERS),
    savePartner: db.prepare<Omit<Partner, 'origins' | 'listed'> & { origins: string; listed: number }>(
      sharedSql.savePartner('@id', '@name', '@origins', '@listed', '@url', '@logo', '@position'),
    ),
    deletePartner: db.prepare<[string]>(sharedSql.deletePartner('?')),
    addBaseline: db.prepare<[string, string | null, number, string, string, number], BaselineEntry>(
      sharedSql.addBaseline('?', '?', '?', '?', '?', '?'),
    ),
    baselineEntries: db.prepare<[string], BaselineEntry>(sharedSql.baselineEntries('?')),
    removeBaseline: db.prepare<[string, number], { partner: string | null; count: number }>(sharedSql.removeBaseline('?', '?')),
    keepSetting: db.prepare<[string, string]>(sharedSql.keepSetting('?', '?')),
    readSetting: db.prepare<[string], string>(sharedSql.readSetting('?')).pluck(),
    ping: db.prepare(sharedSql.PING),
    probeWrite: db.prepare<[number]>(sharedSql.probeWrite('zeroblob(?)')),
  };
}

/**
 * What a SQLite error means for the store (see store-health.ts). A failed fsync is a failure: the
 * store cannot know what reached the disk. A full disk (SQLite's SQLITE_FULL, or an -shm file that
 * could not grow), another process's lock held too long, a read-only file and other I/O errors pass.
 */
function sqliteFault(error: unknown): StoreFault | undefined {
  if (!(error instanceof Database.SqliteError)) return undefined;
  const { code } = error;
  if (code === 'SQLITE_IOERR_FSYNC' || code === 'SQLITE_IOERR_DIR_FSYNC') return 'failed';
  if (code === 'SQLITE_FULL' || /^SQLITE_(IOERR|BUSY|READONLY|CANTOPEN)/.test(code)) return 'unavailable';
  return undefined;
}

type SqliteValue = string | number | null;

/** SQLite has no booleans: they are stored as 0 and 1. */
const toSqliteValue = (value: SignatureRow[keyof SignatureRow]): SqliteValue => (typeof value === 'boolean' ? Number(value) : value);

/** The row's values in the order of SIGNATURE_COLUMNS. */
function toSqliteValues(row: SignatureRow): SqliteValue[] {
  return SIGNATURE_COLUMNS.map(([field]) => toSqliteValue(row[field]));
}

/** The row's values as named parameters, named as its fields. */
function toSqliteParams(row: SignatureRow): Record<keyof SignatureRow, SqliteValue> {
  return Object.fromEntries(SIGNATURE_COLUMNS.map(([field]) => [field, toSqliteValue(row[field])])) as Record<
    keyof SignatureRow,
    SqliteValue
  >;
}

/** The field of SignatureRow that a column holds. */
function fieldOf(column: string): keyof SignatureRow {
  return SIGNATURE_COLUMNS.find(([, name]) => name === column)![0];
}

type SqliteExported = Omit<ExportedSignature, 'newsletter' | 'listPublicly'> & { newsletter: 0 | 1; listPublicly: 0 | 1 };

function fromSqliteBooleans(row: SqliteExported): ExportedSignature {
  return { ...row, newsletter: row.newsletter === 1, listPublicly: row.listPublicly === 1 };
}
