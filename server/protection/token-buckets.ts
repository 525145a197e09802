/**
 * Token buckets by key, in bounded memory. A bucket holds up to `burst` tokens and gains one
 * every `refillMs`; each request takes one.
 *
 * The map is kept in order of last use, so the buckets idle longest are at its front: a bucket
 * idle long enough to be full again is the same as no bucket, and is dropped; past `maxKeys`
 * the least recently used go first (which at worst forgives a little).
 */
export interface BucketRule {
  burst: number;
  refillMs: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly rule: BucketRule,
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes a token: 0 if there was one, else the milliseconds until there will be. */
  take(key: string, now: number): number {
    const { burst, refillMs } = this.rule;
    const bucket = this.buckets.get(key);
    let tokens = bucket ? Math.min(burst, bucket.tokens + (now - bucket.at) / refillMs) : burst;
    this.buckets.delete(key);
    const allowed = tokens >= 1;
    if (allowed) tokens -= 1;
    this.buckets.set(key, { tokens, at: now });
    this.forgetIdle(now);
    return allowed ? 0 : Math.ceil((1 - tokens) * refillMs);
  }

  get size() {
    return this.buckets.size;
  }

  private forgetIdle(now: number) {
    const fullAfter = this.rule.burst * this.rule.refillMs;
    for (const [key, { at }] of this.buckets) {
      if (now - at < fullAfter && this.buckets.size <= this.maxKeys) break;
      this.buckets.delete(key);
    }
  }
}
