import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PostgresSignatureStore } from './postgres-store.js';
import type { SignatureStore } from './signature-store.js';
import { SqliteSignatureStore } from './sqlite-store.js';

/** Opens the store that DATABASE_URL names: a `postgres://` URL, or a SQLite file path (or `file:` URL). */
export async function openStore(databaseUrl: string): Promise<SignatureStore> {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    try {
      return await PostgresSignatureStore.open(databaseUrl);
    } catch (error) {
      // The message may name the host or the role, but never the password: logs are not for secrets.
      // Hence no `cause`: the driver's own error could carry the URL as it was given.
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`DATABASE_URL: could not open the PostgreSQL database: ${withoutPassword((error as Error).message, databaseUrl)}`);
    }
  }
  const file = databaseUrl.startsWith('file:') ? fileURLToPath(databaseUrl) : databaseUrl;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) {
    throw new Error('DATABASE_URL: give a SQLite file path (such as data/cohesion.sqlite) or a postgres:// URL.');
  }
  // A fresh checkout has no data/ folder; `npm start` should need nothing else.
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
  return SqliteSignatureStore.open(file);
}

function withoutPassword(message: string, databaseUrl: string): string {
  let password = '';
  try {
    password = decodeURIComponent(new URL(databaseUrl).password);
  } catch {
    // Not a URL that parses: it has no password that could be quoted back.
  }
  return password ? message.replaceAll(password, '***') : message;
}
