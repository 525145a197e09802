/**
 * The public wall: the signers who chose to be listed and whom the wall shows (see WallState in
 * signature-store.ts: those who claim an organisation or an office wait for an organiser's
 * approval), newest first, by name, organisation, role and country, never email. Paginated by an
 * opaque cursor (`next`), so a page stays stable while people keep signing. Open to every
 * origin, cached briefly: an erasure or a hidden entry shows within a minute.
 */
import { Hono } from 'hono';
import * as z from 'zod';
import type { SupportersPage } from '../../contract/api.js';
import { SIGNER_TYPES } from '../../contract/signature.js';
import type { CampaignCatalog } from '../campaigns.js';
import { send, unknownCampaign } from '../http/api-reply.js';
import { parseQuery } from '../http/request-query.js';
import type { SignatureStore } from '../store/signature-store.js';

export const DEFAULT_PAGE = 24;
export const MAX_PAGE = 100;

/** The wall's paging, as the public wall and the organisers' view of it (routes/admin.ts) take it. */
export const wallPageQuery = {
  limit: z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(1).max(MAX_PAGE)).default(DEFAULT_PAGE),
  cursor: z
    .string()
    .regex(/^[1-9]\d{0,14}$/)
    .transform(Number)
    .optional(),
};

const supportersQuery = z.object({ ...wallPageQuery, signerType: z.enum(SIGNER_TYPES).optional() });

/** The cursor of the page after `page`, or null when it was the last. */
export const nextCursor = (page: { id: number }[], limit: number) => (page.length === limit ? String(page.at(-1)!.id) : null);

export function supporterRoutes({ campaigns, store }: { campaigns: CampaignCatalog; store: SignatureStore }) {
  return new Hono().get('/:campaign/supporters', async (c) => {
    const campaign = campaigns.get(c.req.param('campaign'));
    if (!campaign) return send(c, unknownCampaign);
    const query = parseQuery(c, supportersQuery);
    if (query instanceof Response) return query;
    const { limit, cursor, signerType } = query;

    const page = await store.supporters(campaign.id, { beforeId: cursor, limit, signerType, moderateAll: campaign.moderateAll });
    c.header('Cache-Control', 'public, max-age=60');
    return c.json({
      supporters: page.map(({ id: _id, organisation, role, ...supporter }) => ({
        ...supporter,
        ...(organisation === null ? {} : { organisation }),
        ...(role === null ? {} : { role }),
      })),
      next: nextCursor(page, limit),
    } satisfies SupportersPage);
  });
}
