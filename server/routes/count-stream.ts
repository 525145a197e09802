/**
 * `GET /api/campaigns/:campaign/stream`, through the Node door: the live count as Server-Sent
 * Events. CountHub writes the response itself, with its own headers, merged by Node with those
 * the door set.
 */
import type { CampaignCatalog } from '../campaigns.js';
import type { TrustProxy } from '../config.js';
import { unknownCampaign } from '../http/api-reply.js';
import { clientAddress, clientKey } from '../http/client-address.js';
import { ANSWERED, type DoorRoute } from '../http/node-door.js';
import type { CountHub } from '../live/count-hub.js';
import type { Logger } from '../logger.js';
import { tooManyRequests, type RateLimits } from '../protection/rate-limits.js';
import { partnerQuery } from './count.js';

export interface CountStreamDeps {
  campaigns: CampaignCatalog;
  countHub: CountHub;
  logger: Logger;
  /** Absent while RATE_LIMIT is off. */
  rateLimits?: RateLimits;
  trustProxy: TrustProxy;
}

export function countStreamRoute({ campaigns, countHub, logger, rateLimits, trustProxy }: CountStreamDeps): DoorRoute {
  return {
    method: 'GET',
    path: /^\/api\/campaigns\/([^/]+)\/stream$/,
    async handle({ params: [id], query, incoming, outgoing, headers }) {
      const campaign = campaigns.get(id!);
      if (!campaign) return unknownCampaign;
      const parsed = partnerQuery(query);
      if ('error' in parsed) return parsed.error;
      const slot = rateLimits?.openStream(clientKey(clientAddress(incoming, trustProxy)));
      if (slot && 'retryAfter' in slot) return tooManyRequests(logger, 'streams_per_client', slot.retryAfter);
      if (slot) outgoing.once('close', slot.release);
      await countHub.open(campaign.id, parsed.partner, incoming, outgoing, headers);
      return ANSWERED;
    },
  };
}
