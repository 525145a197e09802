/**
 * Security headers on every response. Two policies, by what the response is for:
 * - the API and the widget's scripts are fetched from partners' pages and are never documents.
 *   They get only the headers that mean something for JSON and scripts: nosniff, a
 *   Cross-Origin-Resource-Policy of `cross-origin`, a CSP that allows nothing (should one be
 *   opened as a page), no referrer, HSTS. Headers for documents (X-Frame-Options, COOP,
 *   Origin-Agent-Cluster, ...) would be bytes on every counter poll for nothing;
 * - our own pages (demo, privacy notice, signer links) are documents, and get those as well,
 *   with a CSP that allows what they load from us;
 * - the iframe embed's page is one of ours that partners' pages frame: the same, but any page
 *   may frame it, and the partners wall in it shows partners' logos from their own servers.
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { EMBED_PATH } from '../../contract/embed.js';

const SHARED_WITH_PARTNERS = /^\/(?:api|widget)(?:\/|$)/;

export const PARTNER_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Cross-Origin-Resource-Policy', 'cross-origin'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
];

const forPartners: MiddlewareHandler = async (c, next) => {
  await next();
  for (const [name, value] of PARTNER_HEADERS) c.res.headers.set(name, value);
};

const OWN_PAGES_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  // Pages carry small <style> blocks (the theme gallery, the privacy notice), and the builder's
  // preview sets the accent in a style attribute, as the snippet it shows does. The widget needs
  // neither: its styles are constructed stylesheets, and it sizes its progress bar through the CSSOM.
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'self'"],
};

const forOwnPages = secureHeaders({
  contentSecurityPolicy: OWN_PAGES_CSP,
  // A page that sets a header itself keeps it: the development outbox's view of a mail's HTML
  // part sets a stricter policy than this one.
  overwrite: false,
});

const forEmbed = secureHeaders({
  contentSecurityPolicy: { ...OWN_PAGES_CSP, imgSrc: ["'self'", 'data:', 'https:'], frameAncestors: ['*'] },
  xFrameOptions: false,
  crossOriginResourcePolicy: 'cross-origin',
});

export const securityHeaders: MiddlewareHandler = (c, next) => {
  if (SHARED_WITH_PARTNERS.test(c.req.path)) return forPartners(c, next);
  return c.req.path.startsWith(EMBED_PATH) ? forEmbed(c, next) : forOwnPages(c, next);
};
