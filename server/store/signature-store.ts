/**
 * Where signatures are kept. One interface, several implementations (SQLite now, PostgreSQL
 * later); `test/server/store-contract.ts` is the behaviour every one of them must show.
 */
import type { Signature } from '../../widget/signature.js';

export type SignatureStatus = 'pending' | 'confirmed';

/** A validated signature, ready to store. `consent` is implied: it is recorded as `consentVersion`. */
export type NewSignature = Omit<Signature, 'consent' | 'newsletter' | 'listPublicly'> & {
  campaign: string;
  /** One signature per (campaign, emailKey); see `emailKey()` in widget/signature.ts. */
  emailKey: string;
  newsletter: boolean;
  listPublicly: boolean;
  /** Which text of the consent the signer agreed to. */
  consentVersion: string;
  status: SignatureStatus;
  /** Epoch milliseconds. */
  createdAt: number;
};

/** `duplicate`: that email key had already signed this campaign; nothing was changed. */
export type AddOutcome = 'added' | 'duplicate';

export type CountListener = (campaign: string, count: number) => void;

export interface SignatureStore {
  /** Resolves once the signature is durably committed. */
  add(signature: NewSignature): Promise<{ outcome: AddOutcome }>;
  /** Confirmed signatures of a campaign, from a maintained counter (no counting per request). */
  count(campaign: string): Promise<number>;
  /** Confirmed signatures of a campaign that came through one partner. */
  partnerCount(campaign: string, partner: string): Promise<number>;
  /** Called after each commit that changed a campaign's count. Returns an unsubscribe function. */
  onCount(listener: CountListener): () => void;
  healthy(): Promise<boolean>;
  /** Writes what is queued, then closes. */
  close(): Promise<void>;
}
