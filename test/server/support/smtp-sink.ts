/**
 * A real SMTP server for the tests, on a free port: it keeps every mail it accepts, decoded
 * (subject, and each part of a multipart mail), and can be told to refuse the next recipient
 * with a 4xx.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The message's own headers, names in lower case. */
  headers: Record<string, string>;
  subject: string;
  /** The first text/plain part. */
  text: string;
  /** The first text/html part, if any. */
  html?: string;
  /** Every part that is not itself multipart, in order, decoded. */
  parts: MimePart[];
}

export interface MimePart {
  /** Its Content-Type without parameters, in lower case: `text/plain`. */
  type: string;
  headers: Record<string, string>;
  body: string;
}

export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>`, for SMTP_URL. */
  url: string;
  /** Everything accepted so far, oldest first. */
  mails: ReceivedMail[];
  /** How many RCPT commands were refused. */
  refused: number;
  /** Answers the next RCPT with `451 try again later`, once. */
  refuseNextRecipient(): void;
  /** The first mail to `address` that arrives after this call or is not yet taken. */
  nextMailTo(address: string, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const taken = new Set<ReceivedMail>();
  const waiters = new Set<() => void>();
  let refuseNext = false;
  let refused = 0;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (!refuseNext) return callback();
      refuseNext = false;
      refused += 1;
      callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        mails.push({
          from,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          ...parseMessage(Buffer.concat(chunks).toString('latin1')),
        });
        for (const wake of waiters) wake();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    get refused() {
      return refused;
    },
    refuseNextRecipient: () => void (refuseNext = true),
    async nextMailTo(address, timeoutMs = 5000) {
      const find = () => mails.find((mail) => !taken.has(mail) && mail.to.includes(address));
      const deadline = Date.now() + timeoutMs;
      let mail = find();
      while (!mail) {
        if (Date.now() > deadline) throw new Error(`no mail to ${address} within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const wake = () => (waiters.delete(wake), resolve());
          waiters.add(wake);
          setTimeout(wake, 50);
        });
        mail = find();
      }
      taken.add(mail);
      return mail;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Just enough MIME for the mails the server sends: unfolded headers, encoded words, multipart
 * bodies split at their boundaries, and each part's transfer encoding (UTF-8 text assumed).
 */
function parseMessage(raw: string): Pick<ReceivedMail, 'headers' | 'subject' | 'text' | 'html' | 'parts'> {
  const { headers, parts } = parseEntity(raw);
  return {
    headers,
    subject: decodeWords(headers.subject ?? ''),
    text: parts.find((part) => part.type === 'text/plain')?.body ?? '',
    html: parts.find((part) => part.type === 'text/html')?.body,
    parts,
  };
}

function parseEntity(raw: string): { headers: Record<string, string>; parts: MimePart[] } {
  const split = raw.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of raw
    .slice(0, split)
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = raw.slice(split + 4);
  const contentType = headers['content-type'] ?? 'text/plain';
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
    if (!boundary) throw new Error(`a multipart mail without a boundary: ${contentType}`);
    // The parts sit between `--boundary` lines; `--boundary--` closes the last.
    const [, ...sections] = body.split(`--${boundary}`);
    const parts = sections
      .filter((section) => !section.startsWith('--'))
      .flatMap((section) => parseEntity(section.replace(/^\r\n/, '').replace(/\r\n$/, '')).parts);
    return { headers, parts };
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const text =
    encoding === 'base64'
      ? Buffer.from(body, 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body)
        : Buffer.from(body, 'latin1').toString('utf8');
  return { headers, parts: [{ type, headers, body: text.replace(/\r\n/g, '\n') }] };
}

const decodeQuotedPrintable = (text: string) =>
  Buffer.from(
    text.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');

/** RFC 2047 encoded words, such as `=?UTF-8?B?…?=`; whitespace between two of them is dropped. */
const decodeWords = (value: string) =>
  value
    .replace(/(\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?[^?]+\?([BQ])\?([^?]*)\?=/gi, (_, kind: string, data: string) =>
      kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
