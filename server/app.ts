/**
 * The HTTP application, as one Node request listener built from what it needs, so that tests
 * can build one around a temp database. Nothing here touches the process, the port or signals.
 *
 * Two doors, one per route: the Node door (http/node-door.ts) serves signing, the count and its
 * stream; Hono serves the rest.
 */
import type { RequestListener } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { PRIVACY_PATH, type CampaignCatalog } from './campaigns.js';
import type { Config } from './config.js';
import { apiError, send, storeUnavailable, unhandledError } from './http/api-reply.js';
import { compressAnswers } from './http/compression.js';
import { PartnerOriginPolicy } from './http/partner-origins.js';
import { createNodeDoor } from './http/node-door.js';
import { requestLog, routePattern } from './http/request-log.js';
import { securityHeaders } from './http/security-headers.js';
import { silentLogger, type Logger } from './logger.js';
import { CountHub } from './live/count-hub.js';
import type { Mailing } from './mail/mailing.js';
import type { MessageCatalog } from './messages.js';
import { ProofOfWork } from './protection/proof-of-work.js';
import { RateLimits } from './protection/rate-limits.js';
import { adminRoutes } from './routes/admin.js';
import { bannerRoutes } from './routes/banners.js';
import { campaignRoutes } from './routes/campaigns.js';
import { challengeRoutes } from './routes/challenge.js';
import { countRoute } from './routes/count.js';
import { countStreamRoute } from './routes/count-stream.js';
import { declarationRoutes } from './routes/declaration.js';
import { embedRoutes } from './routes/embed.js';
import { privacyRoutes } from './routes/privacy.js';
import { devOutboxRoutes } from './routes/dev-outbox.js';
import { healthRoutes } from './routes/health.js';
import { signatureRoute } from './routes/signatures.js';
import { signerLinkRoutes } from './routes/signer-links.js';
import { staticRoutes } from './routes/static-files.js';
import { supporterRoutes } from './routes/supporters.js';
import type { SignatureStore } from './store/signature-store.js';
import { StoreUnavailableError } from './store/store-health.js';

export interface AppDeps {
  config: Config;
  store: SignatureStore;
  campaigns: CampaignCatalog;
  /** The server's own texts (mails, pages). */
  messages: MessageCatalog;
  /** The outbox worker that sends signers their mails, and the development outbox without SMTP_URL. */
  mail: Mailing;
  /** The built widget (dist/widget). */
  widgetDir: string;
  demoDir: string;
  /** Epoch milliseconds; tests pass a fixed clock. */
  now?: () => number;
  logger?: Logger;
  /** The live counter's streams; main.ts passes one so it can end them on shutdown. */
  countHub?: CountHub;
}

export function createApp({
  config,
  store,
  campaigns,
  messages,
  mail,
  widgetDir,
  demoDir,
  now = Date.now,
  logger = silentLogger,
  countHub = new CountHub(store),
}: AppDeps): RequestListener {
  const app = new Hono();
  const { trustProxy } = config;
  const origins = new PartnerOriginPolicy(config.partnerOrigins, config.publicUrl, () => store.partners(), now);
  // Challenges are served even while bot protection is off, so the widget need not know; then
  // with no minimum fill time, so it never waits for a check nobody makes.
  const proofOfWork = new ProofOfWork(config.altchaHmacKey, store, now, config.botProtection ? undefined : 0);
  const rateLimits = config.rateLimit ? new RateLimits(now) : undefined;

  const door = createNodeDoor({
    origins,
    logger,
    routes: [
      signatureRoute({
        campaigns,
        store,
        doubleOptIn: config.doubleOptIn,
        now,
        mailWorker: mail.worker,
        logger,
        origins,
        proofOfWork: config.botProtection ? proofOfWork : undefined,
        rateLimits,
        trustProxy,
      }),
      countRoute({ campaigns, store }),
      countStreamRoute({ campaigns, countHub, logger, rateLimits, trustProxy }),
    ],
  });

  app.use(requestLog(logger));
  app.use(securityHeaders);
  app.use('/api/*', origins.cors());
  // The answers that can be long, and only those (the door's are short, and never compressed).
  app.use('/api/campaigns/:campaign/supporters', compressAnswers);
  app.use('/api/admin/*', compressAnswers);
  app.use(PRIVACY_PATH, compressAnswers);

  app.route('/api/campaigns', campaignRoutes({ campaigns, store, origins, publicUrl: config.publicUrl }));
  app.route('/api/campaigns', supporterRoutes({ campaigns, store }));
  app.route('/api/campaigns', bannerRoutes({ campaigns, store, messages }));
  app.route('/api/admin', adminRoutes({ adminToken: config.adminToken, campaigns, store, origins, logger, now }));
  app.route('/api/campaigns', challengeRoutes({ campaigns, proofOfWork, logger, rateLimits, trustProxy }));
  app.route('/', signerLinkRoutes({ store, campaigns, messages, now, publicUrl: config.publicUrl }));
  app.route('/', declarationRoutes({ campaigns }));
  app.route('/', embedRoutes({ campaigns, publicUrl: config.publicUrl }));
  app.route('/', privacyRoutes({ campaigns, messages, config }));
  if (mail.devOutbox) app.route('/', devOutboxRoutes(mail.devOutbox));
  app.route('/', healthRoutes({ store }));
  app.route('/', staticRoutes({ widgetDir, demoDir, contentDir: config.contentDir }));

  app.notFound((c) =>
    c.req.path.startsWith('/api/') ? send(c, apiError(404, 'not_found', 'There is nothing at this address.')) : c.text('Not found', 404),
  );

  app.onError((error, c) => {
    if (error instanceof StoreUnavailableError) return send(c, storeUnavailable);
    if (error instanceof HTTPException && error.status < 500) {
      return send(c, apiError(error.status, 'bad_request', 'The request could not be handled.'));
    }
    return send(c, unhandledError(logger, c.req.method, routePattern(c), error));
  });

  const hono = getRequestListener(app.fetch);
  return (incoming, outgoing) => {
    if (!door(incoming, outgoing)) void hono(incoming, outgoing);
  };
}
