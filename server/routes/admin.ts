/**
 * The organisers' API under /api/admin: what was signed (stats, CSV export), supporters gathered
 * elsewhere (the baseline), erasure on request, moderation of the public wall, and the partner registry. Behind ADMIN_TOKEN, sent as a bearer
 * token; absent, the whole API answers 404 as if it were not there. Nothing here is cached, and
 * no other origin may call it (PartnerOriginPolicy gives these paths no CORS headers).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import * as z from 'zod';
import type { BaselineAnswer, BaselineEntry, CampaignStatsAnswer, ModerationAnswer, WallEntriesPage } from '../../contract/api.js';
import { checkField, email as emailSchema, hidesItself, isPlainObject } from '../../contract/signature.js';
import type { CampaignCatalog } from '../campaigns.js';
import { origin } from '../config.js';
import { emailKey, legacyEmailKey } from '../email-key.js';
import { apiError, send, unknownCampaign } from '../http/api-reply.js';
import { isJsonMediaType } from '../http/request-body.js';
import { csvLine } from '../http/csv.js';
import type { PartnerOriginPolicy } from '../http/partner-origins.js';
import type { Logger } from '../logger.js';
import {
  MODERATION_DECISIONS,
  WALL_STATES,
  type ExportedSignature,
  type SignatureStatus,
  type SignatureStore,
} from '../store/signature-store.js';
import { parseQuery } from '../http/request-query.js';
import { nextCursor, wallPageQuery } from './supporters.js';

export interface AdminRoutesDeps {
  /** Undefined: the admin API is off. */
  adminToken: string | undefined;
  campaigns: CampaignCatalog;
  store: SignatureStore;
  origins: PartnerOriginPolicy;
  logger: Logger;
  now: () => number;
}

/** Rows read from the store per page of the export. */
export const EXPORT_PAGE_ROWS = 1000;
const MAX_BODY_BYTES = 16 * 1024;
const MAX_ORIGINS = 20;
/**
 * Stats are a scan of the campaign's signatures (on SQLite, on the event loop: 0.4 s for 200,000).
 * An answer is reused for this many times as long as it took to compute, so dashboards left open
 * on a busy campaign take at most a tenth of the server's time, and a small campaign's stay fresh.
 */
const STATS_REUSE_FACTOR = 10;

/** The export's columns, and how each is read from a signature. */
const EXPORT_COLUMNS: ReadonlyArray<readonly [string, (row: ExportedSignature) => string | boolean | null]> = [
  ['signed_at', (row) => isoTime(row.createdAt)],
  ['confirmed_at', (row) => (row.confirmedAt === null ? null : isoTime(row.confirmedAt))],
  ['status', (row) => row.status],
  ['signer_type', (row) => row.signerType],
  ['name', (row) => row.name],
  ['organisation', (row) => row.organisation],
  ['organisation_kind', (row) => row.organisationKind],
  ['role', (row) => row.role],
  ['country', (row) => row.country],
  ['email', (row) => row.email],
  ['partner', (row) => row.partner],
  ['page', (row) => row.page],
  ['lang', (row) => row.lang],
  ['newsletter', (row) => row.newsletter],
  ['list_publicly', (row) => row.listPublicly],
  ['consent_version', (row) => row.consentVersion],
];

const isoTime = (epochMs: number) => new Date(epochMs).toISOString();

const partnerBody = z.strictObject({
  // Shown on the public partners wall: held to the rules of a signer's name (see hidesItself).
  name: z
    .string()
    .trim()
    .normalize('NFC')
    .min(1)
    .max(200)
    .refine((name) => !hidesItself(name)),
  origins: z.array(origin).max(MAX_ORIGINS),
  // The public list of partners: off it unless listed; its website and logo, where given, are links and an image there.
  listed: z.boolean().default(false),
  url: z
    .url({ protocol: /^https?$/, hostname: z.regexes.domain })
    .max(2000)
    .optional(),
  logo: z
    .url({ protocol: /^https$/, hostname: z.regexes.domain })
    .max(2000)
    .optional(),
  position: z.number().int().min(0).max(100_000).default(0),
});

/** Above any real campaign's supporters gathered elsewhere: a typo of a few zeros is refused. */
export const MAX_BASELINE_COUNT = 10_000_000;

