/** Sends email: through SMTP when SMTP_URL is set, otherwise into the development outbox. */
export interface MailMessage {
  to: string;
  subject: string;
  /** The plain-text part. */
  text: string;
  /** The HTML part, saying the same (see signer-mail.ts): the mail goes as multipart/alternative. */
  html: string;
}

export interface Mailer {
  /** Resolves once the mail was handed over; rejects with the reason otherwise. */
  send(message: MailMessage): Promise<void>;
  /** Lets go of connections, on shutdown. */
  close?(): void;
}
