/**
 * The Node fast path: the hottest API routes (signing, the count) served straight from Node's
 * IncomingMessage and ServerResponse, ahead of Hono. Through Hono each request builds a web
 * Request with a ReadableStream body, undici Headers and a web Response; profiles of
 * `npm run bench` put that at well over half of the server's CPU, far above the store's work.
 *
 * A fast route has no logic of its own: it calls the same framework-free function as its Hono
 * route (input: path parameters, headers, client address, body; output: an ApiReply), and this
 * module does what Hono's middleware does around it, for these routes: the partner security
 * headers, CORS as PartnerOriginPolicy.cors() answers a request that is not a preflight, the
 * request log line, and the 500 of app.onError. test/server/node-fast-path*.test.ts holds the
 * two doors to the same answers.
 *
 * Only plain requests take it: a listed method and path, a URL with nothing to decode or
 * normalise, an ordinary Host. Anything else (preflights, HEAD, escapes, dot segments, odd
 * hosts) goes to Hono, which stays the reference.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import type { ApiReply } from './api-reply.js';
import { unhandledError } from './api-reply.js';
import { addressOf } from './client-address.js';
import { CORS_EXPOSED_HEADERS, type PartnerOriginPolicy } from './partner-origins.js';
import { logRequest } from './request-log.js';
import { PARTNER_HEADERS } from './security-headers.js';

/** What a body reader gives for a body over the route's limit. */
export const TOO_LARGE: unique symbol = Symbol('request body too large');
export type RequestBody = Uint8Array | typeof TOO_LARGE;

export interface FastRequest {
  /** The path's capture groups, in order. */
  params: string[];
  /** The query string, without `?`; plain (see PLAIN_URL). */
  query: string;
  /** A request header as web Headers give it: all values of that name, joined by `, `. */
  header(name: string): string | undefined;
  /** The client's address, from the socket or (TRUST_PROXY) the proxy's headers. */
  client: string | undefined;
  /** Reads the body, once, up to `maxBodyBytes`. */
  body(): Promise<RequestBody>;
}

export interface FastRoute {
  method: 'GET' | 'POST';
  /** The route's pattern as Hono names it, for the request log. */
  pattern: string;
  /** Matches the whole path; its capture groups become `params`. */
  path: RegExp;
  /** CORS as PartnerOriginPolicy.cors() gives it: signing answers are limited with the signing origins. */
  cors: 'any' | 'signing';
  maxBodyBytes?: number;
  handle(request: FastRequest): Promise<ApiReply>;
}

export interface FastPathDeps {
  routes: FastRoute[];
  origins: PartnerOriginPolicy;
  logger: Logger;
  trustProxy: boolean;
}

/** Serves a request if it is one of the fast routes' (true), or leaves it alone (false). */
export type FastPath = (incoming: IncomingMessage, outgoing: ServerResponse) => boolean;

/**
 * A URL that @hono/node-server passes on as it is (its reValidRequestUrl), less `%` and `+`
 * (which Hono decodes), and `#`: what Hono would route on and read a query from is this text.
 */
const PLAIN_URL = /^\/[!$&-*,-;=?-[\]_a-z~]*$/;
const DOT_SEGMENT = /\/\.\.?(?:[/?]|$)/;
/** A Host that @hono/node-server takes as it is (its reValidHost); others it checks more closely. */
const PLAIN_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/;
/** Like @hono/node-server: what is left of a refused body is read and dropped, up to here, then the connection is closed. */
const DRAIN_BYTES = 64 * 1024 * 1024;
const DRAIN_MS = 500;

/** What the app's middleware puts on every API answer: the partner security headers and the CORS headers any origin gets. */
const SECURITY: OutgoingHttpHeaders = Object.fromEntries(PARTNER_HEADERS);
const OPEN_TO_ANY: OutgoingHttpHeaders = {
  ...SECURITY,
  'access-control-allow-origin': '*',
  'access-control-expose-headers': CORS_EXPOSED_HEADERS.join(','),
};
/** While signing is limited: the origin is named only if it may sign, and caches keep answers apart by Origin. */
const LIMITED: OutgoingHttpHeaders = { ...SECURITY, 'access-control-expose-headers': CORS_EXPOSED_HEADERS.join(','), vary: 'Origin' };

