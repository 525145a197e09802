/**
 * The partners' banners (`GET /api/campaigns/:campaign/banner.svg` and `banner.png`): their sizes
 * and addresses, for the server that draws them (server/routes/banners.ts) and the embed-code
 * builder that links to them. No DOM and no Node.
 */

/** The Interactive Advertising Bureau's standard sizes that partners ask for most. */
export const BANNER_SIZES = ['728x90', '468x60', '320x100', '300x250', '160x600'] as const;
export type BannerSize = (typeof BANNER_SIZES)[number];

/** A banner's address on `server`; `count`: with the live count. */
export function bannerUrl(server: string, campaign: string, format: 'svg' | 'png', size: BannerSize, lang: string, count = false): string {
  const url = new URL(`/api/campaigns/${encodeURIComponent(campaign)}/banner.${format}`, server);
  url.searchParams.set('lang', lang);
  url.searchParams.set('size', size);
  if (count) url.searchParams.set('count', 'on');
  return url.href;
}
