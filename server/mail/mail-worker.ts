/**
 * Sends the mails that signing queues in the store's outbox, off the request path: a signature
 * is answered once it and its mail are committed, and this worker sends the mail soon after.
 * A mail that fails is tried again after growing pauses. One that a stopped or crashed process
 * did not finish is taken again when its lease runs out, so a restart loses nothing.
 *
 * When the store fails under it (its database stops), the mails it had claimed and not sent are
 * released, due again at once, and the results of those it sent are kept until the store takes
 * them: a few seconds after the store is back the mails go out, rather than when their lease runs
 * out, and none goes out twice.
 *
 * Signers first: while requests keep the event loop busy, the mails wait in the outbox, where
 * they are safe, and go out one batch a second; they catch up as soon as the rush eases. The
 * event loop's time goes to answering signers, and a real mail relay could not take thousands
 * of mails a second anyway.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { CONFIRM_LINK_TTL_MS, newLinkToken } from '../link-tokens.js';
import type { Logger } from '../logger.js';
import type { MailJob, MailResult, NewLinkToken, SignatureStore } from '../store/signature-store.js';
import type { Mailer, MailMessage } from './mailer.js';
import type { MailTokens } from './signer-mail.js';

export interface MailWorkerDeps {
  store: SignatureStore;
  mailer: Mailer;
  /** Writes a job's mail around the tokens of its links. */
  write: (job: MailJob, tokens: MailTokens) => MailMessage;
  now: () => number;
  logger: Logger;
}

/** The pauses before the second, third, ... attempt. After the last attempt the mail is given up. */
export const RETRY_DELAYS_MS = [1, 5, 30, 120].map((minutes) => minutes * 60_000);

const BATCH = 200;
/** Far longer than one send may take (see the SMTP timeouts), so no mail goes out twice at once. */
const LEASE_MS = 10 * 60_000;
/** How often the outbox is checked for retries that came due and for mails of earlier runs. */
const POLL_MS = 30_000;
/** How soon a run that failed with results still to write (see `unsettled`) is tried again. */
const RETRY_MS = 5_000;
/** A wake waits this long, so that a burst of signatures is sent as one batch. */
const GATHER_MS = 100;
/** Busier than this (the event loop's utilisation over PROBE_MS), and the next batch waits... */
const BUSY = 0.75;
const PROBE_MS = 20;
/** ...but never longer than this between two batches, so mail slows under load and never stops. */
const MAX_WAIT_MS = 1000;

export class MailWorker {
  private scheduled?: Promise<void>;
  private running: Promise<void> = Promise.resolve();
  private poll?: NodeJS.Timeout;
  private retry?: NodeJS.Timeout;
  private stopped = false;
  /** Results the store could not take yet (releases of unsent mails among them): written first. */
  private unsettled: MailResult[] = [];

  constructor(private readonly deps: MailWorkerDeps) {}

  /** Checks the outbox now, and from now on every POLL_MS. */
  start() {
    this.poll = setInterval(() => void this.wake(), POLL_MS);
    this.poll.unref();
    void this.wake();
  }

  /** Sends what is due, shortly. Resolves once that is done; never rejects. */
  wake(): Promise<void> {
    if (this.stopped) return this.running;
    // One run at a time: a wake during a run sends after it; wakes before it starts join it.
    this.scheduled ??= this.running = this.running.then(() => {
      this.scheduled = undefined;
      return this.sendDue();
    });
    return this.scheduled;
  }

  /** Takes no more mails, waits for those under way, then closes the mailer. */
  async stop() {
    this.stopped = true;
    clearInterval(this.poll);
    clearTimeout(this.retry);
    await this.scheduled;
    await this.running;
    // A last try; what the store does not take now, it leases out again when the lease runs out.
    await this.settle().catch(() => undefined);
    this.deps.mailer.close?.();
  }

