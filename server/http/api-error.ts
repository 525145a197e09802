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

export const unknownCampaign = (c: Context) => apiError(c, 404, 'unknown_campaign', 'There is no campaign with that id.');
