/**
 * Builds the real app around a temp SQLite file (or the DATABASE_URL given), as main.ts does,
 * for tests that send it requests (`request`, `post`) or put it behind a listening server. Bot protection and rate limits are off unless a test turns them on:
 * the tests about them do; the others sign many times from no address at all.
 */
import { mkdirSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import inject, { type InjectOptions } from 'light-my-request';
import { createApp, type AppDeps } from '../../../server/app.js';
import { loadCampaigns } from '../../../server/campaigns.js';
import { loadConfig, type Env } from '../../../server/config.js';
import { createJsonLogger } from '../../../server/logger.js';
import { createMailing, type Mailing } from '../../../server/mail/mailing.js';
import { loadMessages } from '../../../server/messages.js';
import { openStore } from '../../../server/store/open-store.js';
import type { SignatureStore } from '../../../server/store/signature-store.js';
import { tempFolder } from './fixtures.js';

export const CAMPAIGN = 'cohesion-alliance';
export const SIGNATURES_URL = `/api/campaigns/${CAMPAIGN}/signatures`;
export const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

export interface TestApp {
  /** The app's request listener, for a real server (createNodeServer). */
  app: RequestListener;
  /**
   * A request through the app's listener as Node would hand it one, without a socket
   * (light-my-request): the Node door and Hono both serve, as behind a server. A URL with a
   * host sends that Host.
   */
  request(url: string, init?: RequestInit, options?: { from?: string }): Promise<Response>;
  store: SignatureStore;
  /** The outbox worker (not started: the app wakes it after each signature) and the dev outbox. */
  mail: Mailing;
  /** Every log line written while the app ran. */
  logs: string[];
  /** The app's clock starts at NOW; this moves it on. */
  advanceClock(ms: number): void;
  /** Every stored signature and counter, to compare before and after a request. */
  snapshot(): unknown;
  /** Rows of a query on the database file, read directly. */
  rows(sql: string, ...params: unknown[]): Record<string, unknown>[];
  post(body: unknown, init?: PostOptions): Promise<Response>;
  close(): Promise<void>;
}

export interface PostOptions {
  contentType?: string;
  /** Send `body` as it is, not as JSON. */
  raw?: boolean;
  path?: string;
  headers?: Record<string, string>;
  /** The client's IP address, as the socket would give it. */
  from?: string;
}

export async function makeTestApp(
  env: Env = {},
  overrides: Partial<Pick<AppDeps, 'store' | 'widgetDir' | 'demoDir'>> & { countHub?: (store: SignatureStore) => AppDeps['countHub'] } = {},
): Promise<TestApp> {
  const folder = tempFolder();
  const file = join(folder.path, 'test.sqlite');
  const emptyDir = join(folder.path, 'empty');
  mkdirSync(emptyDir);
  const config = loadConfig({ DATABASE_URL: file, BOT_PROTECTION: 'off', RATE_LIMIT: 'off', ...env });
  const store = overrides.store ?? (await openStore(config.databaseUrl));
  const logs: string[] = [];
  let time = NOW;
  const now = () => time;
  const logger = createJsonLogger('debug', (line) => logs.push(line));
  const campaigns = loadCampaigns(config.contentDir);
  const messages = loadMessages(config.contentDir);
  const mail = createMailing({ config, store, campaigns, messages, now, logger });
  const app = createApp({
    config,
    store,
    campaigns,
    messages,
    mail,
    widgetDir: overrides.widgetDir ?? emptyDir,
    demoDir: overrides.demoDir ?? emptyDir,
    now,
    logger,
    countHub: overrides.countHub?.(store),
  });
  async function request(url: string, init: RequestInit = {}, { from = '127.0.0.1' } = {}): Promise<Response> {
    const { host, pathname, search } = new URL(url, 'http://localhost');
    const answer = await inject(app, {
      method: (init.method ?? 'GET') as InjectOptions['method'],
      url: pathname + search,
      headers: { host, ...Object.fromEntries(new Headers(init.headers)) },
      payload: init.body === undefined || init.body === null ? undefined : Buffer.from(await new Response(init.body).arrayBuffer()),
      remoteAddress: from,
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      for (const one of [value ?? []].flat()) headers.append(name, String(one));
    }
    const empty = [101, 204, 304].includes(answer.statusCode) || init.method === 'HEAD';
    return new Response(empty ? null : new Uint8Array(answer.rawPayload), { status: answer.statusCode, headers });
  }
  const rows = (sql: string, ...params: unknown[]) => {
    const db = new Database(config.databaseUrl, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all(...params) as Record<string, unknown>[];
    } finally {
      db.close();
    }
  };

  return {
    app,
    store,
    mail,
    logs,
    advanceClock: (ms) => void (time += ms),
    snapshot: () => ({
      signatures: rows('SELECT * FROM signatures ORDER BY id'),
      campaignCounts: rows('SELECT * FROM campaign_counts ORDER BY campaign'),
      partnerCounts: rows('SELECT * FROM partner_counts ORDER BY campaign, partner'),
    }),
    rows,
    request,
    async post(body, { contentType = 'application/json', raw = false, path = SIGNATURES_URL, headers = {}, from } = {}) {
      const init = {
        method: 'POST',
        headers: { 'Content-Type': contentType, ...headers },
        body: raw ? (body as BodyInit) : JSON.stringify(body),
      };
      return request(path, init, { from });
    },
    async close() {
      await mail.worker.stop();
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
