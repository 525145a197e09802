/**
 * `GET /api/campaigns/:campaign/stream`: the live count as Server-Sent Events. Mounted before
 * the app's middleware: CountHub writes the response itself, with its own headers, and nothing
 * after it may touch that response.
 */
import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { CampaignCatalog } from '../campaigns.js';
import { apiError, unknownCampaign } from '../http/api-error.js';
import type { CountHub } from '../live/count-hub.js';
import { partnerQuery } from './campaigns.js';

export function countStreamRoutes({ campaigns, countHub }: { campaigns: CampaignCatalog; countHub: CountHub }) {
  return new Hono<{ Bindings: Partial<HttpBindings> }>().get('/:campaign/stream', async (c) => {
    const campaign = campaigns.get(c.req.param('campaign'));
    if (!campaign) return unknownCampaign(c);
    const query = partnerQuery(c);
    if ('error' in query) return query.error;
    // app.request() in tests has no Node response to write to.
    const { incoming, outgoing } = c.env ?? {};
    if (!incoming || !outgoing) return apiError(c, 501, 'not_supported', 'Event streams need the Node server.');
    await countHub.open(campaign.id, query.partner, incoming, outgoing);
    return RESPONSE_ALREADY_SENT;
  });
}
