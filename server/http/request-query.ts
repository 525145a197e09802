/** A request's query, checked with a zod schema: the one way routes read their query parameters. */
import type { Context } from 'hono';
import type * as z from 'zod';
import { apiError, send } from './api-reply.js';

/**
 * `query` (by default the request's own) parsed by `schema`, or the 400 naming each bad
 * parameter. The oEmbed route passes the query of the address it is asked about.
 */
export function parseQuery<T>(c: Context, schema: z.ZodType<T>, query: Record<string, string> = c.req.query()): T | Response {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  const fields = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), 'invalid']));
  return send(c, apiError(400, 'invalid_query', 'Some query parameters are not valid.', fields));
}
