/**
 * The iframe embed, for partner sites whose editors may paste an `<iframe>` but not a `<script>`:
 * `GET /embed/:campaign?partner=…&lang=…&variant=…&color-scheme=…&accent=…` is a page that holds
 * the element alone, on a transparent background, and tells the page that frames it how tall it
 * is (widget/embed-frame.ts; the partner's page may run widget/embed-resizer.ts to follow).
 * Signing in it is attributed as the widget on the partner's own page would be: see
 * routes/signatures.ts.
 *
 * `GET /oembed?url=…&format=json`: oEmbed 1.0, for CMSs that embed from a pasted link; the embed
 * page names it in a discovery `<link>`.
 *
 * Bad parameters get a 400 naming them, as every API call does: the address is the webmaster's
 * to fix, and an iframe that shows the wrong thing quietly would hide that.
 */
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import * as z from 'zod';
import {
  EMBED_COLOR_SCHEMES,
  EMBED_HEIGHTS,
  EMBED_PATH,
  EMBED_VARIANTS,
  HEX_COLOR,
  embedUrl,
  iframeSnippet,
  type EmbedOptions,
} from '../../contract/embed.js';
import { checkField } from '../../contract/signature.js';
import type { Campaign, CampaignCatalog } from '../campaigns.js';
import { nearestLanguage } from '../content-files.js';
import { apiError, send, unknownCampaign } from '../http/api-reply.js';
import { acceptedLanguages } from '../http/negotiation.js';
import { parseQuery } from '../http/request-query.js';
import { htmlDocument } from '../pages/page.js';

export interface EmbedRoutesDeps {
  campaigns: CampaignCatalog;
  /** The server's public address: the embed addresses oEmbed knows are under it. */
  publicUrl: string;
}

/** The same for everyone asking in one language: a few minutes in caches, as the widget's script. */
const EMBED_CACHE = 'public, max-age=300';
/** How long an oEmbed consumer may keep an answer, in seconds. */
const OEMBED_CACHE_AGE = 86_400;
/** oEmbed's `width` where the consumer sets no maximum: the snippet fills its column, up to this. */
const OEMBED_WIDTH = 720;

/**
 * The embed page's parameters, for `campaign`; those it does not know are ignored, as a page's
 * are. A regional language tag finds its language (`de-AT` → `de`), as on the element.
 */
const embedQuery = (campaign: Campaign) =>
  z.object({
    partner: z
      .string()
      .refine((value) => !checkField('partner', value))
      .optional(),
    lang: z
      .string()
      .transform((lang) => nearestLanguage(lang, campaign.languages))
      .pipe(z.string())
      .optional(),
    variant: z.enum(EMBED_VARIANTS).optional(),
    'color-scheme': z.enum(EMBED_COLOR_SCHEMES).optional(),
    accent: z.string().regex(HEX_COLOR).optional(),
  });

/**
 * The embed's campaign, its title and options from `query` (the request's own, or the embed
 * address's that oEmbed is asked about), or the answer that names what is wrong. The language is
 * the one asked for, else the visitor's nearest the campaign has (Accept-Language).
 */
function parseEmbed(
  c: Context,
  catalog: CampaignCatalog,
  id: string,
  query: Record<string, string>,
): { campaign: Campaign; title: string; options: EmbedOptions & { lang: string } } | Response {
  const campaign = catalog.get(id);
  if (!campaign) return send(c, unknownCampaign);
  const parsed = parseQuery(c, embedQuery(campaign), query);
  if (parsed instanceof Response) return parsed;
  const { partner, variant, accent, 'color-scheme': colorScheme } = parsed;
  const { title, lang } = campaign.texts(parsed.lang, ...acceptedLanguages(c.req.header('Accept-Language')));
  return { campaign, title, options: { campaign: campaign.id, partner, lang, variant, colorScheme, accent } };
}

