/**
 * Public campaign information: what the widget shows before anyone signs, and the public list of
 * partners. The count alone is count.ts.
 */
import { Hono } from 'hono';
import type { PartnersAnswer } from '../../contract/api.js';
import { privacyUrlFor, type CampaignCatalog } from '../campaigns.js';
import { send, unknownCampaign } from '../http/api-reply.js';
import type { PartnerOriginPolicy } from '../http/partner-origins.js';
import type { SignatureStore } from '../store/signature-store.js';
import { SHORT_PUBLIC_CACHE } from './count.js';

export interface CampaignRoutesDeps {
  campaigns: CampaignCatalog;
  store: SignatureStore;
  origins: PartnerOriginPolicy;
  /** Base for campaign links given as paths, such as privacyUrl `/privacy`. */
  publicUrl: string;
}

/** The public list of partners changes when an organiser edits it: a minute in caches is soon enough. */
const PARTNERS_CACHE = 'public, max-age=60';

export function campaignRoutes({ campaigns, store, origins, publicUrl }: CampaignRoutesDeps) {
  return new Hono()
    .get('/:campaign', async (c) => {
      const campaign = campaigns.get(c.req.param('campaign'));
      if (!campaign) return send(c, unknownCampaign);
      const { lang, title, introduction, declaration, consentText } = campaign.texts(c.req.query('lang'));
      c.header('Cache-Control', SHORT_PUBLIC_CACHE);
      return c.json({
        id: campaign.id,
        lang,
        languages: campaign.languages,
        title,
        introduction,
        declaration,
        consentTexts: consentText,
        goal: campaign.goal,
        hashtag: campaign.hashtag,
        privacyUrl: privacyUrlFor(campaign, lang, publicUrl),
        consentVersion: campaign.consentVersion,
        count: await store.count(campaign.id),
      });
    })
    .get('/:campaign/partners', async (c) => {
      const campaign = campaigns.get(c.req.param('campaign'));
      if (!campaign) return send(c, unknownCampaign);
      await origins.fresh();
      const partners = origins
        .list()
        .filter(({ listed }) => listed)
        .sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))
        .map(({ id, name, url, logo }) => ({ id, name, ...(url ? { url } : {}), ...(logo ? { logo } : {}) }));
      c.header('Cache-Control', PARTNERS_CACHE);
      return c.json({ partners } satisfies PartnersAnswer);
    });
}
