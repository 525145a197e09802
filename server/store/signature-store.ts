/**
 * Where signatures are kept. One interface, two implementations: SQLite (sqlite-store.ts, the
 * embedded default) and PostgreSQL (postgres-store.ts, for several API processes); `openStore`
 * picks one from DATABASE_URL. `test/server/support/store-contract.ts` is the behaviour both must show.
 *
 * The store also keeps the mail queue, in each signature's row (see store-sql.ts), and the link
 * tokens, so that a signature, its mail and what its links may do change together, in one transaction.
 *
 * A store that cannot do what it is asked for want of its disk or its database refuses with
 * StoreUnavailableError (store-health.ts), which the API answers with 503 and Retry-After.
 */
import type { Signature } from '../../contract/signature.js';
import type { FailureListener } from './store-health.js';
import type { SignatureRow, UNEXPORTED_FIELDS } from './store-rows.js';

export type SignatureStatus = 'pending' | 'confirmed';

/** A validated signature, ready to store. `consent` is implied: it is recorded as `consentVersion`. */
export type NewSignature = Omit<Signature, 'consent' | 'newsletter' | 'listPublicly' | 'altcha' | 'website'> & {
  campaign: string;
  /** One signature per (campaign, emailKey); see `emailKey()` in server/email-key.ts. */
  emailKey: string;
  newsletter: boolean;
  listPublicly: boolean;
  /** Which text of the consent the signer agreed to. */
  consentVersion: string;
  status: SignatureStatus;
  /** Epoch milliseconds; also when its mail is queued. */
  createdAt: number;
};

/**
 * `replaced`: a pending signature of that email key took the new signing's details (see `add`).
 * `duplicate`: that email key had already signed this campaign, and its signature stays as it was.
 */
export type AddOutcome = 'added' | 'replaced' | 'duplicate';

export type CountListener = (campaign: string, count: number) => void;

/**
 * Signing again while a signature waits for confirmation queues its mail again, at most this
 * often: often enough for a lost mail, too seldom to flood someone else's inbox.
 */
export const MAIL_RESEND_INTERVAL_MS = 10 * 60_000;

export type LinkPurpose = 'confirm' | 'withdraw';

/** What a signer entered and chose: what their mail and the confirmation page show, and confirming confirms. */
export interface SignatureDetails {
  signerType: string;
  name: string;
  organisation: string | null;
  role: string | null;
  country: string;
  listPublicly: boolean;
  newsletter: boolean;
}

/** A token that a mailed link carries; the store sees only its hash. */
export interface NewLinkToken {
  signatureId: number;
  /** The `queuedAt` of the mail that carries it: it is kept only while that is its signature's latest mail. */
  queuedAt: number;
  /** SHA-256 of the token, hex. */
  hash: string;
  purpose: LinkPurpose;
  /** Epoch milliseconds; null: valid as long as the signature exists. */
  expiresAt: number | null;
}

/**
 * What a link's token leads to, or what using it did. `ready`: it can act (found, not used).
 * `unknown`: no such token, one for the other purpose, or its signature was withdrawn.
 */
export type LinkResult =
  | { outcome: 'unknown' }
  | (LinkTarget & { outcome: 'ready'; details: SignatureDetails })
  | (LinkTarget & { outcome: 'confirmed' | 'already_confirmed' | 'withdrawn' | 'expired' });

/** The signature a link leads to. */
export interface LinkTarget {
  campaign: string;
  /** The signer's language, as they signed. */
  lang?: string;
  /** The partner's page it was signed on, where one was recorded (see routes/signatures.ts). */
  page?: string;
}

/** A queued mail to a signer, with what it takes to write it. */
export interface MailJob {
  /** The mail's id: its signature's, as a signature has one mail queued at most. */
  id: number;
  signatureId: number;
  /** Counting this one. */
  attempt: number;
  /** When this mail was queued: which of its signature's mails it is (see NewLinkToken). */
  queuedAt: number;
  campaign: string;
  /** The address as the signer typed it. */
  email: string;
  lang?: string;
  /** Pending: the mail asks for confirmation; confirmed: it thanks and offers withdrawal only. */
  status: SignatureStatus;
  details: SignatureDetails;
}

/**
 * How a claimed mail ended. Without `retryAt` it is done (sent, or given up): no longer due. A
 * mail queued again since its claim (the signer signed again) stays queued: the result is for the
 * `attempt` that was claimed.
 */
export interface MailResult {
  id: number;
  attempt: number;
  retryAt?: number;
}

