/**
 * The SQLite schema as numbered migrations. `PRAGMA user_version` records how many have run;
 * each runs once, in its own transaction. Append new ones; never edit one that has shipped.
 */
import type { Database } from 'better-sqlite3';

export const MIGRATIONS: readonly string[] = [
  // 1: signatures, and the counters that the public count is read from.
  `
  CREATE TABLE signatures (
    id                INTEGER PRIMARY KEY,
    campaign          TEXT    NOT NULL,
    email_key         TEXT    NOT NULL,
    signer_type       TEXT    NOT NULL,
    name              TEXT    NOT NULL,
    organisation      TEXT,
    organisation_kind TEXT,
    role              TEXT,
    country           TEXT    NOT NULL,
    email             TEXT    NOT NULL,
    partner           TEXT,
    lang              TEXT,
    newsletter        INTEGER NOT NULL CHECK (newsletter IN (0, 1)),
    list_publicly     INTEGER NOT NULL CHECK (list_publicly IN (0, 1)),
    consent_version   TEXT    NOT NULL,
    status            TEXT    NOT NULL CHECK (status IN ('pending', 'confirmed')),
    created_at        INTEGER NOT NULL,
    confirmed_at      INTEGER,
    UNIQUE (campaign, email_key)
  );

  CREATE TABLE campaign_counts (
    campaign  TEXT    PRIMARY KEY,
    confirmed INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE partner_counts (
    campaign  TEXT    NOT NULL,
    partner   TEXT    NOT NULL,
    confirmed INTEGER NOT NULL,
    PRIMARY KEY (campaign, partner)
  ) WITHOUT ROWID;
  `,
  // 2: double opt-in. Link tokens are kept only as hashes; an outbox row is a mail still to
  // send, and goes with its signature. mail_queued_at limits re-sends.
  `
  ALTER TABLE signatures ADD COLUMN mail_queued_at INTEGER;

  CREATE TABLE link_tokens (
    token_hash   TEXT    PRIMARY KEY,
    signature_id INTEGER NOT NULL REFERENCES signatures (id) ON DELETE CASCADE,
    purpose      TEXT    NOT NULL CHECK (purpose IN ('confirm', 'withdraw')),
    expires_at   INTEGER
  ) WITHOUT ROWID;
  CREATE INDEX link_tokens_by_signature ON link_tokens (signature_id);

  CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY,
    signature_id    INTEGER NOT NULL REFERENCES signatures (id) ON DELETE CASCADE,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL
  );
  CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at);
  CREATE INDEX mail_outbox_by_signature ON mail_outbox (signature_id);
  `,
  // 3: the partner's page a signature was made on, part of the record of consent.
  `
  ALTER TABLE signatures ADD COLUMN page TEXT;
  `,
  // 4: spent proof-of-work solutions, until they expire.
  `
  CREATE TABLE spent_proofs (
    id         TEXT    PRIMARY KEY,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX spent_proofs_expiry ON spent_proofs (expires_at);
  `,
  // 5: partners registered by the organisers (origins: a JSON array), and the public wall's
  // index: only the signers who chose to be listed are in it.
  `
  CREATE TABLE partners (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    origins TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX signatures_listed ON signatures (campaign, id) WHERE list_publicly = 1 AND status = 'confirmed';
  `,
  // 6: a signature's mail is queued in its own row: when it is next due (NULL: none to send) and
  // how many attempts it has had. A separate outbox row, with its two indexes, cost signing a
  // fifth of its time in the database; a signature has at most one mail to send at a time.
  `
  ALTER TABLE signatures ADD COLUMN mail_due_at INTEGER;
  ALTER TABLE signatures ADD COLUMN mail_attempts INTEGER NOT NULL DEFAULT 0;
  UPDATE signatures SET (mail_due_at, mail_attempts) =
    (SELECT min(next_attempt_at), max(attempts) FROM mail_outbox WHERE signature_id = signatures.id)
  WHERE id IN (SELECT signature_id FROM mail_outbox);
  DROP TABLE mail_outbox;
  CREATE INDEX signatures_mail_due ON signatures (mail_due_at) WHERE mail_due_at IS NOT NULL;
  `,
  // 7: moderation of the public wall: an organiser's decision about each listed signature
  // (see WallState in signature-store.ts). Every existing row starts unreviewed. Individuals who
  // claim nothing stay on the wall, as before. Those who named an organisation or an office go
  // to the review queue rather than being kept as approved: nobody ever checked them, and an
  // impersonation signed before this change is the very thing it is for. The organisers approve
  // the genuine ones from the dashboard; no count changes. A wall that shows approved entries
  // only (see approvedOnly in store-sql.ts) reads them from an index of their own; signing never
  // writes to it, as new signatures are unreviewed.
  `
  ALTER TABLE signatures ADD COLUMN moderation TEXT NOT NULL DEFAULT 'unreviewed'
    CHECK (moderation IN ('unreviewed', 'approved', 'hidden'));
  CREATE INDEX signatures_approved ON signatures (campaign, id) WHERE list_publicly = 1 AND status = 'confirmed' AND moderation = 'approved';
  `,
  // 8: settings that every process on the database shares, made once by the first that needs
  // them: the key that signs the proof-of-work challenges when ALTCHA_HMAC_KEY is not set.
  `
  CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // 9: supporters gathered elsewhere (a previous platform, paper lists, events), recorded by an
  // organiser as dated, labelled entries. Each is in the counters (campaign_counts and
  // partner_counts count them with the confirmed signatures) from when it is added until it is
  // removed; they are numbers, not people, so nothing else reads them.
  `
  CREATE TABLE baseline_entries (
    id          INTEGER PRIMARY KEY,
    campaign    TEXT    NOT NULL,
    partner     TEXT,
    count       INTEGER NOT NULL CHECK (count > 0),
    note        TEXT    NOT NULL,
    gathered_on TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
  );
  CREATE INDEX baseline_entries_by_campaign ON baseline_entries (campaign, id);
  `,
  // 10: the public list of partners: who is on it, their website and logo, and in what order.
  // Every partner registered so far stays off it until an organiser lists them.
  `
  ALTER TABLE partners ADD COLUMN listed INTEGER NOT NULL DEFAULT 0 CHECK (listed IN (0, 1));
  ALTER TABLE partners ADD COLUMN url TEXT;
  ALTER TABLE partners ADD COLUMN logo TEXT;
  ALTER TABLE partners ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
  `,
];

/** Brings the database up to the latest schema. Safe when several processes start at once. */
export function migrate(db: Database): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (version() > MIGRATIONS.length) {
    throw new Error(
      `The database has schema version ${version()}, newer than this server knows (${MIGRATIONS.length}). Update the server.`,
    );
  }
  for (let next = version() + 1; next <= MIGRATIONS.length; next = version() + 1) {
    // IMMEDIATE takes the write lock first, so a second process waits and then sees the new version.
    db.transaction(() => {
      if (version() !== next - 1) return;
      db.exec(MIGRATIONS[next - 1]!);
      db.pragma(`user_version = ${next}`);
    }).immediate();
  }
}
