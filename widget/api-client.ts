/**
 * The widget's side of the HTTP API: its addresses, and reading a campaign. Sending a signature
 * is cohesion-declaration/signature-sender.ts, loaded once the visitor starts on the form; its
 * failures come back as a `SignError` with a kind the element can word for the visitor.
 */
import type { Campaign } from '../contract/api.js';
import type { FieldErrors } from '../contract/signature.js';

export type { Campaign, SignResult, SignStatus } from '../contract/api.js';

/** `unavailable`: the server cannot store signatures just now (503 store_unavailable); try again in a minute. */
export type FailureKind = 'network' | 'invalid' | 'rate-limited' | 'unavailable' | 'server' | 'not-found';

export class SignError extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly status = 0,
    readonly fields: FieldErrors = {},
    /** Seconds to wait, from `Retry-After`. */
    readonly retryAfter?: number,
  ) {
    super(kind);
  }
}

export class ApiClient {
  constructor(
    private readonly base: string,
    private readonly campaign: string,
  ) {}

  /** An address of the campaign's API (or of its pages `under` another folder): `path` under it, with the query's values that are set. */
  url(path = '', query: Record<string, string | undefined> = {}, under = 'api/campaigns/') {
    const url = new URL(`${under}${encodeURIComponent(this.campaign)}${path}`, this.base);
    for (const [key, value] of Object.entries(query)) if (value) url.searchParams.set(key, value);
    return url.href;
  }

  challengeUrl() {
    return this.url('/challenge');
  }

  signaturesUrl() {
    return this.url('/signatures');
  }

  streamUrl(partner?: string) {
    return this.url('/stream', { partner });
  }

  countUrl(partner?: string) {
    return this.url('/count', { partner });
  }

  /** The server's own page where the campaign can be signed (the iframe embed's, whole). */
  signPageUrl(lang: string, partner?: string) {
    return this.url('', { lang, partner }, 'embed/');
  }

  /** The campaign in `lang`; rejects when it cannot be had (the element says only that). */
  async campaignInfo(lang: string, signal?: AbortSignal): Promise<Campaign> {
    const response = await fetch(this.url('', { lang }), { signal, credentials: 'omit' });
    if (!response.ok) throw new SignError('server', response.status);
    return response.json();
  }
}