import type { AdminPartner, BaselineEntry, CampaignStats, ModerationDecision, WallState } from '../../contract/api.js';

export type { BaselineEntry, CampaignStats, ModerationDecision, Tally, WallState } from '../../contract/api.js';

/** A baseline entry to record (see BaselineEntry). */
export type NewBaselineEntry = Omit<BaselineEntry, 'id'> & { campaign: string };

/**
 * A stored signature as the organisers export it: its row (store-rows.ts) with its id, less the
 * email key and the mail bookkeeping. Optional fields are null, times epoch milliseconds.
 */
export type ExportedSignature = Omit<SignatureRow, (typeof UNEXPORTED_FIELDS)[number]> & { id: number };

/** One who chose to be listed: what the public wall shows, and never their email. */
export interface PublicSupporter {
  id: number;
  signerType: string;
  name: string;
  organisation: string | null;
  role: string | null;
  country: string;
}

/** Every WallState and every ModerationDecision, for validating them. */
export const WALL_STATES = ['shown', 'awaiting', 'hidden'] as const satisfies readonly WallState[];
export const MODERATION_DECISIONS = ['approved', 'hidden'] as const satisfies readonly ModerationDecision[];

/** An entry of the wall as the store gives it to the organisers (see WallEntry in contract/api.ts). */
export interface StoredWallEntry extends PublicSupporter {
  email: string;
  partner: string | null;
  /** Epoch milliseconds. */
  createdAt: number;
  state: WallState;
}

/** A partner site the organisers registered: its id, its name, and the origins its pages sign from. */
/** A partner as the store keeps it: the admin API's, less where it comes from (see AdminPartner). */
export type Partner = Omit<AdminPartner, 'fromSettings'>;

export interface SignatureStore {
  /**
   * Resolves once the signature is durably committed. A new signature's mail is queued in the
   * same transaction. A signature has one mail queued at most; a new one takes the place of one
   * still queued.
   *
   * Signing again with the key of a pending signature: only the mailbox's owner can confirm, so
   * the newest signing wins. If it changes what the signer entered or chose, or their language
   * (REPLACING_FIELDS in store-rows.ts), it replaces the signature's record (details, choices,
   * language, address as typed, partner, page, consent version, time of signing): `replaced`.
   * The links mailed so far can then confirm nothing, and a new mail is queued: at once if
   * the last one was queued at least MAIL_RESEND_INTERVAL_MS before, else when that is up (one
   * still waiting to go out just goes with the new details). Signing again with the same
   * details queues the mail again, at most once per MAIL_RESEND_INTERVAL_MS. A confirmed
   * signature never changes here: only its withdrawal link, then a new signing, can change it.
   */
  add(signature: NewSignature): Promise<{ outcome: AddOutcome }>;
  /** Confirmed signatures of a campaign, from a maintained counter (no counting per request). */
  count(campaign: string): Promise<number>;
  /** Confirmed signatures of a campaign that came through one partner. */
  partnerCount(campaign: string, partner: string): Promise<number>;
  /**
   * Called after each commit that changed a campaign's count: this process's own, and on
   * PostgreSQL those of every other process on the database. Returns an unsubscribe function.
   */
  onCount(listener: CountListener): () => void;

  /**
   * Where a link's token leads, changing nothing: links get fetched by scanners and previews. A
   * link that can act comes with the details of its signature, for the page to show them.
   */
  findLink(purpose: LinkPurpose, tokenHash: string, now: number): Promise<LinkResult>;
  /**
   * Uses a confirm token: a pending signature becomes confirmed (with `confirmed_at`) and its
   * counts rise in the same transaction; count listeners hear of it. Again: `already_confirmed`.
   */
  confirm(tokenHash: string, now: number): Promise<LinkResult>;
  /**
   * Uses a withdraw token: erases the signature with its tokens and queued mail, and lowers its
   * counts if it was counted (count listeners hear of it).
   */
  withdraw(tokenHash: string, now: number): Promise<LinkResult>;

