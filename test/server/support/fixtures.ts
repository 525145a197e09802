/** Builders and helpers shared by the server tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { NewSignature } from '../../../server/store/signature-store.js';

let serial = 0;

/** A valid, confirmed signature with a fresh email; override what a test is about. */
export function newSignature(overrides: Partial<NewSignature> = {}): NewSignature {
  serial += 1;
  const email = `signer${serial}@example.org`;
  return {
    campaign: 'cohesion-alliance',
    emailKey: email,
    email,
    signerType: 'individual',
    name: `Signer ${serial}`,
    country: 'BG',
    newsletter: false,
    listPublicly: false,
    consentVersion: '2026-01',
    status: 'confirmed',
    createdAt: 1_700_000_000_000 + serial,
    ...overrides,
  };
}

/** A temp folder under os.tmpdir(), removed by the returned function. */
export function tempFolder(prefix = 'cohesion-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The first column of a query's rows, read from a SQLite file by a connection of this process. */
export function sqliteColumn(file: string, sql: string): unknown[] {
  const db = new Database(file, { fileMustExist: true });
  try {
    return db.prepare(sql).pluck().all();
  } finally {
    db.close();
  }
}
