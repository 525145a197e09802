import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { FieldErrors } from '../../contract/signature.js';

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

/** An error answer: the one place the API builds one. */
export function apiError(c: Context, status: ContentfulStatusCode, error: ErrorCode, message: string, fields?: ErrorBody['fields']) {
  const body: ErrorBody = fields ? { error, message, fields } : { error, message };
  return c.json(body, status);
}

/**
 * The answer while the store cannot serve (a full disk, a database that is down; see
 * store/store-health.ts): 503, and when to try again. The widget tells the visitor to try again
 * in a minute, with what they typed kept.
 */
export function storeUnavailable(c: Context) {
  c.header('Retry-After', '60');
  return apiError(c, 503, 'store_unavailable', 'The signatures cannot be stored just now. Please try again in a minute.');
}

export const unknownCampaign = (c: Context) => apiError(c, 404, 'unknown_campaign', 'There is no campaign with that id.');
