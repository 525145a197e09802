/**
 * Rate limits (RATE_LIMIT=on): on signing, per client (see clientKey) and per email address;
 * on proof-of-work challenges, per client (issuing one costs a key derivation); on event
 * streams, the number open at once per client. In this process's memory: behind a load
 * balancer each process counts on its own, so a client may get up to N times the rate.
 *
 * Per client: offices, schools and mobile networks put many people behind one address, so a
 * room of ten can sign at once and the next ten within a minute. Per email: signing again is harmless (same answer, at most
 * one mail per 10 minutes), so a few tries are plenty. Per email address is per mailbox: by its
 * key (see emailKey), as the store counts one signature per key. Per recipient domain: each
 * signing may mail its address, so mails to one organisation's domain are limited too, however
 * many clients sign with its addresses; a big mail provider's domain is shared by many signers,
 * so the limit is a busy campaign's peak, not a trickle.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { emailDomainOf, emailKey } from '../email-key.js';
import { apiError, type ApiReply } from '../http/api-reply.js';
import type { Logger } from '../logger.js';
import { TokenBuckets, type BucketRule } from './token-buckets.js';

export const SIGNING_PER_CLIENT: BucketRule = { burst: 10, refillMs: 6_000 };
export const SIGNING_PER_EMAIL: BucketRule = { burst: 3, refillMs: 60_000 };
export const MAIL_PER_DOMAIN: BucketRule = { burst: 30, refillMs: 2_000 };
/** A form takes one challenge, and one more after each attempt to sign. */
export const CHALLENGES_PER_CLIENT: BucketRule = { burst: 30, refillMs: 2_000 };
/** A page shares one stream among its widgets, so this is about 20 open pages behind one address. */
export const STREAMS_PER_CLIENT = 20;
/** When to try a refused stream again: about when a page's visitor may have moved on. */
const STREAM_RETRY_SECONDS = 30;

export class RateLimits {
  private readonly byClient = new TokenBuckets(SIGNING_PER_CLIENT);
  private readonly byEmail = new TokenBuckets(SIGNING_PER_EMAIL);
  private readonly byDomain = new TokenBuckets(MAIL_PER_DOMAIN);
  private readonly challenges = new TokenBuckets(CHALLENGES_PER_CLIENT);
  private readonly streams = new Map<string, number>();
  /** Email addresses and domains are kept only as keyed hashes, and the key only in this process's memory. */
  private readonly emailHashKey = randomBytes(32);

  constructor(private readonly now: () => number) {}

  /** A signing attempt from `client`: 0 if allowed, else seconds to wait. */
  signFrom(client: string): number {
    return seconds(this.byClient.take(client, this.now()));
  }

  /** A signing attempt for `email`, which may mail it: undefined if allowed, else which limit refused it and seconds to wait. */
  signFor(email: string): { limit: 'signing_per_email' | 'mail_per_domain'; wait: number } | undefined {
    const key = emailKey(email);
    const hash = (value: string) => createHmac('sha256', this.emailHashKey).update(value).digest('base64url');
    const emailWait = seconds(this.byEmail.take(hash(key), this.now()));
    if (emailWait) return { limit: 'signing_per_email', wait: emailWait };
    // `@` keeps a domain's hash apart from any address's.
    const domainWait = seconds(this.byDomain.take(hash(`@${emailDomainOf(key)}`), this.now()));
    return domainWait ? { limit: 'mail_per_domain', wait: domainWait } : undefined;
  }

  /** A challenge for `client`: 0 if allowed, else seconds to wait. */
  challengeFor(client: string): number {
    return seconds(this.challenges.take(client, this.now()));
  }

  /** Counts a stream `client` opens, if it may: `release` once it closes. */
  openStream(client: string): { release: () => void } | { retryAfter: number } {
    const open = this.streams.get(client) ?? 0;
    if (open >= STREAMS_PER_CLIENT) return { retryAfter: STREAM_RETRY_SECONDS };
    this.streams.set(client, open + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.streams.get(client) ?? 1) - 1;
      if (left) this.streams.set(client, left);
      else this.streams.delete(client);
    };
    return { release };
  }
}

const seconds = (ms: number) => Math.ceil(ms / 1000);

/** 429 with Retry-After, in the one error shape; the log says which limit, and nothing of the client. */
export function tooManyRequests(logger: Logger, limit: string, retryAfterSeconds: number): ApiReply {
  logger.info('rate_limited', { limit });
  return {
    ...apiError(429, 'rate_limited', `Too many requests. Please try again in ${retryAfterSeconds} seconds.`),
    headers: { 'Retry-After': String(retryAfterSeconds) },
  };
}
