/** Reading a request's body: its media type, and its text within a size limit. */
import type { Context } from 'hono';

/** What readBody gives for a body over the limit. */
export const TOO_LARGE: unique symbol = Symbol('request body too large');

const utf8 = new TextDecoder();

/**
 * The body as text, read once, or TOO_LARGE as soon as it is known to be over `maxBytes`: from a
 * Content-Length before anything is read (Node's parser holds a body to the length it declares),
 * else while it streams in, as hono/body-limit decides. With a Content-Length,
 * @hono/node-server reads the body straight from Node's request, without a web stream; what is
 * left of a refused body it reads and drops after the answer, so the connection serves on.
 */
export async function readBody(c: Context, maxBytes: number): Promise<string | typeof TOO_LARGE> {
  const length = c.req.header('Content-Length');
  if (length !== undefined && c.req.header('Transfer-Encoding') === undefined) {
    return Number.parseInt(length, 10) > maxBytes ? TOO_LARGE : c.req.text();
  }
  const reader = c.req.raw.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > maxBytes) return TOO_LARGE;
    chunks.push(read.value);
  }
  return utf8.decode(Buffer.concat(chunks, size));
}

/** `application/json`, with or without parameters such as `charset=utf-8`: what the API takes as a request body. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  // The usual case first, without the allocations of the general one.
  return contentType === 'application/json' || contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}
