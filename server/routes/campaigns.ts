/** Public campaign information and the count: what the widget shows before anyone signs. */
import { Hono, type Context } from 'hono';
import { checkField } from '../../contract/signature.js';
import type { CampaignCatalog } from '../campaigns.js';
import type { SignatureStore } from '../store/signature-store.js';
import { apiError, unknownCampaign } from '../http/api-error.js';

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
  const partner = c.req.query('partner');
  if (partner !== undefined && checkField('partner', partner)) {
    return { error: apiError(c, 400, 'invalid_query', 'The partner id is not valid.', { partner: 'invalid' }) };
  }
  return { partner: partner || undefined };
}

export function campaignRoutes({ campaigns, store, publicUrl }: CampaignRoutesDeps) {
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
    .get('/:campaign/count', async (c) => {
      const campaign = campaigns.get(c.req.param('campaign'));
      if (!campaign) return unknownCampaign(c);
      const query = partnerQuery(c);
      if ('error' in query) return query.error;
      const { partner } = query;
      const count = await store.count(campaign.id);
      const partnerCount = partner ? await store.partnerCount(campaign.id, partner) : undefined;
      // The body is a function of these numbers alone, so they make a strong validator.
      const etag = `"${[count, campaign.goal, partnerCount].filter((n) => n !== undefined).join('-')}"`;
      const headers = { ETag: etag, 'Cache-Control': SHORT_PUBLIC_CACHE };
      if (matchesEtag(c.req.header('If-None-Match'), etag)) return c.body(null, 304, headers);
      const body = partnerCount === undefined ? { count, goal: campaign.goal } : { count, goal: campaign.goal, partnerCount };
      return c.json(body, 200, headers);
    });
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): `W/` is ignored, `*` matches. */
function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}
