import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SignatureStore } from './signature-store.js';
import { SqliteSignatureStore } from './sqlite-store.js';

/** Opens the store that DATABASE_URL names: a SQLite file path (or `file:` URL) for now. */
export async function openStore(databaseUrl: string): Promise<SignatureStore> {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    throw new Error('DATABASE_URL: PostgreSQL is not supported yet; give a SQLite file path such as data/cohesion.sqlite.');
  }
  const file = databaseUrl.startsWith('file:') ? fileURLToPath(databaseUrl) : databaseUrl;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) {
    throw new Error('DATABASE_URL: only SQLite file paths (and, later, postgres:// URLs) are supported.');
  }
  // A fresh checkout has no data/ folder; `npm start` should need nothing else.
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
  return SqliteSignatureStore.open(file);
}