export function embedRoutes({ campaigns, publicUrl }: EmbedRoutesDeps) {
  const oembedUrl = (embed: string) => {
    const url = new URL('/oembed', publicUrl);
    url.searchParams.set('url', embed);
    url.searchParams.set('format', 'json');
    return url.href;
  };

  return new Hono()
    .get(`${EMBED_PATH}:campaign`, (c) => {
      const parsed = parseEmbed(c, campaigns, c.req.param('campaign'), c.req.query());
      if (parsed instanceof Response) return parsed;
      const { campaign, title, options } = parsed;
      // The address as asked for, language included, so that an oEmbed consumer gets this page.
      const canonical = embedUrl(publicUrl, options);
      const element = html`<cohesion-declaration campaign="${campaign.id}" lang="${options.lang}"${attribute('partner', options.partner)}${attribute('variant', options.variant)}${attribute('color-scheme', options.colorScheme)}${attribute('style', options.accent && `--cohesion-color-accent: ${options.accent}`)}></cohesion-declaration>`;
      c.header('Cache-Control', EMBED_CACHE);
      c.header('Vary', 'Accept-Language');
      const head = html`<link rel="alternate" type="application/json+oembed" href="${oembedUrl(canonical)}" title="${title}">
    <style>html, body { margin: 0; background: transparent; }</style>
    <script type="module" src="/widget/cohesion-declaration.js"></script>
    <script src="/widget/embed-frame.js" defer></script>`;
      return c.html(htmlDocument(options.lang, title, head, element));
    })
    .get('/oembed', (c) => {
      // Asked for by CMSs' servers and by tools in the browser alike.
      c.header('Access-Control-Allow-Origin', '*');
      const format = c.req.query('format') ?? 'json';
      if (format !== 'json') return send(c, apiError(501, 'bad_request', 'Only the json format is offered.', { format: 'invalid' }));
      const fields: Record<string, string> = {};
      const maxWidth = dimension(c, 'maxwidth', fields);
      const maxHeight = dimension(c, 'maxheight', fields);
      const url = parseUrl(c.req.query('url'));
      if (!url) fields.url = 'invalid';
      if (Object.keys(fields).length) return send(c, apiError(400, 'invalid_query', 'Some parameters are not valid.', fields));
      const id = url!.origin === new URL(publicUrl).origin ? embedCampaign(url!.pathname) : undefined;
      if (id === undefined)
        return send(c, apiError(404, 'not_found', 'The address is not an embed address of this server.', { url: 'invalid' }));
      const parsed = parseEmbed(c, campaigns, id, Object.fromEntries(url!.searchParams));
      if (parsed instanceof Response) return parsed;
      const { campaign, title, options } = parsed;
      const height = Math.min(EMBED_HEIGHTS[options.variant ?? 'full'], maxHeight ?? Infinity);
      c.header('Cache-Control', EMBED_CACHE);
      return c.json({
        version: '1.0',
        type: 'rich',
        title,
        provider_name: campaign.hashtag,
        provider_url: new URL('/', publicUrl).href,
        cache_age: OEMBED_CACHE_AGE,
        width: Math.min(OEMBED_WIDTH, maxWidth ?? Infinity),
        height,
        html: iframeSnippet(publicUrl, options, title, height),
      });
    });
}

/** ` name="value"`, escaped, for a value that is set; nothing otherwise. */
const attribute = (name: string, value: string | undefined) => (value ? html` ${name}="${value}"` : '');

function parseUrl(value: string | undefined): URL | undefined {
  try {
    return value ? new URL(value) : undefined;
  } catch {
    return undefined;
  }
}

/** The campaign id of an embed page's path, or undefined for any other path. */
function embedCampaign(pathname: string): string | undefined {
  const match = new RegExp(`^${EMBED_PATH}([^/]+)$`).exec(pathname);
  try {
    return match ? decodeURIComponent(match[1]!) : undefined;
  } catch {
    return undefined;
  }
}

/** oEmbed's maxwidth or maxheight: a positive whole number of pixels, or absent; else noted in `fields`. */
function dimension(c: Context, name: string, fields: Record<string, string>): number | undefined {
  const value = c.req.query(name);
  if (value === undefined) return undefined;
  if (/^[1-9]\d{0,4}$/.test(value)) return Number(value);
  fields[name] = 'invalid';
  return undefined;
}
