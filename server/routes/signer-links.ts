/**
 * Where the links in the signer's mail land: `/confirm?token=…` and `/withdraw?token=…`.
 *
 * A GET only shows a page with a button; the button POSTs the token, and only that acts. Mail
 * security scanners and link previews fetch links, and must not confirm or withdraw anything.
 * The pages are in the signer's language (from their signature), else the browser's.
 */
import { Hono, type Context } from 'hono';
import { shareByEmail, shareLinks } from '../../contract/share.js';
import { bodyLimit } from 'hono/body-limit';
import { html } from 'hono/html';
import { campaignOrFirst, privacyUrlFor, type CampaignCatalog } from '../campaigns.js';
import { CONFIRM_LINK_DAYS, hashLinkToken, isLinkToken } from '../link-tokens.js';
import type { MessageCatalog, Messages } from '../messages.js';
import { acceptedLanguages } from '../http/negotiation.js';
import { renderPage } from '../pages/page.js';
import { detailLines } from '../signature-details.js';
import type { LinkPurpose, LinkResult, LinkTarget, SignatureDetails, SignatureStore } from '../store/signature-store.js';

export interface SignerLinkRoutesDeps {
  store: SignatureStore;
  campaigns: CampaignCatalog;
  messages: MessageCatalog;
  now: () => number;
  /** Where the campaign's own page is: what the share step links to when no partner page was recorded. */
  publicUrl: string;
}

type Ready = Extract<LinkResult, { outcome: 'ready' }>;

const UNKNOWN: LinkResult = { outcome: 'unknown' };
const PURPOSES: readonly LinkPurpose[] = ['confirm', 'withdraw'];

export function signerLinkRoutes({ store, campaigns, messages, now, publicUrl }: SignerLinkRoutesDeps) {
  /** The texts in `lang` (the signer's, when known), else in the first the browser asks for that we have. */
  const textsIn = (c: Context, lang: string | undefined): Messages =>
    messages.in(lang, ...acceptedLanguages(c.req.header('Accept-Language')));
  const textsFor = (c: Context, link: LinkResult): Messages => textsIn(c, link.outcome === 'unknown' ? undefined : link.lang);

  /** The link to the privacy notice in the page's language, of the signature's campaign (else the first). */
  const privacyLink = (m: Messages, campaignId?: string) => {
    const campaign = campaignOrFirst(campaigns, campaignId);
    return campaign ? html`<p><a href="${privacyUrlFor(campaign, m.lang, publicUrl)}">${m.text('privacy.link')}</a></p>` : undefined;
  };

  /**
   * The page with the button, for a link that can act, showing first what the button confirms or
   * withdraws. Withdrawing erases: keeping the signature comes first, and is the way out that
   * needs no decision; the withdraw button is styled as what it is (pages.css).
   */
  const askPage = (c: Context, purpose: LinkPurpose, link: Ready, token: string) => {
    const m = textsFor(c, link);
    const title = campaigns.get(link.campaign)?.texts(m.lang).title ?? link.campaign;
    const body = html`<p>${m.text(`page.${purpose}.text`, { title })}</p>
      ${detailsList(link.details, m)}
      <div class="choices">
        ${purpose === 'withdraw' ? html`<a class="button" href="/withdraw/kept?lang=${m.lang}">${m.text('page.withdraw.keep')}</a>` : ''}
        <form method="post" action="/${purpose}">
          <input type="hidden" name="token" value="${token}">
          <button type="submit">${m.text(`page.${purpose}.button`)}</button>
        </form>
      </div>`;
    return renderPage(c, { lang: m.lang, heading: m.text(`page.${purpose}.heading`), body, footer: privacyLink(m, link.campaign) });
  };

  /** How things stand: after the button, or for a link that cannot act (any more). */
  const resultPage = async (c: Context, link: LinkResult) => {
    const outcome = link.outcome === 'ready' ? 'unknown' : link.outcome; // callers show `ready` links the button
    const m = textsFor(c, link);
    const count = link.outcome === 'confirmed' ? new Intl.NumberFormat(m.lang).format(await store.count(link.campaign)) : '';
    const text = m.text(`page.${outcome}.text`, { count, days: CONFIRM_LINK_DAYS });
    const status = outcome === 'unknown' ? 404 : outcome === 'expired' ? 410 : 200;
    const body = html`<p>${text}</p>${link.outcome === 'confirmed' ? nowItCounts(link, m) : ''}`;
    const footer = privacyLink(m, link.outcome === 'unknown' ? undefined : link.campaign);
    return renderPage(c, { lang: m.lang, heading: m.text(`page.${outcome}.heading`), body, footer }, status);
  };

  /**
   * Once a signature counts: the campaign it counts for, the share step the widget offers (the
   * same networks and text, for the page it was signed on, so its partner keeps the credit), and
   * the way back to that page.
   */
  const nowItCounts = ({ campaign: id, page }: LinkTarget, m: Messages) => {
    const campaign = campaigns.get(id);
    if (!campaign) return '';
    const { title } = campaign.texts(m.lang);
    const url = page ?? `${publicUrl}/`;
    const text = m.text('page.share.text', { hashtag: campaign.hashtag });
    return html`<p class="campaign">${title}</p>
      <section class="share">
        <h2>${m.text('page.share.heading')}</h2>
        <ul>
          ${shareLinks(text, url).map(([name, href]) => html`<li><a href="${href}" rel="noopener noreferrer">${name}</a></li>`)}
          <li><a href="${shareByEmail(title, text, url)}">${m.text('page.share.email')}</a></li>
        </ul>
      </section>
      ${page ? html`<p><a href="${page}">${m.text('page.confirmed.back')}</a></p>` : ''}`;
  };

  const app = new Hono();
  // Where "keep my signature" leads: nothing changes, and the page says so.
  app.get('/withdraw/kept', (c) => {
    const m = textsIn(c, c.req.query('lang'));
    const body = html`<p>${m.text('page.kept.text')}</p>`;
    return renderPage(c, { lang: m.lang, heading: m.text('page.kept.heading'), body, footer: privacyLink(m) });
  });
  for (const purpose of PURPOSES) {
    app.get(`/${purpose}`, async (c) => {
      const token = c.req.query('token');
      if (!isLinkToken(token)) return resultPage(c, UNKNOWN);
      const link = await store.findLink(purpose, hashLinkToken(token), now());
      return link.outcome === 'ready' ? askPage(c, purpose, link, token) : resultPage(c, link);
    });

    app.post(`/${purpose}`, bodyLimit({ maxSize: 1024, onError: (c) => c.text('Payload too large', 413) }), async (c) => {
      // A body that does not parse (a multipart one without its boundary, cut short) is bad input.
      const form = await c.req.parseBody().catch(() => undefined);
      if (!form) return c.text('Bad request', 400);
      const { token } = form;
      if (!isLinkToken(token)) return resultPage(c, UNKNOWN);
      const hash = hashLinkToken(token);
      return resultPage(c, purpose === 'confirm' ? await store.confirm(hash, now()) : await store.withdraw(hash, now()));
    });
  }
  return app;
}

/** What a signature's details are, as data: each value isolated (`bdi`), so that no direction it has spills over. */
function detailsList(details: SignatureDetails, m: Messages) {
  const lines = detailLines(details, m);
  return html`<p>${m.text('details.intro')}</p>
    <dl>
      ${lines.filter(({ label }) => label).map(({ label, text }) => html`<dt>${label}</dt><dd><bdi>${text}</bdi></dd>`)}
    </dl>
    ${lines.filter(({ label }) => !label).map(({ text }) => html`<p>${text}</p>`)}`;
}
