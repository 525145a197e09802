/** The mail side as main.ts and the tests build it: SMTP when SMTP_URL is set, else the development outbox. */
import type { CampaignCatalog } from '../campaigns.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { MessageCatalog } from '../messages.js';
import type { SignatureStore } from '../store/signature-store.js';
import { DevOutbox } from './dev-outbox.js';
import { MailWorker } from './mail-worker.js';
import type { Mailer } from './mailer.js';
import { signerMail } from './signer-mail.js';
import { createSmtpMailer } from './smtp-mailer.js';

export interface Mailing {
  worker: MailWorker;
  /** Only without SMTP_URL. */
  devOutbox?: DevOutbox;
}

export interface MailingDeps {
  config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'publicUrl'>;
  store: SignatureStore;
  campaigns: CampaignCatalog;
  messages: MessageCatalog;
  now: () => number;
  logger: Logger;
}

export function createMailing({ config, store, campaigns, messages, now, logger }: MailingDeps): Mailing {
  const workerFor = (mailer: Mailer) =>
    new MailWorker({
      store,
      mailer,
      now,
      logger,
      write: (job, tokens) => signerMail(job, tokens, { campaigns, messages, publicUrl: config.publicUrl }),
    });
  if (config.smtpUrl) return { worker: workerFor(createSmtpMailer(config.smtpUrl, config.mailFrom)) };
  const devOutbox = new DevOutbox(now);
  return { worker: workerFor(devOutbox), devOutbox };
}
