/**
 * `GET /privacy?lang=bg&campaign=…`: the privacy notice, built from the campaign's content (its
 * controller in campaign.json; its own words for purposes, legal basis and recipients where it
 * gives them) and the server's texts (messages, privacy.*), in the language asked for, else the
 * browser's, else the campaign's default; English stands in field by field. Retention is said
 * from the RETAIN_* settings this server runs with. Public and the same for everyone: cached a
 * few minutes, like the printable declaration.
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import { campaignOrFirst, controllerUnfilled, PRIVACY_PATH, type CampaignCatalog } from '../campaigns.js';
import type { Config } from '../config.js';
import { acceptedLanguages } from '../http/negotiation.js';
import type { MessageCatalog } from '../messages.js';
import { renderPage } from '../pages/page.js';

export interface PrivacyRoutesDeps {
  campaigns: CampaignCatalog;
  messages: MessageCatalog;
  config: Pick<Config, 'retainUnconfirmedDays' | 'retainConfirmedDays'>;
}

export function privacyRoutes({ campaigns, messages, config }: PrivacyRoutesDeps) {
  return new Hono().get(PRIVACY_PATH, (c, next) => {
    const campaign = campaignOrFirst(campaigns, c.req.query('campaign'));
    if (!campaign) return next();
    const wanted = c.req.query('lang');
    // The campaign's texts and the server's in the same language: the nearest both have.
    const { title, privacy = {}, lang } = campaign.texts(wanted, ...acceptedLanguages(c.req.header('Accept-Language')));
    const m = messages.in(lang);
    const { controller } = campaign;
    const named = controller && !controllerUnfilled(controller);
    const contact = named ? controller.email : undefined;
    const section = (heading: string, ...paragraphs: unknown[]) => html`<h2>${heading}</h2>
      ${paragraphs.map((text) => html`<p>${text}</p>`)}`;
    const retention = [
      m.text('privacy.retention.unconfirmed', { days: config.retainUnconfirmedDays }),
      config.retainConfirmedDays
        ? m.text('privacy.retention.confirmed_days', { days: config.retainConfirmedDays })
        : m.text('privacy.retention.confirmed_campaign'),
    ];
    const body = html`<p>${m.text('privacy.intro', { title })}</p>
      ${
        named
          ? section(
              m.text('privacy.controller.heading'),
              m.text('privacy.controller.text', { controller: controller.name, address: controller.address }),
              m.text('privacy.contact', { email: controller.email }),
              ...(controller.dpo ? [m.text('privacy.dpo', { dpo: controller.dpo })] : []),
            )
          : ''
      }
      <h2>${m.text('privacy.kept.heading')}</h2>
      <ul>
        ${(['identity', 'organisation', 'context', 'choices'] as const).map((item) => html`<li>${m.text(`privacy.kept.${item}`)}</li>`)}
      </ul>
      <p>${m.text('privacy.kept.not')}</p>
      ${section(m.text('privacy.purposes.heading'), privacy.purposes ?? m.text('privacy.purposes'))}
      ${section(m.text('privacy.legal_basis.heading'), privacy.legalBasis ?? m.text('privacy.legal_basis'))}
      ${section(m.text('privacy.recipients.heading'), privacy.recipients ?? m.text('privacy.recipients'))}
      ${section(m.text('privacy.retention.heading'), ...retention)}
      ${section(
        m.text('privacy.rights.heading'),
        m.text('privacy.rights.withdraw'),
        ...(contact ? [m.text('privacy.rights.access', { email: contact })] : []),
        m.text('privacy.rights.complaint'),
      )}`;
    // Without ?lang=, the browser's language chose.
    c.header('Vary', 'Accept-Language');
    return renderPage(c, { lang: m.lang, heading: m.text('privacy.title', { title }), body, cache: 'public, max-age=300' });
  });
}
