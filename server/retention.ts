/**
 * Keeps personal data no longer than the settings say: signatures never confirmed are erased
 * RETAIN_UNCONFIRMED_DAYS after their last mail; confirmed ones lose name, email, organisation
 * and role RETAIN_CONFIRMED_DAYS after confirmation (0: never) and stay counted, so the public
 * count stays true. Runs in every process, which is harmless: the erasing is idempotent.
 */
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { SignatureStore } from './store/signature-store.js';

const DAY_MS = 24 * 60 * 60_000;
/** Data is kept at most this much longer than the setting says. */
const INTERVAL_MS = 60 * 60_000;

export interface RetentionDeps {
  store: SignatureStore;
  config: Pick<Config, 'retainUnconfirmedDays' | 'retainConfirmedDays'>;
  now: () => number;
  logger: Logger;
}

export class RetentionJob {
  private timer?: NodeJS.Timeout;

  constructor(private readonly deps: RetentionDeps) {}

  /** Runs now, then every hour; the timer does not keep the process alive. */
  start() {
    this.timer = setInterval(() => void this.run(), INTERVAL_MS);
    this.timer.unref();
    void this.run();
  }

  stop() {
    clearInterval(this.timer);
  }

  /** One pass. Never rejects: a failure is logged, and the next pass tries again. */
  async run() {
    const { store, config, now, logger } = this.deps;
    const at = now();
    try {
      const { erased, anonymised } = await store.eraseExpired({
        pendingBefore: at - config.retainUnconfirmedDays * DAY_MS,
        confirmedBefore: config.retainConfirmedDays ? at - config.retainConfirmedDays * DAY_MS : undefined,
      });
      if (erased || anonymised) logger.info('retention', { erased, anonymised });
    } catch (error) {
      const { name, code } = error as NodeJS.ErrnoException;
      logger.error('retention_failed', { name, code });
    }
  }
}
