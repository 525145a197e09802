/**
 * The declaration as a printable page, one per campaign and language (`/declaration/:campaign/:lang`):
 * for partners to link to, print, or hand out at an event. The campaign's texts alone, in the
 * layout of our own pages, with print styles (pages.css). Public and the same for everyone, so
 * caches may keep it for a few minutes.
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { CampaignCatalog } from '../campaigns.js';
import { renderPage } from '../pages/page.js';

export function declarationRoutes({ campaigns }: { campaigns: CampaignCatalog }) {
  return new Hono().get('/declaration/:campaign/:lang', (c, next) => {
    const campaign = campaigns.get(c.req.param('campaign'));
    const lang = c.req.param('lang');
    // Only the languages the campaign has a file for: one address per text.
    if (!campaign?.languages.includes(lang)) return next();
    const { title, introduction, declaration } = campaign.texts(lang);
    const body = html`<p class="introduction">${introduction}</p>
      <ol class="declaration">
        ${declaration.map((paragraph) => html`<li>${paragraph}</li>`)}
      </ol>`;
    return renderPage(c, { lang, heading: title, body, cache: 'public, max-age=300' });
  });
}
