/** `GET /api/campaigns/:campaign/challenge`: a proof-of-work challenge to sign with (see ProofOfWork). */
import { Hono } from 'hono';
import type { CampaignCatalog } from '../campaigns.js';
import type { TrustProxy } from '../config.js';
import { send, unknownCampaign } from '../http/api-reply.js';
import { clientAddress, clientKey, type NodeBindings } from '../http/client-address.js';
import type { Logger } from '../logger.js';
import type { ProofOfWork } from '../protection/proof-of-work.js';
import { tooManyRequests, type RateLimits } from '../protection/rate-limits.js';

export interface ChallengeRoutesDeps {
  campaigns: CampaignCatalog;
  proofOfWork: ProofOfWork;
  logger: Logger;
  /** Absent while RATE_LIMIT is off. */
  rateLimits?: RateLimits;
  trustProxy: TrustProxy;
}

export function challengeRoutes({ campaigns, proofOfWork, logger, rateLimits, trustProxy }: ChallengeRoutesDeps) {
  return new Hono<NodeBindings>().get('/:campaign/challenge', async (c) => {
    const campaign = campaigns.get(c.req.param('campaign'));
    if (!campaign) return send(c, unknownCampaign);
    const wait = rateLimits?.challengeFor(clientKey(clientAddress(c.env.incoming, trustProxy)));
    if (wait) return send(c, tooManyRequests(logger, 'challenges_per_client', wait));
    // Each one is single-use: no cache may hand the same to two visitors.
    c.header('Cache-Control', 'no-store');
    return c.json(await proofOfWork.issue(campaign.id));
  });
}
