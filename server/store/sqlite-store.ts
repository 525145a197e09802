/**
 * The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, so a signature
 * acknowledged with 2xx survives a crash or `kill -9`.
 *
 * Group commit: `add()` only queues. On the next turn of the event loop every queued signature
 * (up to MAX_BATCH) is written in one transaction, and each promise resolves after that COMMIT.
 * One fsync then serves many signers, so durability does not cost throughput.
 */
import Database from 'better-sqlite3';
import { migrate } from './sqlite-migrations.js';
import type { AddOutcome, CountListener, NewSignature, SignatureStore } from './signature-store.js';

const MAX_BATCH = 1000;
const BUSY_TIMEOUT_MS = 5000;

interface QueuedAdd {
  signature: NewSignature;
  resolve: (result: { outcome: AddOutcome }) => void;
  reject: (error: unknown) => void;
}

type ItemResult = { outcome: AddOutcome } | { error: unknown };

export class SqliteSignatureStore implements SignatureStore {
  private readonly queue: QueuedAdd[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly listeners = new Set<CountListener>();

  private readonly sql;
  private readonly addAll;

  /** Opens (creating and migrating when needed) the SQLite file at `file`. */
  static open(file: string): SqliteSignatureStore {
    const db = new Database(file);
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      migrate(db);
      return new SqliteSignatureStore(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private constructor(private readonly db: Database.Database) {
    const sql = (this.sql = prepareStatements(db));

    // Called inside addAll's transaction, where better-sqlite3 makes it a SAVEPOINT.
    const addOne = db.transaction((signature: NewSignature): AddOutcome => {
      if (sql.insertSignature.run(toRow(signature)).changes === 0) return 'duplicate';
      if (signature.status === 'confirmed') {
        sql.countForCampaign.run(signature.campaign);
        if (signature.partner) sql.countForPartner.run(signature.campaign, signature.partner);
      }
      return 'added';
    });

    // One transaction for a batch, each signature in a savepoint of its own, so one bad row fails alone.
    this.addAll = db.transaction((signatures: NewSignature[]) => {
      const results: ItemResult[] = [];
      const changed = new Set<string>();
      for (const signature of signatures) {
        try {
          const outcome = addOne(signature);
          if (outcome === 'added' && signature.status === 'confirmed') changed.add(signature.campaign);
          results.push({ outcome });
        } catch (error) {
          results.push({ error });
        }
      }
      const counts = new Map([...changed].map((campaign) => [campaign, sql.campaignCount.get(campaign) ?? 0]));
      return { results, counts };
    });
  }

  add(signature: NewSignature): Promise<{ outcome: AddOutcome }> {
    if (this.closed) return Promise.reject(new Error('The signature store is closed.'));
    return new Promise((resolve, reject) => {
      this.queue.push({ signature, resolve, reject });
      this.scheduleFlush();
    });
  }

  async count(campaign: string): Promise<number> {
    return this.sql.campaignCount.get(campaign) ?? 0;
  }

  async partnerCount(campaign: string, partner: string): Promise<number> {
    return this.sql.partnerCount.get(campaign, partner) ?? 0;
  }

  onCount(listener: CountListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async healthy(): Promise<boolean> {
    if (this.closed) return false;
    try {
      this.sql.ping.get();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    while (this.queue.length) this.writeBatch(this.queue.splice(0, MAX_BATCH));
    this.closed = true;
    this.listeners.clear();
    this.db.close();
  }

  private scheduleFlush() {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (this.closed) return;
      const batch = this.queue.splice(0, MAX_BATCH);
      // Whatever is left goes in the next turn, so other requests are served in between.
      if (this.queue.length) this.scheduleFlush();
      this.writeBatch(batch);
    });
  }

  private writeBatch(batch: QueuedAdd[]) {
    let written: ReturnType<typeof this.addAll>;
    try {
      written = this.addAll(batch.map((item) => item.signature));
    } catch (error) {
      // The transaction rolled back: nothing of this batch was acknowledged, so nothing is lost.
      for (const item of batch) item.reject(error);
      return;
    }
    written.results.forEach((result, i) => {
      if ('error' in result) batch[i]!.reject(result.error);
      else batch[i]!.resolve(result);
    });
    for (const [campaign, count] of written.counts) this.emitCount(campaign, count);
  }

  private emitCount(campaign: string, count: number) {
    for (const listener of this.listeners) {
      try {
        listener(campaign, count);
      } catch {
        // A failing listener must not keep the others from hearing about the new count.
      }
    }
  }
}

function prepareStatements(db: Database.Database) {
  return {
    insertSignature: db.prepare<NewSignatureRow>(`
      INSERT INTO signatures (campaign, email_key, signer_type, name, organisation, organisation_kind, role,
        country, email, partner, lang, newsletter, list_publicly, consent_version, status, created_at, confirmed_at)
      VALUES (@campaign, @emailKey, @signerType, @name, @organisation, @organisationKind, @role,
        @country, @email, @partner, @lang, @newsletter, @listPublicly, @consentVersion, @status, @createdAt, @confirmedAt)
      ON CONFLICT (campaign, email_key) DO NOTHING`),
    countForCampaign: db.prepare<[string]>(`
      INSERT INTO campaign_counts (campaign, confirmed) VALUES (?, 1)
      ON CONFLICT (campaign) DO UPDATE SET confirmed = confirmed + 1`),
    countForPartner: db.prepare<[string, string]>(`
      INSERT INTO partner_counts (campaign, partner, confirmed) VALUES (?, ?, 1)
      ON CONFLICT (campaign, partner) DO UPDATE SET confirmed = confirmed + 1`),
    campaignCount: db.prepare<[string], number>('SELECT confirmed FROM campaign_counts WHERE campaign = ?').pluck(),
    partnerCount: db
      .prepare<[string, string], number>('SELECT confirmed FROM partner_counts WHERE campaign = ? AND partner = ?')
      .pluck(),
    ping: db.prepare('SELECT 1'),
  };
}

interface NewSignatureRow {
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
  lang: string | null;
  newsletter: 0 | 1;
  listPublicly: 0 | 1;
  consentVersion: string;
  status: string;
  createdAt: number;
  confirmedAt: number | null;
}

function toRow(signature: NewSignature): NewSignatureRow {
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
    lang: signature.lang ?? null,
    newsletter: signature.newsletter ? 1 : 0,
    listPublicly: signature.listPublicly ? 1 : 0,
    consentVersion: signature.consentVersion,
    status: signature.status,
    createdAt: signature.createdAt,
    confirmedAt: signature.status === 'confirmed' ? signature.createdAt : null,
  };
}
