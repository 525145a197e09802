/**
 * Security headers on every response. Two policies, by what the response is for:
 * - the widget's scripts and the API are loaded and called from partners' pages, so their
 *   Cross-Origin-Resource-Policy is `cross-origin`; they are never documents, so their CSP
 *   allows nothing;
 * - our own pages (demo, privacy notice) get a CSP that allows what they load from us.
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

const SHARED_WITH_PARTNERS = /^\/(?:api|widget)(?:\/|$)/;

const forPartners = secureHeaders({
  crossOriginResourcePolicy: 'cross-origin',
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
});

const forOwnPages = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    // The widget sets a progress bar's width with a style attribute, and pages carry small <style> blocks.
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'self'"],
  },
});

export const securityHeaders: MiddlewareHandler = (c, next) =>
  SHARED_WITH_PARTNERS.test(c.req.path) ? forPartners(c, next) : forOwnPages(c, next);
