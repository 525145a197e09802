/**
 * The organiser dashboard's side of the admin API (`/api/admin/`, see README "Organiser
 * dashboard"). Every call sends the bearer token; every failure comes back as an `AdminApiError`
 * with the status, the API's error code and its field codes, so the dashboard can word it and
 * put it next to the field it is about. A 401 also calls `onUnauthorized`, once for the whole
 * dashboard, whichever part of it made the call.
 */
import type {
  AdminPartner as Partner,
  BaselineAnswer,
  BaselineEntry,
  CampaignStatsAnswer,
  ModerationDecision,
  WallEntriesPage,
  WallEntry,
  WallState,
} from '../contract/api.js';
import type { ErrorBody } from '../server/http/api-reply.js';

export type { Partner };

/** The stats as the dashboard draws them: a day's key is called `day`. */
export interface CampaignStats extends Omit<CampaignStatsAnswer, 'byDay'> {
  byDay: { day: string; count: number }[];
}

export type ExportStatus = 'all' | 'confirmed' | 'pending';

export type { BaselineAnswer, BaselineEntry, ModerationDecision, WallEntry, WallState };

export class AdminApiError extends Error {
  constructor(
    /** 0: the server could not be reached. */
    readonly status: number,
    readonly code: string,
    readonly fields: Readonly<Record<string, string>> = {},
    message = code,
  ) {
    super(message);
  }
}

/** The file name in a `Content-Disposition: attachment; filename="…"` header, if any. */
export function attachmentName(header: string | null): string | undefined {
  return header?.match(/filename="([^"]+)"/)?.[1] ?? header?.match(/filename=([^;\s]+)/)?.[1];
}

export class AdminApi {
  readonly base: string;

  constructor(
    /** The server's base URL, ending in `/`. */
    base: string,
    private readonly token: string,
    private readonly onUnauthorized: () => void = () => {},
  ) {
    this.base = base.endsWith('/') ? base : `${base}/`;
  }

  /** A URL on the server, from a path relative to its base (no leading slash). */
  url(path: string, query: Record<string, string> = {}) {
    const url = new URL(path, this.base);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url.href;
  }

  private campaignPath(campaign: string, rest: string) {
    return `api/admin/campaigns/${encodeURIComponent(campaign)}/${rest}`;
  }

  async stats(campaign: string, signal?: AbortSignal): Promise<CampaignStats> {
    const stats: CampaignStatsAnswer = await (await this.send(this.campaignPath(campaign, 'stats'), { signal })).json();
    // Every breakdown comes as {key, count}; the chart calls a day's key `day`.
    const byDay = stats.byDay.map(({ key, count }) => ({ day: key, count }));
    return { ...stats, byDay };
  }

  /** The CSV export, whole, with the file name the server suggests. */
  async exportCsv(campaign: string, status: ExportStatus): Promise<{ blob: Blob; fileName: string }> {
    const response = await this.send(this.campaignPath(campaign, 'signatures.csv'), {}, { status });
    const fallback = `${campaign}-signatures.csv`;
    return { blob: await response.blob(), fileName: attachmentName(response.headers.get('content-disposition')) ?? fallback };
  }

  /** Erases every signature made with `email` (in `campaign` only, when given); how many were erased. */
  async erase(email: string, campaign?: string): Promise<number> {
    const response = await this.send('api/admin/erasures', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(campaign ? { email, campaign } : { email }),
    });
    return (await response.json()).erased;
  }

  /** A page of the wall's entries in one state, newest first; pass `next` back as `cursor` for the page after. */
  async wallEntries(campaign: string, state: WallState, cursor?: string): Promise<WallEntriesPage> {
    const response = await this.send(this.campaignPath(campaign, 'supporters'), {}, { state, ...(cursor ? { cursor } : {}) });
    return response.json();
  }

  /** Approves an entry of the wall (which shows it, hidden or not) or hides it. */
  async moderate(campaign: string, id: number, moderation: ModerationDecision): Promise<void> {
    await this.send(this.campaignPath(campaign, `supporters/${id}`), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ moderation }),
    });
  }

  /** Supporters gathered elsewhere, oldest first, and their total. */
  async baseline(campaign: string): Promise<BaselineAnswer> {
    return (await this.send(this.campaignPath(campaign, 'baseline'))).json();
  }

  async addBaseline(campaign: string, entry: { count: number; note: string; date?: string; partner?: string }): Promise<BaselineEntry> {
    const response = await this.send(this.campaignPath(campaign, 'baseline'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(entry),
    });
    return response.json();
  }

  async removeBaseline(campaign: string, id: number): Promise<void> {
    await this.send(this.campaignPath(campaign, `baseline/${id}`), { method: 'DELETE' });
  }

  async partners(): Promise<Partner[]> {
    return (await (await this.send('api/admin/partners')).json()).partners;
  }

  async savePartner(
    id: string,
    partner: { name: string; origins: string[]; listed: boolean; url?: string; logo?: string; position: number },
  ): Promise<Partner> {
    const response = await this.send(`api/admin/partners/${encodeURIComponent(id)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(partner),
    });
    return response.json();
  }

  async deletePartner(id: string): Promise<void> {
    await this.send(`api/admin/partners/${encodeURIComponent(id)}`, { method: 'DELETE' });
  }

  private async send(path: string, init: RequestInit = {}, query: Record<string, string> = {}): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(this.url(path, query), {
        ...init,
        headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${this.token}` },
        // Admin answers are no-store; never a cached copy of someone's data.
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new AdminApiError(0, 'network');
    }
    if (response.ok) return response;
    const body: Partial<ErrorBody> = await response.json().catch(() => ({}));
    if (response.status === 401) this.onUnauthorized();
    throw new AdminApiError(response.status, body.error ?? 'http_error', (body.fields ?? {}) as Record<string, string>, body.message);
  }
}
