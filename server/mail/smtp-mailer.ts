/** Mail through an SMTP server (SMTP_URL), with nodemailer. */
import { createTransport } from 'nodemailer';
import type { Mailer, MailMessage } from './mailer.js';

export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  // A small pool: a burst of signatures does not open a connection per mail. Timeouts well
  // under nodemailer's minutes, so one stuck server does not hold the outbox up for long.
  const transport = createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: 3,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  return {
    async send({ to, subject, text, html }: MailMessage) {
      // Both parts: nodemailer sends them as multipart/alternative, the plain text first.
      // Auto-Submitted (RFC 3834): out-of-office replies should not answer a robot.
      await transport.sendMail({ from, to, subject, text, html, headers: { 'Auto-Submitted': 'auto-generated' } });
    },
    close: () => transport.close(),
  };
}
