/** Public campaign information: what the widget shows before anyone signs. The count alone is count.ts. */
import { Hono } from 'hono';
import { privacyUrlFor, type CampaignCatalog } from '../campaigns.js';
import type { SignatureStore } from '../store/signature-store.js';
import { send, unknownCampaign } from '../http/api-reply.js';
import { SHORT_PUBLIC_CACHE } from './count.js';

export interface CampaignRoutesDeps {
  campaigns: CampaignCatalog;
  store: SignatureStore;
  /** Base for campaign links given as paths, such as privacyUrl `/privacy`. */
  publicUrl: string;
}

export function campaignRoutes({ campaigns, store, publicUrl }: CampaignRoutesDeps) {
  return new Hono().get('/:campaign', async (c) => {
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
      consentText,
      goal: campaign.goal,
      hashtag: campaign.hashtag,
      privacyUrl: privacyUrlFor(campaign, lang, publicUrl),
      consentVersion: campaign.consentVersion,
      count: await store.count(campaign.id),
    });
  });
}
