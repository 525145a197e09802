/**
 * Sends email. The seam for the confirmation flow that comes later: SMTP when SMTP_URL is set,
 * otherwise a local development outbox. Nothing implements it yet.
 */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
