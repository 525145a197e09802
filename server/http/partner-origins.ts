/**
 * Which pages may sign, and for which partner. Partners come from two places: the
 * PARTNER_ORIGINS setting, and those the organisers register through the admin API (kept in the
 * store, so every process sees them).
 *
 * PARTNER_ORIGINS unset: any page may sign. Set (even to `{}`): browsers may sign only from a
 * registered partner's origin (of either kind) or the server's own. Either way, a signature is
 * attributed to a registered partner only from that partner's origins; a partner id nobody
 * registered is recorded as given while any page may sign, and as none otherwise. Reading
 * (campaign, count, stream, challenge) stays open to every origin.
 *
 * An Origin header proves nothing outside a browser: a script can send any. So a request
 * without one (another server, a script) is judged on its content alone: it may sign, but is
 * never attributed to a registered partner, and no page is recorded for it; only a browser's
 * Origin shows that the page was the partner's. The iframe embed is a page of this server: from
 * it, the page it names (the one that frames it) stands for the Origin (routes/signatures.ts).
 *
 * The stored partners are read at the first request and again when a read is older than
 * REFRESH_MS, without making a request wait; a change made through this process is seen at once.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { PartnerOrigins } from '../config.js';
import type { Partner } from '../store/signature-store.js';

const SIGNING_PATH = /^\/api\/campaigns\/[^/]+\/signatures\/?$/;
/** Admin endpoints take a bearer token; no other origin's page is meant to call them. */
const ADMIN_PATH = /^\/api\/admin(\/|$)/;
/** How stale another process's change to the partners may be. */
export const REFRESH_MS = 10_000;
/** The response headers a page at another origin may read. */
const EXPOSED_HEADERS = ['ETag', 'Retry-After'];
const OPEN_TO_ANY = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': EXPOSED_HEADERS.join(',') };
const LIMITED = { 'Access-Control-Expose-Headers': EXPOSED_HEADERS.join(','), Vary: 'Origin' };

/** A partner of the PARTNER_ORIGINS setting, which has only origins, is not on the public list. */
const UNLISTED = { listed: false, url: null, logo: null, position: 0 };

/** A registered partner, and whether it comes from PARTNER_ORIGINS (then it cannot be changed through the API). */
export type RegisteredPartner = Partner & { fromSettings: boolean };

export class PartnerOriginPolicy {
  private partners = new Map<string, RegisteredPartner>();
  /** Undefined while any origin may sign. */
  private signingOrigins?: ReadonlySet<string>;
  /** The server's own origin (PUBLIC_URL's): its pages, the iframe embed among them, may always sign. */
  readonly ownOrigin: string;
  private loading?: Promise<void>;
  private loadedAt = -Infinity;

  constructor(
    private readonly settings: PartnerOrigins | undefined,
    publicUrl: string,
    /** The partners registered through the admin API; none when absent. */
    private readonly loadStored: () => Promise<Partner[]> = async () => [],
    private readonly now: () => number = Date.now,
  ) {
    this.ownOrigin = new URL(publicUrl).origin;
    this.use([]);
  }

  /** Resolves once the stored partners have been read at least once; refreshes them in the background when stale. */
  fresh(): Promise<void> {
    if (this.now() - this.loadedAt < REFRESH_MS) return Promise.resolve();
    const first = this.loadedAt === -Infinity;
    const loading = this.reload();
    return first ? loading : Promise.resolve();
  }

  /**
   * Reads the stored partners again (after a change through the admin API). Never rejects: while
   * the store cannot be read, the partners read last stay, and the next request tries again.
   */
  reload(): Promise<void> {
    this.loading ??= this.loadStored()
      .then((stored) => {
        this.use(stored);
        this.loadedAt = this.now();
      })
      .catch(() => undefined)
      .finally(() => (this.loading = undefined));
    return this.loading;
  }

  /** Every registered partner, those of the settings first. */
  list(): RegisteredPartner[] {
    return [...this.partners.values()];
  }

  get(id: string): RegisteredPartner | undefined {
    return this.partners.get(id);
  }

  /** Whether a request with this Origin header may sign. */
  maySign(origin: string | undefined): boolean {
    return !this.signingOrigins || origin === undefined || this.signingOrigins.has(origin);
  }

  /**
   * The partner to record for a signature that names `partner`: it, or none. A registered one
   * only from one of its origins, never without Origin. An id nobody registered has no origins
   * to check, so it is self-declared with or without Origin (a script can send any): recorded as
   * given while any page may sign, and as none once PARTNER_ORIGINS limits signing.
   */
  partnerFor(partner: string | undefined, origin: string | undefined): string | undefined {
    if (partner === undefined) return undefined;
    const registered = this.partners.get(partner);
    if (!registered) return this.settings ? undefined : partner;
    return origin !== undefined && registered.origins.includes(origin) ? partner : undefined;
  }

  /**
   * The CORS headers of an answer that is not a preflight. While signing is limited, a signing
   * answer names the origin only if it may sign, and caches keep the answers apart by Origin;
   * every other answer may be read from any origin.
   */
  corsHeaders(signing: boolean, origin: string | undefined): Readonly<Record<string, string>> {
    if (!signing || !this.signingOrigins) return OPEN_TO_ANY;
    return origin && this.maySign(origin) ? { ...LIMITED, 'Access-Control-Allow-Origin': origin } : LIMITED;
  }

  /**
   * CORS for the routes Hono serves under /api: admin from none (no CORS headers), preflights as
   * Hono's cors answers them (signing's only from the origins that may sign), other answers with
   * corsHeaders. Also keeps the partners fresh for what follows.
   *
   * The headers go on an answer once the handler has made it: set on `c.res` before, as Hono's
   * cors does, they make Hono copy every answer into a new Response with a streamed body.
   */
  cors(): MiddlewareHandler {
    const options = {
      allowMethods: ['GET', 'HEAD', 'POST'],
      allowHeaders: ['Content-Type', 'If-None-Match'],
      exposeHeaders: EXPOSED_HEADERS,
      maxAge: 7200,
    };
    const preflightFromAny = cors({ ...options, origin: '*' });
    const preflightToSign = cors({ ...options, origin: (origin) => (origin && this.maySign(origin) ? origin : null) });
    return async (c, next) => {
      if (ADMIN_PATH.test(c.req.path)) return next();
      await this.fresh();
      const signing = SIGNING_PATH.test(c.req.path);
      if (c.req.method === 'OPTIONS') return signing && this.signingOrigins ? preflightToSign(c, next) : preflightFromAny(c, next);
      await next();
      const { headers } = c.res;
      for (const [name, value] of Object.entries(this.corsHeaders(signing, c.req.header('Origin')))) {
        if (name === 'Vary') headers.append(name, value);
        else headers.set(name, value);
      }
    };
  }

  private use(stored: Partner[]) {
    // hasOwn-safe: a Map, so a partner id such as "constructor" finds nothing of Object's.
    const partners = new Map<string, RegisteredPartner>();
    for (const [id, origins] of Object.entries(this.settings ?? {}))
      partners.set(id, { ...UNLISTED, id, name: id, origins, fromSettings: true });
    for (const partner of stored) if (!partners.has(partner.id)) partners.set(partner.id, { ...partner, fromSettings: false });
    this.partners = partners;
    if (this.settings) this.signingOrigins = new Set([this.ownOrigin, ...[...partners.values()].flatMap((p) => p.origins)]);
  }
}
