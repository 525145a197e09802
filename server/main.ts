/**
 * Starts the server: the one file that reads the environment, listens on a port and handles
 * signals. Everything else is built by createApp from what it is given.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createApp } from './app.js';
import { loadCampaigns, unfilledPrivacyNotices } from './campaigns.js';
import { isLocalUrl, loadConfig, type Config } from './config.js';
import { gracefulClose } from './http/graceful-close.js';
import { createNodeServer } from './http/node-server.js';
import { createJsonLogger } from './logger.js';
import { CountHub } from './live/count-hub.js';
import { createMailing } from './mail/mailing.js';
import { loadMessages } from './messages.js';
import { findRepoRoot } from './repo-root.js';
import { limitConnections } from './protection/connection-limits.js';
import { RetentionJob } from './retention.js';
import { openStore } from './store/open-store.js';
import type { SignatureStore } from './store/signature-store.js';

/** How long in-flight requests get to finish after SIGTERM before the store closes anyway. */
const SHUTDOWN_GRACE_MS = 5000;

const root = findRepoRoot(import.meta.url);

function fail(error: unknown): never {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

let config: Config;
let store: SignatureStore;
try {
  config = loadConfig(process.env, root);
} catch (error) {
  fail(error);
}
const logger = createJsonLogger(config.logLevel, (line) => process.stdout.write(`${line}\n`));
try {
  store = await openStore(config.databaseUrl);
} catch (error) {
  fail(error);
}
function orFail<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    return fail(error);
  }
}
const campaigns = orFail(() => loadCampaigns(config.contentDir));
const messages = orFail(() => loadMessages(config.contentDir));
const unfilled = unfilledPrivacyNotices(campaigns);
if (unfilled.length) {
  const fillIn = `fill in "controller" (name, address, email) in ${unfilled.join(', ')}`;
  if (!isLocalUrl(config.publicUrl)) {
    fail(`The privacy notice names no controller, or the sample's: ${fillIn} before serving it at ${config.publicUrl}.`);
  }
  logger.warn('privacy_notice_sample', { message: `The privacy notice names no controller, or the sample's: ${fillIn} before launch.` });
}

const widgetDir = join(root, 'dist', 'widget');
const demoDir = join(root, 'demo');
if (!existsSync(join(widgetDir, 'cohesion-declaration.js'))) {
  logger.warn('widget_not_built', { widgetDir, hint: 'run npm run build' });
}

const mail = createMailing({ config, store, campaigns, messages, now: Date.now, logger });
if (mail.devOutbox) {
  logger.warn('mail_to_dev_outbox', {
    message:
      'SMTP_URL is not set: no mail is sent. Mails go to the development outbox, which only a browser on this machine can open. Set SMTP_URL in production.',
    outbox: `${config.publicUrl}/dev/outbox`,
  });
}
mail.worker.start();
const retention = new RetentionJob({ store, config, now: Date.now, logger });
retention.start();

const countHub = new CountHub(store);
const app = createApp({ config, store, campaigns, messages, mail, widgetDir, demoDir, logger, countHub });
const server = createNodeServer(app);
const closeServer = gracefulClose(server);
limitConnections(server, { capPerClient: config.rateLimit && !config.trustProxy, logger });
server.once('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES') throw error;
  const why = error.code === 'EADDRINUSE' ? 'is in use by another program' : 'may not be opened by this user';
  fail(`Port ${config.port} ${why}: stop that program, or choose another port with the PORT setting (PORT=8788 npm start).`);
});
server.listen(config.port, () => {
  const { port } = server.address() as AddressInfo;
  logger.info('listening', { url: config.publicUrl, port, campaigns: campaigns.ids().join(',') });
  // For the person who just typed `npm start`; the JSON line above is for log collectors.
  console.log(`open http://localhost:${port}/`);
});

let stopping = false;
function shutdown(signal: NodeJS.Signals | 'store_failed') {
  if (stopping) return;
  stopping = true;
  logger.info('stopping', { signal });
  // Once: the grace timer must not exit while the store is still writing what is queued.
  let closing: Promise<never> | undefined;
  const closeStoreAndExit = () =>
    (closing ??= store
      .close()
      .catch((error: Error) => logger.error('store_close_failed', { name: error.name }))
      .then(() => process.exit()));
  // Stop accepting, answer what is in flight with `Connection: close`, close the idle connections
  // (see http/graceful-close.ts); end the event streams (their clients reconnect elsewhere); once
  // every connection has ended, finish the mails under way, write what is queued and close the
  // store. A mail not finished in time stays in the outbox for the next start.
  void closeServer().then(() => mail.worker.stop().then(closeStoreAndExit));
  countHub.close();
  retention.stop();
  setTimeout(() => void closeStoreAndExit(), SHUTDOWN_GRACE_MS).unref();
}
// A store that failed for good (an fsync failed) takes no more writes: stop, with exit code 1 so
// that the supervisor starts the server again, and SQLite recovers the file from its WAL.
store.onFailure(({ cause }) => {
  const { name, code } = (cause ?? {}) as { name?: string; code?: string };
  logger.error('store_failed', { name, code });
  process.exitCode = 1;
  shutdown('store_failed');
});
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
