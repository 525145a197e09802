/**
 * The iframe embed, for partner sites whose editors may paste an `<iframe>` but not a `<script>`:
 * its address (`/embed/:campaign?partner=…&lang=…&variant=…&color-scheme=…&accent=…`), the
 * snippet that frames it, and the messages between the embed page and the optional resizer on
 * the partner's page. Written once, here: the server's embed page and oEmbed answer, the
 * embed-code builder and both scripts use it. No DOM and no Node.
 */

/** The element's variants and colour schemes, as its attributes and the embed address take them. */
export const EMBED_VARIANTS = ['full', 'compact', 'counter', 'supporters', 'partners'] as const;
export type EmbedVariant = (typeof EMBED_VARIANTS)[number];
export const EMBED_COLOR_SCHEMES = ['light', 'dark', 'auto'] as const;
export type EmbedColorScheme = (typeof EMBED_COLOR_SCHEMES)[number];

/** What an embed shows; everything but the campaign is optional, as on the element. */
export interface EmbedOptions {
  campaign: string;
  partner?: string;
  lang?: string;
  variant?: EmbedVariant;
  colorScheme?: EmbedColorScheme;
  /** `--cohesion-color-accent`, as `#rgb` or `#rrggbb`. */
  accent?: string;
}

/** An accent the embed page may put into its style: a hex colour and nothing else. */
export const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/**
 * The iframe's height before its page says how tall it is (and for good, where the partner's
 * page may not run the resizer): the variant's content in a column of 320 px or wider, in its
 * longest language, so that no scrollbar shows; the walls with room for their first rows.
 * Held by test/browser/iframe-embed.test.ts.
 */
export const EMBED_HEIGHTS: Readonly<Record<EmbedVariant, number>> = {
  full: 1500,
  compact: 340,
  counter: 300,
  supporters: 560,
  partners: 400,
};

export const EMBED_PATH = '/embed/';

/** The embed page's address on `server` (an origin or base URL), with the options that are set. */
export function embedUrl(server: string, { campaign, partner, lang, variant, colorScheme, accent }: EmbedOptions): string {
  const url = new URL(`${EMBED_PATH}${encodeURIComponent(campaign)}`, server);
  const query: Array<[string, string | undefined]> = [
    ['partner', partner],
    ['lang', lang],
    ['variant', variant === 'full' ? undefined : variant],
    ['color-scheme', colorScheme],
    ['accent', accent],
  ];
  for (const [name, value] of query) if (value) url.searchParams.set(name, value);
  return url.href;
}

/** A value for a double-quoted HTML attribute of a snippet. */
export const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The snippet a partner pastes: one `<iframe>` with a title, lazy, borderless, as wide as its
 * column and as tall as the variant's default (or `height`).
 */
export function iframeSnippet(
  server: string,
  options: EmbedOptions,
  title: string,
  height = EMBED_HEIGHTS[options.variant ?? 'full'],
): string {
  return (
    `<iframe src="${escapeAttribute(embedUrl(server, options))}" title="${escapeAttribute(title)}" loading="lazy" ` +
    `style="display: block; inline-size: 100%; block-size: ${height}px; border: 0;"></iframe>`
  );
}

/**
 * The messages between an embed page and the resizer on the page that frames it: the embed page
 * posts its height, on load and whenever it changes; the resizer, which may load later, asks for
 * it once.
 */
export const HEIGHT_MESSAGE = 'cohesion-declaration:height';
export const HEIGHT_REQUEST = 'cohesion-declaration:height?';
/** A height outside this is no widget's: the resizer ignores it. */
export const MAX_EMBED_HEIGHT = 10_000;
