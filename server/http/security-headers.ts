/**
 * Security headers on every response. Two policies, by what the response is for:
 * - the API and the widget's scripts are fetched from partners' pages and are never documents.
 *   They get only the headers that mean something for JSON and scripts: nosniff, a
 *   Cross-Origin-Resource-Policy of `cross-origin`, a CSP that allows nothing (should one be
 *   opened as a page), no referrer, HSTS. Headers for documents (X-Frame-Options, COOP,
 *   Origin-Agent-Cluster, ...) would be bytes on every counter poll for nothing;
 * - our own pages (demo, privacy notice, signer links) are documents, and get those as well,
 *   with a CSP that allows what they load from us.
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

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

const forOwnPages = secureHeaders({
  contentSecurityPolicy: {
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
  },
  // A page that sets a header itself keeps it: the development outbox's view of a mail's HTML
  // part sets a stricter policy than this one.
  overwrite: false,
});

export const securityHeaders: MiddlewareHandler = (c, next) =>
  SHARED_WITH_PARTNERS.test(c.req.path) ? forPartners(c, next) : forOwnPages(c, next);