export function createFastPath({ routes, origins, logger, trustProxy }: FastPathDeps): FastPath {
  /** The security and CORS headers, as PartnerOriginPolicy.cors() sets them on an answer that is not a preflight. */
  const baseHeaders = (route: FastRoute, origin: string | undefined): OutgoingHttpHeaders => {
    if (route.cors === 'any' || !origins.limitsSigning) return OPEN_TO_ANY;
    return origin && origins.maySign(origin) ? { ...LIMITED, 'access-control-allow-origin': origin } : LIMITED;
  };

  const serve = async (route: FastRoute, params: string[], query: string, incoming: IncomingMessage, outgoing: ServerResponse) => {
    const start = performance.now();
    const header = headerOf(incoming);
    let reply: ApiReply;
    try {
      await origins.fresh();
      reply = await route.handle({
        params,
        query,
        header,
        client: addressOf(incoming.socket.remoteAddress, header, trustProxy),
        body: () => readBody(incoming, route.maxBodyBytes ?? 0),
      });
    } catch (error) {
      reply = unhandledError(logger, route.method, route.pattern, error);
    }
    write(outgoing, reply, baseHeaders(route, header('Origin')));
    logRequest(logger, route.method, route.pattern, reply.status, start);
    // A body still arriving that the answer did not need (Node itself drops one already received).
    if (!incoming.complete) outgoing.once('finish', () => drain(incoming));
  };

  return (incoming, outgoing) => {
    const { method, url = '' } = incoming;
    if (!PLAIN_URL.test(url) || DOT_SEGMENT.test(url) || !PLAIN_HOST.test(incoming.headers.host ?? '')) return false;
    const mark = url.indexOf('?');
    const path = mark < 0 ? url : url.slice(0, mark);
    for (const route of routes) {
      if (route.method !== method) continue;
      const match = route.path.exec(path);
      if (!match) continue;
      void serve(route, match.slice(1), mark < 0 ? '' : url.slice(mark + 1), incoming, outgoing);
      return true;
    }
    return false;
  };
}

/** Header lookup with the semantics of web Headers (and so of Hono's `c.req.header`). */
function headerOf(incoming: IncomingMessage) {
  const raw = incoming.rawHeaders;
  return (name: string): string | undefined => {
    const wanted = name.toLowerCase();
    let value: string | undefined;
    for (let i = 0; i < raw.length; i += 2) {
      const key = raw[i]!;
      if (key.length === wanted.length && key.toLowerCase() === wanted) value = value === undefined ? raw[i + 1] : `${value}, ${raw[i + 1]}`;
    }
    return value;
  };
}

/** The body, or TOO_LARGE as soon as it is known to be over `max` (as hono/body-limit decides). */
function readBody(incoming: IncomingMessage, max: number): Promise<RequestBody> {
  const length = incoming.headers['content-length'];
  if (length !== undefined && incoming.headers['transfer-encoding'] === undefined && Number.parseInt(length, 10) > max) {
    return Promise.resolve(TOO_LARGE);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      incoming.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        done();
        incoming.pause();
        resolve(TOO_LARGE);
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onClose = () => {
      done();
      reject(new Error('The client closed the connection before the body was read.'));
    };
    incoming.on('data', onData).on('end', onEnd).on('close', onClose).on('error', onClose);
  });
}

function write(outgoing: ServerResponse, { status, body, headers }: ApiReply, base: OutgoingHttpHeaders) {
  const all: OutgoingHttpHeaders = { ...base, ...headers };
  if (body === undefined) {
    outgoing.writeHead(status, all).end();
    return;
  }
  const text = JSON.stringify(body);
  all['content-type'] = 'application/json';
  all['content-length'] = Buffer.byteLength(text);
  outgoing.writeHead(status, all).end(text);
}

/** Reads and drops what is left of a body the answer did not need, within bounds, so the connection can serve the next request. */
function drain(incoming: IncomingMessage) {
  if (incoming.readableEnded || incoming.destroyed) return;
  let bytes = 0;
  const stop = () => {
    clearTimeout(timer);
    incoming.off('data', count).off('end', stop).off('error', stop);
  };
  const close = () => {
    stop();
    incoming.socket.destroySoon();
  };
  const count = (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > DRAIN_BYTES) close();
  };
  const timer = setTimeout(close, DRAIN_MS).unref();
  incoming.on('data', count).on('end', stop).on('error', stop).resume();
}
