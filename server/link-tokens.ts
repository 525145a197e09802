/**
 * The tokens in mailed links. 256 random bits each, so they cannot be guessed; the store keeps
 * only their SHA-256, so a copy of the database cannot confirm or withdraw anything.
 */
import { createHash, randomBytes } from 'node:crypto';

/** How long a confirmation link works. A withdrawal link works as long as its signature exists. */
export const CONFIRM_LINK_DAYS = 7;
export const CONFIRM_LINK_TTL_MS = CONFIRM_LINK_DAYS * 24 * 60 * 60_000;

const TOKEN_BYTES = 32;
/** 32 bytes in base64url: 43 characters, no padding. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function newLinkToken(): { token: string; hash: string } {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, hash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Whether `value` could be a token at all: anything else is not worth a database lookup. */
export function isLinkToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_SHAPE.test(value);
}
