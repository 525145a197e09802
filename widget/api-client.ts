/**
 * The widget's side of the HTTP API. Every failure comes back as a `SignError` with a kind the
 * element can word for the visitor; nothing here throws anything else.
 */
import type { FieldErrors, Signature } from '../contract/signature.js';

export interface Campaign {
  id: string;
  lang: string;
  languages: string[];
  title: string;
  introduction: string;
  declaration: string[];
  consentText?: string;
  goal: number;
  hashtag: string;
  privacyUrl: string;
  consentVersion: string;
  count: number;
}

export type SignStatus = 'counted' | 'pending';

export interface SignResult {
  status: SignStatus;
  count?: number;
}

export type FailureKind = 'network' | 'invalid' | 'rate-limited' | 'server' | 'not-found';

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

  private url(path = '', query: Record<string, string | undefined> = {}) {
    const url = new URL(`api/campaigns/${encodeURIComponent(this.campaign)}${path}`, this.base);
    for (const [key, value] of Object.entries(query)) if (value) url.searchParams.set(key, value);
    return url.href;
  }

  challengeUrl() {
    return this.url('/challenge');
  }

  streamUrl(partner?: string) {
    return this.url('/stream', { partner });
  }

  countUrl(partner?: string) {
    return this.url('/count', { partner });
  }

  supportersUrl(cursor?: string) {
    return this.url('/supporters', { cursor });
  }

  async campaignInfo(lang: string, signal?: AbortSignal): Promise<Campaign> {
    return (await this.send(this.url('', { lang }), { signal })).json();
  }

  async sign(signature: Signature): Promise<SignResult> {
    const response = await this.send(this.url('/signatures'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(signature),
    });
    return response.json();
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(url, { ...init, credentials: 'omit' });
    } catch {
      throw new SignError('network');
    }
    if (response.ok) return response;
    const body = await response.json().catch(() => ({}));
    const { status } = response;
    if (status === 429) {
      throw new SignError('rate-limited', status, {}, Number(response.headers.get('retry-after')) || 60);
    }
    if (status === 404) throw new SignError('not-found', status);
    if (status >= 400 && status < 500) throw new SignError('invalid', status, body.fields ?? {});
    throw new SignError('server', status);
  }
}
