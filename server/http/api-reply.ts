/**
 * An answer of the API as plain data (status, JSON body, extra headers), and the one place an
 * error answer is built. Both doors send these: Hono's routes through `send`, the live routes
 * (live-door.ts) by writing Node's response.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status';
import type { FieldErrors } from '../../contract/signature.js';
import type { Logger } from '../logger.js';

/** Every error the API answers with. The widget and API clients switch on these codes. */
export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'conflict'
  | 'not_found'
  | 'unknown_campaign'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'invalid_json'
  | 'invalid_body'
  | 'invalid_fields'
  | 'invalid_query'
  | 'origin_not_allowed'
  | 'rate_limited'
  | 'store_unavailable'
  | 'internal';

/** The one shape of an error body: a code, a plain English sentence, and which fields were bad. */
export interface ErrorBody {
  error: ErrorCode;
  message: string;
  /** Field → error code; for a signature, the codes of FieldErrors. */
  fields?: FieldErrors | Readonly<Record<string, string>>;
}

export interface ApiReply {
  status: StatusCode;
  /** Sent as JSON; absent: no body (a 304). */
  body?: unknown;
  /** Besides Content-Type and what every API answer gets (CORS, security headers). */
  headers?: Readonly<Record<string, string>>;
}

/** An error answer. */
export function apiError(status: ContentfulStatusCode, error: ErrorCode, message: string, fields?: ErrorBody['fields']): ApiReply {
  const body: ErrorBody = fields ? { error, message, fields } : { error, message };
  return { status, body };
}

/** The reply as Hono sends it: JSON with its headers, or an empty body. */
export function send(c: Context, { status, body, headers }: ApiReply): Response {
  return body === undefined ? c.body(null, status, headers) : c.json(body, status as ContentfulStatusCode, headers);
}

export const unknownCampaign = apiError(404, 'unknown_campaign', 'There is no campaign with that id.');

/**
 * The answer while the store cannot serve (a full disk, a database that is down; see
 * store/store-health.ts): 503, and when to try again. The widget tells the visitor to try again
 * in a minute, with what they typed kept.
 */
export const storeUnavailable: ApiReply = {
  ...apiError(503, 'store_unavailable', 'The signatures cannot be stored just now. Please try again in a minute.'),
  headers: { 'Retry-After': '60' },
};

/**
 * The 500 for an error nobody handled, logged by name, code and stack frames only: an error's
 * message may quote the input it choked on.
 */
export function unhandledError(logger: Logger, method: string, route: string, error: unknown): ApiReply {
  const { name, code, stack } = (error ?? {}) as { name?: string; code?: string; stack?: string };
  logger.error('unhandled_error', { method, route, name, code, stack: stack?.split('\n').slice(1, 6).join('\n') });
  return apiError(500, 'internal', 'Something went wrong on our side. Please try again later.');
}
