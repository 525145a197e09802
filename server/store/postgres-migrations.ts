/**
 * The PostgreSQL schema as numbered migrations, recorded in `schema_migrations`. Append new ones;
 * never edit one that has shipped. Times are epoch milliseconds (bigint), as in the SQLite store,
 * so both keep the same meaning in every column.
 *
 * Every table lives in the first schema of the connection's `search_path` (`public` unless the
 * URL says otherwise, e.g. `?options=-c%20search_path%3Dcohesion`).
 */
import type { Pool } from 'pg';

export const MIGRATIONS: readonly string[] = [
  // 1: signatures, their counters, link tokens (hashes only) and the mail outbox. `version`
  // rises with every change of a campaign's count: processes that hear of counts in any order
  // keep the newest (see postgres-count-feed.ts).
  `
  CREATE TABLE signatures (
    id                bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign          text    NOT NULL,
    email_key         text    NOT NULL,
    signer_type       text    NOT NULL,
    name              text    NOT NULL,
    organisation      text,
    organisation_kind text,
    role              text,
    country           text    NOT NULL,
    email             text    NOT NULL,
    partner           text,
    lang              text,
    newsletter        boolean NOT NULL,
    list_publicly     boolean NOT NULL,
    consent_version   text    NOT NULL,
    status            text    NOT NULL CHECK (status IN ('pending', 'confirmed')),
    created_at        bigint  NOT NULL,
    confirmed_at      bigint,
    mail_queued_at    bigint,
    UNIQUE (campaign, email_key)
  );

  CREATE TABLE campaign_counts (
    campaign  text    PRIMARY KEY,
    confirmed integer NOT NULL,
    version   bigint  NOT NULL
  );

  CREATE TABLE partner_counts (
    campaign  text    NOT NULL,
    partner   text    NOT NULL,
    confirmed integer NOT NULL,
    PRIMARY KEY (campaign, partner)
  );

  CREATE TABLE link_tokens (
    token_hash   text   PRIMARY KEY,
    signature_id bigint NOT NULL REFERENCES signatures (id) ON DELETE CASCADE,
    purpose      text   NOT NULL CHECK (purpose IN ('confirm', 'withdraw')),
    expires_at   bigint
  );
  CREATE INDEX link_tokens_by_signature ON link_tokens (signature_id);

  CREATE TABLE mail_outbox (
    id              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    signature_id    bigint  NOT NULL REFERENCES signatures (id) ON DELETE CASCADE,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at bigint  NOT NULL
  );
  CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id);
  CREATE INDEX mail_outbox_by_signature ON mail_outbox (signature_id);
  `,
  // 2: the partner's page a signature was made on, part of the record of consent.
  `
  ALTER TABLE signatures ADD COLUMN page text;
  `,
  // 3: spent proof-of-work solutions, until they expire.
  `
  CREATE TABLE spent_proofs (
    id         text   PRIMARY KEY,
    expires_at bigint NOT NULL
  );
  CREATE INDEX spent_proofs_expiry ON spent_proofs (expires_at);
  `,
  // 4: partners registered by the organisers, and the public wall's index: only the signers who
  // chose to be listed are in it.
  `
  CREATE TABLE partners (
    id      text   PRIMARY KEY,
    name    text   NOT NULL,
    origins text[] NOT NULL
  );
  CREATE INDEX signatures_listed ON signatures (campaign, id) WHERE list_publicly AND status = 'confirmed';
  `,
  // 5: a signature's mail is queued in its own row, as in the SQLite store (its schema 6): when
  // it is next due (NULL: none to send) and how many attempts it has had. A signature has one
  // mail to send at most; the mails in mail_outbox move over, due as they were.
  `
  ALTER TABLE signatures ADD COLUMN mail_due_at bigint, ADD COLUMN mail_attempts integer NOT NULL DEFAULT 0;
  UPDATE signatures s SET mail_due_at = o.due_at, mail_attempts = o.attempts
  FROM (SELECT signature_id, min(next_attempt_at) AS due_at, max(attempts) AS attempts FROM mail_outbox GROUP BY signature_id) o
  WHERE s.id = o.signature_id;
  DROP TABLE mail_outbox;
  CREATE INDEX signatures_mail_due ON signatures (mail_due_at, id) WHERE mail_due_at IS NOT NULL;
  `,
  // 6: moderation of the public wall, as in the SQLite store, whose migration says why the
  // organisations and representatives already listed go to the review queue.
  `
  ALTER TABLE signatures ADD COLUMN moderation text NOT NULL DEFAULT 'unreviewed'
    CHECK (moderation IN ('unreviewed', 'approved', 'hidden'));
  CREATE INDEX signatures_approved ON signatures (campaign, id) WHERE list_publicly AND status = 'confirmed' AND moderation = 'approved';
  `,
  // 7: settings that every process on the database shares, made once by the first that needs
  // them, as in the SQLite store (its schema 8).
  `
  CREATE TABLE settings (
    name  text PRIMARY KEY,
    value text NOT NULL
  );
  `,
  // 8: supporters gathered elsewhere, as in the SQLite store (its schema 9), which says how they
  // are counted.
  `
  CREATE TABLE baseline_entries (
    id          bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign    text    NOT NULL,
    partner     text,
    count       integer NOT NULL CHECK (count > 0),
    note        text    NOT NULL,
    gathered_on text    NOT NULL,
    created_at  bigint  NOT NULL
  );
  CREATE INDEX baseline_entries_by_campaign ON baseline_entries (campaign, id);
  `,
  // 9: the public list of partners, as in the SQLite store (its schema 10).
  `
  ALTER TABLE partners ADD COLUMN listed boolean NOT NULL DEFAULT false, ADD COLUMN url text, ADD COLUMN logo text,
    ADD COLUMN position integer NOT NULL DEFAULT 0;
  `,
];

/**
 * Brings the schema up to date in one transaction. Several processes may start at once: an
 * advisory lock (per schema) lets one migrate while the others wait, then find nothing to do.
 */
export async function migrate(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('cohesion-declaration migrations'), hashtext(current_schema()))`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version    integer     PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ version: number }>('SELECT coalesce(max(version), 0) AS version FROM schema_migrations');
    const current = rows[0]!.version;
    if (current > MIGRATIONS.length) {
      throw new Error(
        `The database has schema version ${current}, newer than this server knows (${MIGRATIONS.length}). Update the server.`,
      );
    }
    for (let next = current + 1; next <= MIGRATIONS.length; next++) {
      await client.query(MIGRATIONS[next - 1]!);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [next]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
