/**
 * The HTTP application, built from what it needs so that tests can build one around a temp
 * database and call `app.request()`. Nothing here touches the process, the port or signals.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { CampaignCatalog } from './campaigns.js';
import type { Config } from './config.js';
import { apiError, storeUnavailable } from './http/api-error.js';
import { compressAnswers } from './http/compression.js';
import { PartnerOriginPolicy } from './http/partner-origins.js';
import { requestLog, routePattern } from './http/request-log.js';
import { securityHeaders } from './http/security-headers.js';
import { silentLogger, type Logger } from './logger.js';
import { CountHub } from './live/count-hub.js';
import type { Mailing } from './mail/mailing.js';
import type { MessageCatalog } from './messages.js';
import { ProofOfWork } from './protection/proof-of-work.js';
import { RateLimits } from './protection/rate-limits.js';
import { adminRoutes } from './routes/admin.js';
import { campaignRoutes } from './routes/campaigns.js';
import { challengeRoutes } from './routes/challenge.js';
import { countStreamRoutes } from './routes/count-stream.js';
import { declarationRoutes } from './routes/declaration.js';
import { devOutboxRoutes } from './routes/dev-outbox.js';
import { healthRoutes } from './routes/health.js';
import { signatureRoutes } from './routes/signatures.js';
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
}: AppDeps) {
  const app = new Hono();
  const { trustProxy } = config;
  const origins = new PartnerOriginPolicy(config.partnerOrigins, config.publicUrl, () => store.partners(), now);
  // Challenges are served even while bot protection is off, so the widget need not know; then
  // with no minimum fill time, so it never waits for a check nobody makes.
  const proofOfWork = new ProofOfWork(config.altchaHmacKey, store, now, config.botProtection ? undefined : 0);
  const rateLimits = config.rateLimit ? new RateLimits(now) : undefined;

  // First, so no middleware touches the responses the streams write themselves.
  app.route('/api/campaigns', countStreamRoutes({ campaigns, countHub, logger, rateLimits, trustProxy }));
  app.use(requestLog(logger));
  app.use(securityHeaders);
  app.use('/api/*', origins.cors());
  // The answers that can be long, and only those: the count and signing stay uncompressed.
  app.use('/api/campaigns/:campaign/supporters', compressAnswers);
  app.use('/api/admin/*', compressAnswers);

  app.route('/api/campaigns', campaignRoutes({ campaigns, store, publicUrl: config.publicUrl }));
  app.route('/api/campaigns', supporterRoutes({ campaigns, store }));
  app.route('/api/admin', adminRoutes({ adminToken: config.adminToken, campaigns, store, origins, logger, now }));
  app.route('/api/campaigns', challengeRoutes({ campaigns, proofOfWork, logger, rateLimits, trustProxy }));
  app.route(
    '/api/campaigns',
    signatureRoutes({
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
  );
  app.route('/', signerLinkRoutes({ store, campaigns, messages, now, publicUrl: config.publicUrl }));
  app.route('/', declarationRoutes({ campaigns }));
  if (mail.devOutbox) app.route('/', devOutboxRoutes(mail.devOutbox));
  app.route('/', healthRoutes({ store }));
  app.route('/', staticRoutes({ widgetDir, demoDir, contentDir: config.contentDir }));

  app.notFound((c) =>
    c.req.path.startsWith('/api/') ? apiError(c, 404, 'not_found', 'There is nothing at this address.') : c.text('Not found', 404),
  );

  app.onError((error, c) => {
    if (error instanceof StoreUnavailableError) return storeUnavailable(c);
    if (error instanceof HTTPException && error.status < 500) {
      return apiError(c, error.status, 'bad_request', 'The request could not be handled.');
    }
    // Name, code and stack frames only: an error's message may quote the input it choked on.
    logger.error('unhandled_error', {
      method: c.req.method,
      route: routePattern(c),
      name: error.name,
      code: (error as { code?: string }).code,
      stack: error.stack?.split('\n').slice(1, 6).join('\n'),
    });
    return apiError(c, 500, 'internal', 'Something went wrong on our side. Please try again later.');
  });

  return app;
}
