/**
 * `GET /api/campaigns/:campaign/stream`: the live count as Server-Sent Events. Mounted before
 * the app's middleware: CountHub writes the response itself, with its own headers, and nothing
 * after it may touch that response. So this route sets the partner security headers and CORS
 * itself, on its answers and on the stream.
 */
import { Hono } from 'hono';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { CampaignCatalog } from '../campaigns.js';
import type { TrustProxy } from '../config.js';
import { apiError, unknownCampaign } from '../http/api-error.js';
import { clientAddress, clientKey, type NodeBindings } from '../http/client-address.js';
import { PARTNER_HEADERS } from '../http/security-headers.js';
import type { CountHub } from '../live/count-hub.js';
import type { Logger } from '../logger.js';
import { tooManyRequests, type RateLimits } from '../protection/rate-limits.js';
import { partnerQuery } from './campaigns.js';

export interface CountStreamDeps {
  campaigns: CampaignCatalog;
  countHub: CountHub;
  logger: Logger;
  /** Absent while RATE_LIMIT is off. */
  rateLimits?: RateLimits;
  trustProxy: TrustProxy;
}

export function countStreamRoutes({ campaigns, countHub, logger, rateLimits, trustProxy }: CountStreamDeps) {
  return new Hono<NodeBindings>().get(
    '/:campaign/stream',
    async (c, next) => {
      await next();
      if (c.res === RESPONSE_ALREADY_SENT) return;
      c.res.headers.set('Access-Control-Allow-Origin', '*');
      for (const [name, value] of PARTNER_HEADERS) c.res.headers.set(name, value);
    },
    async (c) => {
      const campaign = campaigns.get(c.req.param('campaign'));
      if (!campaign) return unknownCampaign(c);
      const query = partnerQuery(c);
      if ('error' in query) return query.error;
      // app.request() in tests has no Node response to write to.
      const { incoming, outgoing } = c.env ?? {};
      if (!incoming || !outgoing) return apiError(c, 501, 'not_supported', 'Event streams need the Node server.');
      const slot = rateLimits?.openStream(clientKey(clientAddress(c, trustProxy)));
      if (slot && 'retryAfter' in slot) return tooManyRequests(c, logger, 'streams_per_client', slot.retryAfter);
      if (slot) outgoing.once('close', slot.release);
      // Merged by Node with the headers CountHub writes.
      for (const [name, value] of PARTNER_HEADERS) outgoing.setHeader(name, value);
      await countHub.open(campaign.id, query.partner, incoming, outgoing);
      return RESPONSE_ALREADY_SENT;
    },
  );
}