const baselineBody = z.strictObject({
  count: z.number().int().min(1).max(MAX_BASELINE_COUNT),
  // Shown to organisers only, and still held to the rules of a name: it is text a colleague typed.
  note: z
    .string()
    .trim()
    .normalize('NFC')
    .min(1)
    .max(200)
    .refine((note) => !hidesItself(note)),
  /** The day they were gathered by; today when absent. */
  date: z.iso.date().optional(),
  /** A registered partner's id. */
  partner: z.string().optional(),
});

const erasureBody = z.strictObject({
  email: z.string(),
  campaign: z.string().optional(),
});

const wallEntriesQuery = z.object({ ...wallPageQuery, state: z.enum(WALL_STATES).default('awaiting') });

const moderationBody = z.strictObject({ moderation: z.enum(MODERATION_DECISIONS) });

/** A signature's or baseline entry's id as a path holds it; anything else names no entry. */
const ENTRY_ID = /^[1-9]\d{0,14}$/;

export function adminRoutes({ adminToken, campaigns, store, origins, logger, now }: AdminRoutesDeps) {
  const app = new Hono();
  /** Campaign → its stats being computed or computed, and until when (performance.now()) they may be reused. */
  const recentStats = new Map<string, { stats: ReturnType<SignatureStore['stats']>; until: number }>();
  const statsOf = (campaign: string) => {
    const recent = recentStats.get(campaign);
    if (recent && performance.now() < recent.until) return recent.stats;
    const start = performance.now();
    const entry = { stats: store.stats(campaign), until: Infinity };
    recentStats.set(campaign, entry);
    entry.stats.then(
      () => (entry.until = performance.now() + (performance.now() - start) * STATS_REUSE_FACTOR),
      () => recentStats.delete(campaign),
    );
    return entry.stats;
  };
  app.use('*', async (c, next) => {
    c.header('Cache-Control', 'no-store');
    if (!adminToken) return send(c, apiError(404, 'not_found', 'The admin API is off on this server: set ADMIN_TOKEN to turn it on.'));
    if (!isToken(c.req.header('Authorization'), adminToken)) {
      c.header('WWW-Authenticate', 'Bearer realm="cohesion-declaration admin"');
      return send(c, apiError(401, 'unauthorized', 'Send the admin token as "Authorization: Bearer <token>".'));
    }
    return next();
  });

  app.get('/campaigns/:campaign/stats', async (c) => {
    const campaign = campaigns.get(c.req.param('campaign'));
    if (!campaign) return send(c, unknownCampaign);
    const [stats, count, baseline] = await Promise.all([
      statsOf(campaign.id),
      store.count(campaign.id),
      store.baselineEntries(campaign.id),
    ]);
    await origins.fresh();
    const byPartner = stats.byPartner.map((tally) => ({
      ...tally,
      name: tally.key === null ? null : (origins.get(tally.key)?.name ?? null),
    }));
    return c.json({
      campaign: campaign.id,
      title: campaign.texts().title,
      goal: campaign.goal,
      count,
      baseline: sumOf(baseline),
      ...stats,
      byPartner,
    } satisfies CampaignStatsAnswer);
  });

  app.get('/campaigns/:campaign/signatures.csv', (c) => {
    const campaign = campaigns.get(c.req.param('campaign'));
    if (!campaign) return send(c, unknownCampaign);
    const statusQuery = c.req.query('status') ?? 'all';
    if (!['all', 'confirmed', 'pending'].includes(statusQuery)) {
      return send(c, apiError(400, 'invalid_query', 'status must be all, confirmed or pending.', { status: 'invalid' }));
    }
    const status = statusQuery === 'all' ? undefined : (statusQuery as SignatureStatus);
    const encoder = new TextEncoder();
    let afterId = 0;
    // Page by page as the client reads: a million rows never sit in memory.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        // The BOM tells spreadsheets the file is UTF-8.
        controller.enqueue(encoder.encode(`\uFEFF${csvLine(EXPORT_COLUMNS.map(([name]) => name))}`));
      },
      async pull(controller) {
        const rows = await store.exportPage(campaign.id, { afterId, limit: EXPORT_PAGE_ROWS, status });
        if (!rows.length) return controller.close();
        afterId = rows.at(-1)!.id;
        controller.enqueue(encoder.encode(rows.map((row) => csvLine(EXPORT_COLUMNS.map(([, read]) => read(row)))).join('')));
      },
    });
    logger.info('admin_export', { campaign: campaign.id, status: statusQuery });
    const day = isoTime(now()).slice(0, 10);
    return c.body(body, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${campaign.id}-signatures-${day}.csv"`,
    });
  });

  app.post('/erasures', async (c) => {
    const body = await jsonObject(c);
    if (body instanceof Response) return body;
    const parsed = erasureBody.safeParse(body);
    if (!parsed.success) return invalidFields(c, parsed.error, body);
    const { email, campaign: campaignId } = parsed.data;
    if (checkField('email', email) || !emailSchema.safeParse(email).success) {
      return send(c, apiError(400, 'invalid_fields', 'That is not an email address.', { email: 'invalid_email' }));
    }
    const campaign = campaignId === undefined ? undefined : campaigns.get(campaignId);
    if (campaignId !== undefined && !campaign) return send(c, unknownCampaign);
    // Signatures stored before keys were canonical are under their old key (see emailKey).
    let erased = 0;
    for (const key of new Set([emailKey(email), legacyEmailKey(email)])) erased += (await store.eraseSigner(key, campaign?.id)).erased;
    recentStats.clear();
    logger.info('admin_erasure', { erased });
    return c.json({ erased });
  });

  // The public wall's moderation: its entries by state (the review queue is `awaiting`), and the
  // organisers' decisions. The email is there to check a claim by (an address at the
  // organisation's domain, or a reply to it), as the export has it.
  app.get('/campaigns/:campaign/supporters', async (c) => {
    const campaign = campaigns.get(c.req.param('campaign'));
    if (!campaign) return send(c, unknownCampaign);
    const query = parseQuery(c, wallEntriesQuery);
    if (query instanceof Response) return query;
    const { state, limit, cursor } = query;
    const page = await store.wallEntries(campaign.id, { state, beforeId: cursor, limit, moderateAll: campaign.moderateAll });
    return c.json({
      supporters: page.map(({ id, state, createdAt, ...entry }) => ({ id, state, ...entry, signedAt: isoTime(createdAt) })),
      next: nextCursor(page, limit),
    } satisfies WallEntriesPage);
  });

  app.put('/campaigns/:campaign/supporters/:id', async (c) => {
    const campaign = campaigns.get(c.req.param('campaign'));
    if (!campaign) return send(c, unknownCampaign);
    const body = await jsonObject(c);
    if (body instanceof Response) return body;
    const parsed = moderationBody.safeParse(body);
    if (!parsed.success) return invalidFields(c, parsed.error, body);
    const id = c.req.param('id');
    const { moderation } = parsed.data;
    if (!ENTRY_ID.test(id) || !(await store.moderate(campaign.id, Number(id), moderation))) {
      return send(c, apiError(404, 'not_found', 'The public wall of this campaign has no entry with that id.'));
    }
    logger.info('admin_moderation', { campaign: campaign.id, moderation });
    return c.json({ id: Number(id), state: moderation === 'approved' ? 'shown' : 'hidden' } satisfies ModerationAnswer);
  });

  // Supporters gathered elsewhere (see BaselineEntry): in the public counts, never in the stats or the export.
  app.get('/campaigns/:campaign/baseline', async (c) => {
    const campaign = campaigns.get(c.req.param('campaign'));
    if (!campaign) return send(c, unknownCampaign);
    const entries = await store.baselineEntries(campaign.id);
    return c.json({ campaign: campaign.id, total: sumOf(entries), entries } satisfies BaselineAnswer);
  });

  app.post('/campaigns/:campaign/baseline', async (c) => {
    const campaign = campaigns.get(c.req.param('campaign'));
    if (!campaign) return send(c, unknownCampaign);
    const body = await jsonObject(c);
    if (body instanceof Response) return body;
    const parsed = baselineBody.safeParse(body);
    if (!parsed.success) return invalidFields(c, parsed.error, body);
    const { count, note, partner = null } = parsed.data;
    const today = isoTime(now()).slice(0, 10);
    const date = parsed.data.date ?? today;
    if (date > today) return send(c, apiError(400, 'invalid_fields', 'The date is in the future.', { date: 'invalid' }));
    await origins.fresh();
    if (partner !== null && (checkField('partner', partner) || !origins.get(partner))) {
      return send(c, apiError(400, 'invalid_fields', 'There is no registered partner with that id.', { partner: 'invalid' }));
    }
    const entry = await store.addBaseline({ campaign: campaign.id, count, note, date, partner, createdAt: now() });
    logger.info('admin_baseline_added', { campaign: campaign.id, count });
    return c.json(entry satisfies BaselineEntry, 201);
  });

  app.delete('/campaigns/:campaign/baseline/:id', async (c) => {
    const campaign = campaigns.get(c.req.param('campaign'));
    if (!campaign) return send(c, unknownCampaign);
    const id = c.req.param('id');
    if (!ENTRY_ID.test(id) || !(await store.removeBaseline(campaign.id, Number(id)))) {
      return send(c, apiError(404, 'not_found', 'This campaign has no baseline entry with that id.'));
    }
    logger.info('admin_baseline_removed', { campaign: campaign.id });
    return c.body(null, 204);
  });

  app.get('/partners', async (c) => {
    await origins.reload();
    return c.json({ partners: origins.list() });
  });

  app.put('/partners/:id', async (c) => {
    const id = c.req.param('id');
    if (checkField('partner', id)) return send(c, apiError(400, 'invalid_fields', 'The partner id is not valid.', { id: 'invalid' }));
    const body = await jsonObject(c);
    if (body instanceof Response) return body;
    const parsed = partnerBody.safeParse(body);
    if (!parsed.success) return invalidFields(c, parsed.error, body);
    if (origins.get(id)?.fromSettings) return fromSettings(c);
    const { name, listed, url = null, logo = null, position } = parsed.data;
    const partner = { id, name, origins: [...new Set(parsed.data.origins)], listed, url, logo, position };
    await store.savePartner(partner);
    await origins.reload();
    logger.info('admin_partner_saved', { partner: id });
    return c.json(origins.get(id));
  });

  app.delete('/partners/:id', async (c) => {
    const id = c.req.param('id');
    if (origins.get(id)?.fromSettings) return fromSettings(c);
    if (checkField('partner', id) || !(await store.deletePartner(id)))
      return send(c, apiError(404, 'not_found', 'There is no partner with that id.'));
    await origins.reload();
    logger.info('admin_partner_deleted', { partner: id });
    return c.body(null, 204);
  });

  return app;
}