  private async sendDue() {
    try {
      await delay(GATHER_MS);
      await this.settle();
      while (!this.stopped) {
        await this.signersFirst();
        if (this.stopped || (await this.sendBatch()) < BATCH) break;
      }
    } catch (error) {
      const { name, code } = error as NodeJS.ErrnoException;
      this.deps.logger.error('mail_outbox_failed', { name, code });
      if (this.unsettled.length && !this.stopped) {
        this.retry ??= setTimeout(() => {
          this.retry = undefined;
          void this.wake();
        }, RETRY_MS).unref();
      }
    }
  }

  /** Writes the results kept from earlier, if any. */
  private async settle() {
    if (!this.unsettled.length) return;
    await this.deps.store.settleMails(this.unsettled);
    this.unsettled = [];
  }

  /** Waits while requests keep the event loop busier than BUSY, for MAX_WAIT_MS at most. */
  private async signersFirst() {
    const started = performance.now();
    do {
      const before = performance.eventLoopUtilization();
      await delay(PROBE_MS);
      if (performance.eventLoopUtilization(before).utilization < BUSY) return;
    } while (!this.stopped && performance.now() - started < MAX_WAIT_MS);
  }

  /** Sends one batch; returns how many mails it took. */
  private async sendBatch(): Promise<number> {
    const { store, now } = this.deps;
    const jobs = await store.claimMails(now(), BATCH, LEASE_MS);
    if (!jobs.length) return 0;
    const issued = jobs.map((job) => ({ job, ...this.issueTokens(job) }));
    let latest: Set<number>;
    try {
      // Stored before the mails go out, so that their links work as soon as they arrive. A mail
      // whose tokens were not kept is no longer its signature's latest (signed again, or erased,
      // since it was claimed): it is not sent, and its signature's next mail, if any, stays queued.
      latest = new Set(await store.addLinkTokens(issued.flatMap(({ hashes }) => hashes)));
    } catch (error) {
      // None sent: released, due again at once (the attempt counts, as a failed one would).
      this.unsettled.push(...jobs.map(({ id, attempt }) => ({ id, attempt, retryAt: now() })));
      throw error;
    }
    const toSend = issued.filter(({ job }) => latest.has(job.signatureId));
    this.unsettled.push(...(await Promise.all(toSend.map(({ job, tokens }) => this.send(job, tokens)))));
    await this.settle();
    return jobs.length;
  }

  /** Fresh tokens for each mail: the store has only hashes, so earlier links cannot be re-sent. */
  private issueTokens(job: MailJob): { tokens: MailTokens; hashes: NewLinkToken[] } {
    const { signatureId, queuedAt } = job;
    const withdraw = newLinkToken(signatureId);
    const hashes: NewLinkToken[] = [{ signatureId, queuedAt, hash: withdraw.hash, purpose: 'withdraw', expiresAt: null }];
    if (job.status === 'confirmed') return { tokens: { withdraw: withdraw.token }, hashes };
    const confirm = newLinkToken(signatureId);
    const expiresAt = this.deps.now() + CONFIRM_LINK_TTL_MS;
    hashes.push({ signatureId, queuedAt, hash: confirm.hash, purpose: 'confirm', expiresAt });
    return { tokens: { confirm: confirm.token, withdraw: withdraw.token }, hashes };
  }

  private async send(job: MailJob, tokens: MailTokens): Promise<MailResult> {
    const { mailer, write, now, logger } = this.deps;
    try {
      await mailer.send(write(job, tokens));
      logger.info('mail_sent', { mail: job.id, attempt: job.attempt });
      return { id: job.id, attempt: job.attempt };
    } catch (error) {
      // Codes only: the text of an SMTP reply may quote the address.
      const { code, responseCode } = error as { code?: string; responseCode?: number };
      const fields = { mail: job.id, attempt: job.attempt, code, responseCode };
      const delay = RETRY_DELAYS_MS[job.attempt - 1];
      if (delay === undefined) {
        logger.error('mail_given_up', fields);
        return { id: job.id, attempt: job.attempt };
      }
      logger.warn('mail_will_retry', { ...fields, inSeconds: delay / 1000 });
      return { id: job.id, attempt: job.attempt, retryAt: now() + delay };
    }
  }
}