  /**
   * Takes up to `limit` queued mails that are due, oldest first, and leases them until
   * `now + leaseMs`: no other worker (or process) takes them meanwhile, and a worker that dies
   * leaves them to be taken again. Counts the attempt.
   */
  claimMails(now: number, limit: number, leaseMs: number): Promise<MailJob[]>;
  /**
   * Keeps the hashes of the tokens mails are about to carry, and returns the ids of the
   * signatures whose tokens were kept: those whose latest mail is still the one the tokens are for
   * (their `queuedAt`). The others' were dropped: signed again or erased since, those mails are
   * not to be sent. A mail's confirmation token ends its signature's earlier ones: only the
   * newest mail's link confirms.
   */
  addLinkTokens(tokens: NewLinkToken[]): Promise<number[]>;
  /** Ends claimed mails, in one transaction. */
  settleMails(results: MailResult[]): Promise<void>;

  /**
   * Retention. Erases the pending signatures whose last mail was queued (or, without one, that
   * were made) before `pendingBefore`, with their tokens and mails. With `confirmedBefore`,
   * strips the personal data from the signatures confirmed before it: name, email and email key
   * (the key becomes unique per row), organisation and role go, their queued mails too; they stay
   * counted, and their withdrawal links keep working. Changes no count. Idempotent.
   */
  eraseExpired(limits: { pendingBefore: number; confirmedBefore?: number }): Promise<{ erased: number; anonymised: number }>;

  /**
   * Records a proof-of-work solution as spent, so that it signs once across every process that
   * shares the store; false if it was spent already. Forgets the ones expired by `now`.
   */
  spendProof(id: string, expiresAt: number, now: number): Promise<boolean>;

  /** The organisers' view of a campaign (see CampaignStats). */
  stats(campaign: string): Promise<CampaignStats>;
  /**
   * Up to `limit` signatures of a campaign with an id above `afterId`, in id order: the export
   * reads page after page, so a million rows never sit in memory at once.
   */
  exportPage(campaign: string, page: { afterId: number; limit: number; status?: SignatureStatus }): Promise<ExportedSignature[]>;
  /**
   * Erases every signature of that email key (in one campaign, or in all), with its tokens and
   * queued mails, and lowers the counts of those that were counted; count listeners hear of it.
   */
  eraseSigner(emailKey: string, campaign?: string): Promise<{ erased: number }>;
  /**
   * The public wall: confirmed signers of a campaign who chose to be listed and are `shown` (see
   * WallState; `moderateAll`: the campaign lists nobody before approval), newest first: up to
   * `limit` with an id below `beforeId`, optionally of one signer type.
   */
  supporters(
    campaign: string,
    page: { beforeId?: number; limit: number; signerType?: string; moderateAll: boolean },
  ): Promise<PublicSupporter[]>;
  /** The entries of the wall in one state, paged as `supporters`: the organisers' review. */
  wallEntries(
    campaign: string,
    page: { state: WallState; beforeId?: number; limit: number; moderateAll: boolean },
  ): Promise<StoredWallEntry[]>;
  /**
   * Records an organiser's decision about an entry of the wall; changes no count. False when the
   * campaign has no such entry (no signature, or one not confirmed, not listed, or stripped by retention).
   */
  moderate(campaign: string, id: number, decision: ModerationDecision): Promise<boolean>;

  /**
   * Records supporters gathered elsewhere: their count joins the campaign's count and, with a
   * partner, the partner's; count listeners hear of it.
   */
  addBaseline(entry: NewBaselineEntry): Promise<BaselineEntry>;
  /** A campaign's baseline entries, oldest first. */
  baselineEntries(campaign: string): Promise<BaselineEntry[]>;
  /** Removes an entry and its count from the counts; false when the campaign has no entry with that id. */
  removeBaseline(campaign: string, id: number): Promise<boolean>;

  /** The partners registered through the organisers' API, by id. */
  partners(): Promise<Partner[]>;
  /** Registers a partner, or replaces the one with that id. */
  savePartner(partner: Partner): Promise<void>;
  /** False when there was no partner with that id. */
  deletePartner(id: string): Promise<boolean>;

  /**
   * The value kept under `name`, shared by every process on the database and kept across
   * restarts. The first process to ask keeps what its `create()` makes; the others, however many
   * ask at the same moment, get that one.
   */
  sharedSecret(name: string, create: () => string): Promise<string>;

  /**
   * Whether the store can serve. After a fault that passes (a full disk, a database that is down:
   * the calls meanwhile are refused with StoreUnavailableError), false until a small write
   * succeeds again, which each call tries; after a failure (a failed fsync), false for good.
   * See store-health.ts.
   */
  healthy(): Promise<boolean>;
  /** `listener` hears once if the store fails for good; the process should stop. */
  onFailure(listener: FailureListener): () => void;
  /** Writes what is queued, then closes. */
  close(): Promise<void>;
}
