/** Builds the real app around a temp SQLite file, as main.ts does, for `app.request()` tests. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createApp, type AppDeps } from '../../server/app.js';
import { loadCampaigns } from '../../server/campaigns.js';
import { loadConfig, type Env } from '../../server/config.js';
import { createJsonLogger } from '../../server/logger.js';
import { openStore } from '../../server/store/open-store.js';
import type { SignatureStore } from '../../server/store/signature-store.js';
import { tempFolder } from './fixtures.js';

export const CAMPAIGN = 'cohesion-alliance';
export const SIGNATURES_URL = `/api/campaigns/${CAMPAIGN}/signatures`;
export const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

export interface TestApp {
  app: ReturnType<typeof createApp>;
  store: SignatureStore;
  /** Every log line written while the app ran. */
  logs: string[];
  /** Every stored row and counter, to compare before and after a request. */
  snapshot(): unknown;
  post(body: unknown, init?: { contentType?: string; raw?: boolean; path?: string }): Promise<Response>;
  close(): Promise<void>;
}

export async function makeTestApp(
  env: Env = {},
  overrides: Partial<Pick<AppDeps, 'store' | 'widgetDir' | 'demoDir'>> & { countHub?: (store: SignatureStore) => AppDeps['countHub'] } = {},
): Promise<TestApp> {
  const folder = tempFolder();
  const file = join(folder.path, 'test.sqlite');
  const emptyDir = join(folder.path, 'empty');
  mkdirSync(emptyDir);
  const config = loadConfig({ DATABASE_URL: file, ...env });
  const store = overrides.store ?? (await openStore(config.databaseUrl));
  const logs: string[] = [];
  const app = createApp({
    config,
    store,
    campaigns: loadCampaigns(config.contentDir),
    widgetDir: overrides.widgetDir ?? emptyDir,
    demoDir: overrides.demoDir ?? emptyDir,
    now: () => NOW,
    logger: createJsonLogger('debug', (line) => logs.push(line)),
    countHub: overrides.countHub?.(store),
  });

  return {
    app,
    store,
    logs,
    snapshot() {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        return {
          signatures: db.prepare('SELECT * FROM signatures ORDER BY id').all(),
          campaignCounts: db.prepare('SELECT * FROM campaign_counts ORDER BY campaign').all(),
          partnerCounts: db.prepare('SELECT * FROM partner_counts ORDER BY campaign, partner').all(),
        };
      } finally {
        db.close();
      }
    },
    async post(body, { contentType = 'application/json', raw = false, path = SIGNATURES_URL } = {}) {
      return app.request(path, {
        method: 'POST',
        headers: { 'Content-Type': contentType },
        body: raw ? (body as string) : JSON.stringify(body),
      });
    },
    async close() {
      await store.close();
      folder.remove();
    },
  };
}

/** A signature as the widget sends it. */
export function signatureBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    signerType: 'individual',
    name: 'Maria Ivanova',
    country: 'BG',
    email: 'maria.ivanova@example.org',
    consent: true,
    ...overrides,
  };
}
