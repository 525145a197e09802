/** `GET /api/campaigns/:campaign/count`, through the Node door: what every counter on every partner page polls. */
import { checkField } from '../../contract/signature.js';
import type { CampaignCatalog } from '../campaigns.js';
import { apiError, unknownCampaign, type ApiReply } from '../http/api-reply.js';
import { matchesEtag } from '../http/negotiation.js';
import type { DoorRoute } from '../http/node-door.js';
import type { SignatureStore } from '../store/signature-store.js';

// Short enough that the number feels live, long enough that a busy page is mostly cache hits.
export const SHORT_PUBLIC_CACHE = 'public, max-age=5';

/** The `?partner=` of a count or stream: absent, valid, or a 400 to answer with. */
export function partnerQuery(query: URLSearchParams): { partner?: string } | { error: ApiReply } {
  const partner = query.get('partner') ?? undefined;
  if (partner !== undefined && checkField('partner', partner)) {
    return { error: apiError(400, 'invalid_query', 'The partner id is not valid.', { partner: 'invalid' }) };
  }
  return { partner: partner || undefined };
}

export function countRoute({ campaigns, store }: { campaigns: CampaignCatalog; store: SignatureStore }): DoorRoute {
  return {
    method: 'GET',
    pattern: '/api/campaigns/:campaign/count',
    path: /^\/api\/campaigns\/([^/]+)\/count$/,
    async handle({ params: [id], query, incoming }) {
      const campaign = campaigns.get(id!);
      if (!campaign) return unknownCampaign;
      const parsed = partnerQuery(query);
      if ('error' in parsed) return parsed.error;
      const { partner } = parsed;
      const count = await store.count(campaign.id);
      const partnerCount = partner ? await store.partnerCount(campaign.id, partner) : undefined;
      // The body is a function of these numbers alone, so they make a strong validator.
      const etag = `"${[count, campaign.goal, partnerCount].filter((n) => n !== undefined).join('-')}"`;
      const headers = { ETag: etag, 'Cache-Control': SHORT_PUBLIC_CACHE };
      if (matchesEtag(incoming.headers['if-none-match'], etag)) return { status: 304, headers };
      const body = partnerCount === undefined ? { count, goal: campaign.goal } : { count, goal: campaign.goal, partnerCount };
      return { status: 200, body, headers };
    },
  };
}
