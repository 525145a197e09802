import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { FieldErrors } from '../../contract/signature.js';
import type { ApiReply } from './api-reply.js';

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
  | 'not_supported'
  | 'internal';

/** The one shape of an error body: a code, a plain English sentence, and which fields were bad. */
export interface ErrorBody {
  error: ErrorCode;
  message: string;
  /** Field → error code; for a signature, the codes of FieldErrors. */
  fields?: FieldErrors | Readonly<Record<string, string>>;
}

export function apiError(c: Context, status: ContentfulStatusCode, error: ErrorCode, message: string, fields?: ErrorBody['fields']) {
  return c.json(errorReply(status, error, message, fields).body, status);
}

/** The same error as data, for the routes that compute an ApiReply (see api-reply.ts). */
export function errorReply(
  status: ContentfulStatusCode,
  error: ErrorCode,
  message: string,
  fields?: ErrorBody['fields'],
): ApiReply & { body: ErrorBody } {
  return { status, body: fields ? { error, message, fields } : { error, message } };
}

/**
 * The answer while the store cannot serve (a full disk, a database that is down; see
 * store/store-health.ts): 503, and when to try again. The widget tells the visitor to try again
 * in a minute, with what they typed kept.
 */
export const STORE_UNAVAILABLE = {
  ...errorReply(503, 'store_unavailable', 'The signatures cannot be stored just now. Please try again in a minute.'),
  headers: { 'Retry-After': '60' },
} as const;

export const storeUnavailable = (c: Context) => c.json(STORE_UNAVAILABLE.body, 503, STORE_UNAVAILABLE.headers);

export const unknownCampaignReply = () => errorReply(404, 'unknown_campaign', 'There is no campaign with that id.');
export const unknownCampaign = (c: Context) => c.json(unknownCampaignReply().body, 404);
