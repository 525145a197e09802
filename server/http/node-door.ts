/**
 * The framework-free door: the routes every partner page calls all the time (signing, the count,
 * the count's event stream) served straight from Node's IncomingMessage and ServerResponse;
 * every other request goes on to Hono. Each route has this one door: Hono has no handler for it.
 *
 * Why: through Hono and @hono/node-server, each request also builds a web Request, Headers and
 * a Response, and runs the middleware chain; these are the routes whose speed the project holds
 * to a floor against a bare server (`npm run bench`, docs/performance.md).
 *
 * A route here is a function from the request to an ApiReply (or ANSWERED, when it wrote the
 * response itself, as the event stream does). What Hono's middleware does for the other API
 * routes, this module does for these, with the same helpers: the partner security headers, CORS
 * (PartnerOriginPolicy.corsHeaders; preflights stay with Hono's cors), the request log line, the
 * 503 of a store that cannot serve, and the 500 of an error nobody handled.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import { StoreUnavailableError } from '../store/store-health.js';
import { storeUnavailable, unhandledError, type ApiReply } from './api-reply.js';
import type { PartnerOriginPolicy } from './partner-origins.js';
import { logRequest } from './request-log.js';
import { drain } from './request-body.js';
import { PARTNER_HEADERS } from './security-headers.js';

/** What a route gives when it has written the response itself. */
export const ANSWERED: unique symbol = Symbol('answered');

export interface DoorRequest {
  /** The path's capture groups, decoded. */
  params: string[];
  query: URLSearchParams;
  incoming: IncomingMessage;
  outgoing: ServerResponse;
  /**
   * What every answer of the route carries (security headers, CORS), as name, value, name,
   * value…: a route that writes its response itself (ANSWERED) passes them to its writeHead.
   */
  headers: string[];
}

export interface DoorRoute {
  /** GET routes answer HEAD as well, without the body. */
  method: 'GET' | 'POST';
  /** The route's pattern, for the request log; absent: not logged (a stream's life is not a request's). */
  pattern?: string;
  /** Matches the whole path (escapes not yet decoded); its capture groups become `params`. */
  path: RegExp;
  /** Whether answers follow the signing origins (see PartnerOriginPolicy.corsHeaders). */
  signing?: boolean;
  handle(request: DoorRequest): Promise<ApiReply | typeof ANSWERED>;
}

export interface NodeDoorDeps {
  routes: DoorRoute[];
  origins: PartnerOriginPolicy;
  logger: Logger;
}

/** Serves a request if it is one of the door's routes (true), or leaves it alone (false). */
export type NodeDoor = (incoming: IncomingMessage, outgoing: ServerResponse) => boolean;

/** Only for parsing: the routes read the path and query of a request's URL, never its host. */
const BASE = 'http://door.invalid';
const SECURITY = PARTNER_HEADERS.flat();

export function createNodeDoor({ routes, origins, logger }: NodeDoorDeps): NodeDoor {
  const serve = async (route: DoorRoute, request: DoorRequest) => {
    const start = performance.now();
    const { incoming, outgoing, headers } = request;
    const method = incoming.method!;
    let reply: ApiReply | typeof ANSWERED;
    try {
      await origins.fresh();
      const cors = origins.corsHeaders(route.signing ?? false, incoming.headers.origin);
      for (const name in cors) headers.push(name, cors[name]!);
      reply = await route.handle(request);
    } catch (error) {
      reply = error instanceof StoreUnavailableError ? storeUnavailable : unhandledError(logger, method, route.pattern ?? '', error);
    }
    if (reply !== ANSWERED && !outgoing.headersSent) write(outgoing, reply, headers);
    if (route.pattern) logRequest(logger, method, route.pattern, outgoing.statusCode, start);
    // A body still arriving that the answer did not need (Node itself drops one already received).
    if (!incoming.complete) outgoing.once('finish', () => drain(incoming));
  };

  return (incoming, outgoing) => {
    const method = incoming.method === 'HEAD' ? 'GET' : incoming.method;
    let url: URL;
    try {
      url = new URL(incoming.url ?? '/', BASE);
    } catch {
      return false;
    }
    for (const route of routes) {
      if (route.method !== method) continue;
      const match = route.path.exec(url.pathname);
      const params = match && decodeAll(match.slice(1));
      if (!params) continue;
      void serve(route, { params, query: url.searchParams, incoming, outgoing, headers: [...SECURITY] });
      return true;
    }
    return false;
  };
}

/** Path segments with their escapes decoded, as Hono decodes its parameters; null if one is malformed. */
function decodeAll(segments: string[]): string[] | null {
  try {
    return segments.map((segment) => (segment.includes('%') ? decodeURIComponent(segment) : segment));
  } catch {
    return null;
  }
}

/**
 * Every header goes in one writeHead, as a flat list: Node then builds the head from it directly,
 * without the header map that setHeader keeps (a signature's answer is on the bench's hot path).
 */
function write(outgoing: ServerResponse, { status, body, headers }: ApiReply, shared: string[]) {
  for (const name in headers) shared.push(name, headers[name]!);
  if (body === undefined) {
    outgoing.writeHead(status, shared).end();
    return;
  }
  const text = JSON.stringify(body);
  shared.push('Content-Type', 'application/json', 'Content-Length', String(Buffer.byteLength(text)));
  outgoing.writeHead(status, shared).end(text);
}
