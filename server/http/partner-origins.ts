/**
 * Which pages may sign, and for which partner (PARTNER_ORIGINS). Unset: any page, any partner.
 * Set: browsers may sign only from a registered origin or the server's own, and a signature is
 * attributed to a partner only from that partner's origins. Reading (campaign, count, stream,
 * challenge) stays open to every origin.
 *
 * An Origin header proves nothing outside a browser: a script can send any. So a request
 * without one (another server, a script) is judged on its content alone, and is attributed to
 * the partner it names if that partner is registered, as a partner's own server relaying
 * signatures would need.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { PartnerOrigins } from '../config.js';

const SIGNING_PATH = /^\/api\/campaigns\/[^/]+\/signatures\/?$/;

export class PartnerOriginPolicy {
  /** Undefined while any origin may sign. */
  private readonly signingOrigins?: ReadonlySet<string>;

  constructor(
    private readonly partners: PartnerOrigins | undefined,
    publicUrl: string,
  ) {
    if (partners) this.signingOrigins = new Set([new URL(publicUrl).origin, ...Object.values(partners).flat()]);
  }

  /** Whether a request with this Origin header may sign. */
  maySign(origin: string | undefined): boolean {
    return !this.signingOrigins || origin === undefined || this.signingOrigins.has(origin);
  }

  /** The partner to record for a signature that names `partner`: it, or none. */
  partnerFor(partner: string | undefined, origin: string | undefined): string | undefined {
    if (!this.partners || partner === undefined) return partner;
    // hasOwn: a partner id such as "constructor" must not find Object's.
    const origins = Object.hasOwn(this.partners, partner) ? this.partners[partner] : undefined;
    return origins && (origin === undefined || origins.includes(origin)) ? partner : undefined;
  }

  /** CORS for /api: signing (and its preflight) only from the origins that may sign; the rest from any. */
  cors(): MiddlewareHandler {
    const options = {
      allowMethods: ['GET', 'HEAD', 'POST'],
      allowHeaders: ['Content-Type', 'If-None-Match'],
      exposeHeaders: ['ETag', 'Retry-After'],
      maxAge: 7200,
    };
    const any = cors({ ...options, origin: '*' });
    if (!this.signingOrigins) return any;
    const signing = cors({ ...options, origin: (origin) => (origin && this.maySign(origin) ? origin : null) });
    return (c, next) => (SIGNING_PATH.test(c.req.path) ? signing(c, next) : any(c, next));
  }
}
