/**
 * Public campaign information and the count: what the widget shows before anyone signs. The
 * count is also served by the Node fast path (countFastRoute), from the same function.
 */
import { Hono, type Context } from 'hono';
import { checkField } from '../../contract/signature.js';
import type { CampaignCatalog } from '../campaigns.js';
import type { SignatureStore } from '../store/signature-store.js';
import { errorReply, unknownCampaign, unknownCampaignReply } from '../http/api-error.js';
import { sendReply, type ApiReply } from '../http/api-reply.js';
import type { FastRoute } from '../http/node-fast-path.js';

export interface CampaignRoutesDeps {
  campaigns: CampaignCatalog;
  store: SignatureStore;
  /** Base for campaign links given as paths, such as privacyUrl `/privacy`. */
  publicUrl: string;
}

// Short enough that the number feels live, long enough that a busy page is mostly cache hits.
const SHORT_PUBLIC_CACHE = 'public, max-age=5';

/** The `?partner=` of a count or stream: absent, valid, or a 400 to answer with. */
export function partnerQuery(c: Context): { partner?: string } | { error: Response } {
  const query = partnerParam(c.req.query('partner'));
  return 'error' in query ? { error: sendReply(c, query.error) } : query;
}

function partnerParam(partner: string | undefined): { partner?: string } | { error: ApiReply } {
  if (partner !== undefined && checkField('partner', partner)) {
    return { error: errorReply(400, 'invalid_query', 'The partner id is not valid.', { partner: 'invalid' }) };
  }
  return { partner: partner || undefined };
}

/** `GET /:campaign/count`, framework-free: the campaign id, `?partner=` and If-None-Match in, the answer out. */
export type Counting = (campaign: string, partner: string | undefined, ifNoneMatch: string | undefined) => Promise<ApiReply>;

export function createCounting({ campaigns, store }: Pick<CampaignRoutesDeps, 'campaigns' | 'store'>): Counting {
  return async (id, partnerValue, ifNoneMatch) => {
    const campaign = campaigns.get(id);
    if (!campaign) return unknownCampaignReply();
    const query = partnerParam(partnerValue);
    if ('error' in query) return query.error;
    const { partner } = query;
    const count = await store.count(campaign.id);
    const partnerCount = partner ? await store.partnerCount(campaign.id, partner) : undefined;
    // The body is a function of these numbers alone, so they make a strong validator.
    const etag = `"${[count, campaign.goal, partnerCount].filter((n) => n !== undefined).join('-')}"`;
    const headers = { ETag: etag, 'Cache-Control': SHORT_PUBLIC_CACHE };
    if (matchesEtag(ifNoneMatch, etag)) return { status: 304, headers };
    const body = partnerCount === undefined ? { count, goal: campaign.goal } : { count, goal: campaign.goal, partnerCount };
    return { status: 200, body, headers };
  };
}

/** The count on the Node fast path (see http/node-fast-path.ts). */
export function countFastRoute(count: Counting): FastRoute {
  return {
    method: 'GET',
    pattern: '/api/campaigns/:campaign/count',
    path: /^\/api\/campaigns\/([^/]+)\/count$/,
    cors: 'any',
    handle: ({ params: [campaign = ''], query, header }) =>
      count(campaign, new URLSearchParams(query).get('partner') ?? undefined, header('If-None-Match')),
  };
}

export function campaignRoutes({ campaigns, store, publicUrl }: CampaignRoutesDeps, count: Counting) {
  return new Hono()
    .get('/:campaign', async (c) => {
      const campaign = campaigns.get(c.req.param('campaign'));
      if (!campaign) return unknownCampaign(c);
      const { lang, title, introduction, declaration, consentText } = campaign.texts(c.req.query('lang'));
      c.header('Cache-Control', SHORT_PUBLIC_CACHE);
      return c.json({
        id: campaign.id,
        lang,
        languages: campaign.languages,
        title,
        introduction,
        declaration,
        consentText,
        goal: campaign.goal,
        hashtag: campaign.hashtag,
        privacyUrl: new URL(campaign.privacyUrl, `${publicUrl}/`).href,
        consentVersion: campaign.consentVersion,
        count: await store.count(campaign.id),
      });
    })
    .get('/:campaign/count', async (c) =>
      sendReply(c, await count(c.req.param('campaign'), c.req.query('partner'), c.req.header('If-None-Match'))),
    );
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): `W/` is ignored, `*` matches. */
function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}
