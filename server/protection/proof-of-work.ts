/**
 * Proof of work with ALTCHA, needing no third party: the server issues a signed challenge, the
 * visitor's browser spends a few hundred milliseconds solving it while they fill in the form,
 * and the signature carries the solution (`altcha`). Each solution signs once.
 *
 * Deterministic mode: the server picks the secret counter and signs the key it derives, so
 * the solver's work is bounded (at most MAX_COUNTER derivations) and checking a solution costs
 * one HMAC, not a key derivation.
 *
 * Spent solutions are kept in the store until they expire (SignatureStore.spendProof), so a
 * solution signs once however many processes share the database. So is the key that signs the
 * challenges, unless ALTCHA_HMAC_KEY gives one: a restart leaves the challenges that open pages
 * hold good, and any process checks what another issued.
 *
 * Times are in the challenge's signed `data`, read against the app's clock (altcha's own
 * `expiresAt` would be read against the real one):
 *   issuedAt   when the challenge was issued;
 *   usableAt   the earliest its solution is taken: a person needs longer than that to fill in the form;
 *   expiresAt  the latest.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createChallenge, randomInt, verifySolution, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import * as z from 'zod';
import type { SignatureStore } from '../store/signature-store.js';

/** PBKDF2 runs natively in every browser (Web Crypto), so the cost is in native code, not script. */
const ALGORITHM = 'PBKDF2/SHA-256';
/**
 * Iterations per derivation, and the most derivations a solver needs (half that on average).
 * Sized so that a mid-range phone solves it in a fraction of a second, while the visitor is
 * still filling in the form, and a bot pays that for every signature it sends.
 */
const COST = 2000;
const MAX_COUNTER = 500;

/** The name of the key kept in the store (SignatureStore.sharedSecret). */
export const STORED_KEY = 'altcha_hmac_key';

export const MIN_FILL_MS = 3_000;
export const CHALLENGE_TTL_MS = 10 * 60_000;

export type ProofVerdict = { ok: true; id: string; expiresAt: number } | { ok: false; code: 'required' | 'invalid' | 'too_fast' };

const payloadShape = z.object({
  challenge: z.object({
    // Loose: every key counts towards the signature.
    parameters: z.looseObject({
      algorithm: z.string(),
      nonce: z.string(),
      salt: z.string(),
      cost: z.number(),
      keyLength: z.number(),
      keyPrefix: z.string(),
      data: z
        .object({ campaign: z.string(), usableAt: z.number(), expiresAt: z.number() })
        .catchall(z.union([z.string(), z.number(), z.boolean(), z.null()])),
    }),
    signature: z.string(),
  }),
  solution: z.object({ counter: z.number(), derivedKey: z.string() }),
});

interface Secrets {
  challenge: string;
  key: string;
}

export class ProofOfWork {
  /** Derived from the key once it is known. */
  private secrets?: Promise<Secrets>;

  /** `hmacKey`: ALTCHA_HMAC_KEY; without it, the key kept in `store`, made by the first process that needs one. */
  constructor(
    private readonly hmacKey: string | undefined,
    private readonly store: Pick<SignatureStore, 'sharedSecret'>,
    private readonly now: () => number,
    /** 0 while bot protection is off, so a widget never waits for a check nobody makes. */
    private readonly minFillMs = MIN_FILL_MS,
  ) {}

  /** A fresh challenge for signing `campaign`. */
  async issue(campaign: string): Promise<Challenge> {
    const secrets = await this.secretsOnce();
    const issuedAt = this.now();
    return createChallenge({
      algorithm: ALGORITHM,
      cost: COST,
      counter: randomInt(MAX_COUNTER),
      deriveKey,
      hmacSignatureSecret: secrets.challenge,
      hmacKeySignatureSecret: secrets.key,
      data: { campaign, issuedAt, usableAt: issuedAt + this.minFillMs, expiresAt: issuedAt + CHALLENGE_TTL_MS },
    });
  }

  /** Checks a solution for `campaign` without spending it; the store's spendProof does that once all else is fine. */
  async verify(altcha: string | undefined, campaign: string): Promise<ProofVerdict> {
    if (altcha === undefined) return { ok: false, code: 'required' };
    const payload = decode(altcha);
    if (!payload) return { ok: false, code: 'invalid' };
    const { challenge, solution } = payload;
    const { nonce, data } = challenge.parameters;
    const now = this.now();
    if (data.campaign !== campaign || now >= data.expiresAt) return { ok: false, code: 'invalid' };
    const secrets = await this.secretsOnce();
    const result = await verifySolution({
      challenge,
      solution,
      deriveKey,
      hmacSignatureSecret: secrets.challenge,
      hmacKeySignatureSecret: secrets.key,
    }).catch(() => ({ verified: false }));
    if (!result.verified) return { ok: false, code: 'invalid' };
    // Only a signed time is worth reading, so this comes after the signature check.
    if (now < data.usableAt) return { ok: false, code: 'too_fast' };
    return { ok: true, id: nonce, expiresAt: data.expiresAt };
  }

  /** The secrets, from the key: read from the store once (again after a failure: the store may be back). */
  private secretsOnce(): Promise<Secrets> {
    this.secrets ??= (this.hmacKey ? Promise.resolve(this.hmacKey) : this.store.sharedSecret(STORED_KEY, newKey)).then(
      (master) => {
        const secret = (purpose: string) => createHmac('sha256', master).update(purpose).digest('base64url');
        return { challenge: secret('altcha-challenge'), key: secret('altcha-derived-key') };
      },
      (error: unknown) => {
        this.secrets = undefined;
        throw error;
      },
    );
    return this.secrets;
  }
}

const newKey = () => randomBytes(32).toString('base64url');

/** The payload as the widget sends it: base64 of JSON `{challenge, solution}`. */
function decode(altcha: string) {
  try {
    const json = JSON.parse(Buffer.from(altcha, 'base64').toString('utf8'), noProtoKeys);
    const result = payloadShape.safeParse(json);
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

/** A `__proto__` key is refused, not turned into an object's prototype by the copy that parsing makes. */
function noProtoKeys(key: string, value: unknown) {
  if (key === '__proto__') throw new SyntaxError('__proto__');
  return value;
}
