/**
 * The public wall: the signers who chose to be listed, newest first, by name, organisation, role
 * and country, never email. Paginated by an opaque cursor (`next`), so a page stays stable while
 * people keep signing. Open to every origin, cached briefly: an erasure shows within a minute.
 */
import { Hono } from 'hono';
import type { SupportersPage } from '../../contract/api.js';
import { SIGNER_TYPES } from '../../contract/signature.js';
import type { CampaignCatalog } from '../campaigns.js';
import { apiError, unknownCampaign } from '../http/api-error.js';
import type { SignatureStore } from '../store/signature-store.js';

export const DEFAULT_PAGE = 24;
export const MAX_PAGE = 100;
const CURSOR = /^[1-9]\d{0,14}$/;

export function supporterRoutes({ campaigns, store }: { campaigns: CampaignCatalog; store: SignatureStore }) {
  return new Hono().get('/:campaign/supporters', async (c) => {
    const campaign = campaigns.get(c.req.param('campaign'));
    if (!campaign) return unknownCampaign(c);
    const { limit: limitQuery, cursor, signerType } = c.req.query();
    const limit = limitQuery === undefined ? DEFAULT_PAGE : Number(limitQuery);
    const fields: Record<string, string> = {};
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE || !/^\d+$/.test(limitQuery ?? '1')) fields.limit = 'invalid';
    if (cursor !== undefined && !CURSOR.test(cursor)) fields.cursor = 'invalid';
    if (signerType !== undefined && !(SIGNER_TYPES as readonly string[]).includes(signerType)) fields.signerType = 'invalid';
    if (Object.keys(fields).length) return apiError(c, 400, 'invalid_query', 'Some query parameters are not valid.', fields);

    const page = await store.supporters(campaign.id, { beforeId: cursor === undefined ? undefined : Number(cursor), limit, signerType });
    c.header('Cache-Control', 'public, max-age=60');
    return c.json({
      supporters: page.map(({ id: _id, organisation, role, ...supporter }) => ({
        ...supporter,
        ...(organisation === null ? {} : { organisation }),
        ...(role === null ? {} : { role }),
      })),
      next: page.length === limit ? String(page.at(-1)!.id) : null,
    } satisfies SupportersPage);
  });
}
