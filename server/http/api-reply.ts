/**
 * An answer of the API as plain data: status, JSON body, extra headers. The routes that the
 * Node fast path also serves (node-fast-path.ts) compute one of these in a framework-free
 * function; Hono sends it with `sendReply`, the fast path writes it to Node's response itself,
 * so both send the same answer from one piece of logic.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status';
import type { Logger } from '../logger.js';
import { STORE_UNAVAILABLE, errorReply } from './api-error.js';
import { StoreUnavailableError } from '../store/store-health.js';

export interface ApiReply {
  status: StatusCode;
  /** Sent as JSON; absent: no body (a 304). */
  body?: unknown;
  /** Besides Content-Type and what the middleware adds (CORS, security headers). */
  headers?: Record<string, string>;
}

/** The reply as Hono sends it: JSON with its headers, or an empty body. */
export function sendReply(c: Context, { status, body, headers }: ApiReply): Response {
  return body === undefined ? c.body(null, status, headers) : c.json(body, status as ContentfulStatusCode, headers);
}

/**
 * The 500 for an error nobody handled, logged by name, code and stack frames only: an error's
 * message may quote the input it choked on. app.onError and the Node fast path both answer with it.
 */
export function unhandledError(logger: Logger, method: string, route: string, error: unknown): ApiReply {
  // For the fast path; app.onError answers this one before it gets here.
  if (error instanceof StoreUnavailableError) return STORE_UNAVAILABLE;
  const { name, code, stack } = (error ?? {}) as { name?: string; code?: string; stack?: string };
  logger.error('unhandled_error', { method, route, name, code, stack: stack?.split('\n').slice(1, 6).join('\n') });
  return errorReply(500, 'internal', 'Something went wrong on our side. Please try again later.');
}

/** `application/json`, with or without parameters such as `charset=utf-8`: what the API takes as a request body. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  // The usual case first, without the allocations of the general one.
  return contentType === 'application/json' || contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}