const sumOf = (entries: BaselineEntry[]) => entries.reduce((sum, { count }) => sum + count, 0);

/** Compares in constant time: hashing first makes both sides the same length. */
function isToken(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}

const fromSettings = (c: Context) =>
  send(c, apiError(409, 'conflict', 'This partner comes from the PARTNER_ORIGINS setting; change it there.'));

/** The body as a JSON object of at most MAX_BODY_BYTES, or the 4xx to answer with. Admins only: past the token check. */
async function jsonObject(c: Context): Promise<Record<string, unknown> | Response> {
  if (!isJsonMediaType(c.req.header('Content-Type'))) {
    return send(c, apiError(415, 'unsupported_media_type', 'Send application/json.'));
  }
  const text = await c.req.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES)
    return send(c, apiError(413, 'payload_too_large', 'The request body is larger than 16 KiB.'));
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return send(c, apiError(400, 'invalid_json', 'The request body is not valid JSON.'));
  }
  return isPlainObject(body) ? body : send(c, apiError(400, 'invalid_body', 'The request body must be a JSON object.'));
}

/** 400 naming each bad field of `body` with the signing API's codes: `unknown_field`, `required`, `too_long` or `invalid`. */
function invalidFields(c: Context, error: z.ZodError, body: Record<string, unknown>) {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) fields[key] = 'unknown_field';
    else {
      const field = String(issue.path[0]);
      fields[field] ??= !Object.hasOwn(body, field)
        ? 'required'
        : issue.code === 'too_big' && issue.path.length === 1 && (issue.origin === 'string' || issue.origin === 'array')
          ? 'too_long'
          : 'invalid';
    }
  }
  return send(c, apiError(400, 'invalid_fields', 'Some fields are missing or not valid.', fields));
}
