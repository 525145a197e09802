/**
 * The tokens in mailed links. 256 random bits each, so they cannot be guessed; the store keeps
 * only their SHA-256, so a copy of the database cannot confirm or withdraw anything.
 *
 * A token starts with its signature's id (`12345.` then the random part), and so does the key
 * the store keeps it under (the id zero-padded, `:`, then the hash). The keys of new tokens then
 * grow in order, as the ids do: the mail worker stores each batch's tokens on a few pages at the
 * end of the index instead of one page each across all of it. The id says nothing about the signer; the hash covers the whole token. Tokens
 * without the prefix (mailed before it existed) are still found, under their plain hash.
 */
import { createHash, randomFillSync } from 'node:crypto';

/** How long a confirmation link works. A withdrawal link works as long as its signature exists. */
export const CONFIRM_LINK_DAYS = 7;
export const CONFIRM_LINK_TTL_MS = CONFIRM_LINK_DAYS * 24 * 60 * 60_000;

const TOKEN_BYTES = 32;
/** An optional signature id, then 32 bytes in base64url: 43 characters, no padding. */
const TOKEN_SHAPE = /^(?:([1-9]\d{0,14})\.)?[A-Za-z0-9_-]{43}$/;
const ID_DIGITS = 15;

/**
 * Random bytes are drawn for many tokens at a time, as Node does for randomUUID(): one call into
 * the system's generator per 128 tokens instead of one per token.
 */
const POOL_TOKENS = 128;
const pool = Buffer.alloc(TOKEN_BYTES * POOL_TOKENS);
let poolOffset = pool.length;

function randomPart(): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool.toString('base64url', poolOffset, (poolOffset += TOKEN_BYTES));
}

/** A new token for a link to signature `signatureId`, and the key the store keeps it under. */
export function newLinkToken(signatureId: number): { token: string; hash: string } {
  const token = `${signatureId}.${randomPart()}`;
  return { token, hash: hashLinkToken(token) };
}

/** The store's key of a token that has the shape of one (see isLinkToken). */
export function hashLinkToken(token: string): string {
  const hash = createHash('sha256').update(token).digest('hex');
  const id = TOKEN_SHAPE.exec(token)?.[1];
  return id ? `${id.padStart(ID_DIGITS, '0')}:${hash}` : hash;
}

/** Whether `value` could be a token at all: anything else is not worth a database lookup. */
export function isLinkToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_SHAPE.test(value);
}
