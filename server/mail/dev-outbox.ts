/**
 * Without SMTP_URL, mails are kept here instead of sent, and /dev/outbox shows them: a developer
 * can sign, open the mail and click its links without a mail server. In memory, and only the
 * latest, because it is for trying things out.
 */
import type { Mailer, MailMessage } from './mailer.js';

export interface OutboxMail extends MailMessage {
  /** 1, 2, ... in the order kept: for the link to its HTML part. */
  id: number;
  /** Epoch milliseconds. */
  sentAt: number;
}

const KEEP = 100;

export class DevOutbox implements Mailer {
  private readonly mails: OutboxMail[] = [];
  private lastId = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async send(message: MailMessage) {
    this.mails.push({ ...message, id: ++this.lastId, sentAt: this.now() });
    if (this.mails.length > KEEP) this.mails.shift();
  }

  get(id: number): OutboxMail | undefined {
    return this.mails.find((mail) => mail.id === id);
  }

  /** Newest first. */
  list(): OutboxMail[] {
    return [...this.mails].reverse();
  }
}
