/**
 * Server settings from environment variables, checked once at start. A bad value stops the
 * server with a message naming the variable, rather than surfacing later as a strange failure.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import addressparser from 'nodemailer/lib/addressparser';
import * as z from 'zod';
import { CONFIRM_LINK_DAYS } from './link-tokens.js';
import { findRepoRoot } from './repo-root.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Partner id → the origins whose pages may sign for that partner. */
export type PartnerOrigins = Record<string, string[]>;

/** The one header the proxy in front sets with the client's address; false: no proxy is trusted. */
export type TrustProxy = false | 'x-forwarded-for' | 'forwarded';

export interface Config {
  port: number;
  /** A SQLite file path or a `postgres://` URL; `openStore` decides what it can open. */
  databaseUrl: string;
  /** Without a trailing slash. */
  publicUrl: string;
  smtpUrl?: string;
  /** The From of the mails to signers: an address, optionally with a name. */
  mailFrom: string;
  adminToken?: string;
  doubleOptIn: boolean;
  botProtection: boolean;
  /** Signs the proof-of-work challenges; none: a key kept in the store, made once and shared by every process. */
  altchaHmacKey?: string;
  rateLimit: boolean;
  partnerOrigins?: PartnerOrigins;
  trustProxy: TrustProxy;
  /** How long a signature waiting for confirmation is kept after its last mail. */
  retainUnconfirmedDays: number;
  /** How long a confirmed signature keeps its personal data; 0: until it is withdrawn or erased. */
  retainConfirmedDays: number;
  contentDir: string;
  logLevel: LogLevel;
}

export type Env = Record<string, string | undefined>;

const SWITCH = { on: true, true: true, '1': true, off: false, false: false, '0': false } as const;

const onOff = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(Object.keys(SWITCH) as (keyof typeof SWITCH)[], { error: 'must be on or off (or true/false, 1/0)' }))
  .transform((value) => SWITCH[value]);

/** A switch, or the header the proxy sets; `on` meant X-Forwarded-For before Forwarded was read alone. */
const PROXY_SETTING = { ...SWITCH, 'x-forwarded-for': true, forwarded: 'forwarded' } as const;
const trustProxy = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(
    z.enum(Object.keys(PROXY_SETTING) as (keyof typeof PROXY_SETTING)[], {
      error: 'must be on or off (or true/false, 1/0), or name the one header the proxy sets: x-forwarded-for (what on means) or forwarded',
    }),
  )
  .transform((value): TrustProxy => {
    const setting = PROXY_SETTING[value];
    return setting === true ? 'x-forwarded-for' : setting;
  });

const isUrlWith = (protocols: string[]) => (value: string) => {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/** One address, optionally with a display name; no line breaks that could add headers. */
const isMailbox = (value: string) => {
  const parsed = addressparser(value);
  return !/[\r\n]/.test(value) && parsed.length === 1 && /^[^@\s]+@[^@\s]+$/.test(parsed[0]!.address ?? '');
};

const PORT_RULE = 'must be an integer 1-65535';
const port = z
  .string()
  .trim()
  .regex(/^\d{1,5}$/, { error: PORT_RULE })
  .transform(Number)
  .pipe(z.number().min(1, { error: PORT_RULE }).max(65535, { error: PORT_RULE }));

const days = (min: number) => {
  const rule = `must be a whole number of days, at least ${min}`;
  return z
    .string()
    .trim()
    .regex(/^\d{1,6}$/, { error: rule })
    .transform(Number)
    .pipe(z.number().min(min, { error: rule }));
};

const PARTNER_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

/** An origin exactly as a browser sends it: scheme, host and port, nothing more. */
export const origin = z
  .string()
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return ['http:', 'https:'].includes(url.protocol) && url.origin === value.replace(/\/$/, '');
      } catch {
        return false;
      }
    },
    { error: 'must list origins such as "https://example.org" (scheme and host only)' },
  )
  .transform((value) => new URL(value).origin);

/** The partner registry: JSON itself, or the path of a JSON file that holds it (e.g. in CONTENT_DIR). */
const partnerOrigins = z
  .string()
  .transform((text, ctx) => {
    const isJson = /^\s*[[{]/.test(text);
    try {
      return JSON.parse(isJson ? text : readFileSync(resolve(text), 'utf8')) as unknown;
    } catch {
      ctx.issues.push({
        code: 'custom',
        input: text,
        message: isJson ? 'must be valid JSON' : 'must be JSON or the path of a readable JSON file',
      });
      return z.NEVER;
    }
  })
  .pipe(
    z.record(z.string().regex(PARTNER_ID), z.array(origin, { error: 'must map each partner id to an array of origins' }), {
      error: (issue) =>
        issue.code === 'invalid_key'
          ? 'must use partner ids made of letters, digits, ".", "_" and "-"'
          : 'must be a JSON object of partner id → array of origins, e.g. {"plovdiv":["https://plovdiv.bg"]}',
    }),
  );

const schema = z.object({
  PORT: port.default(8787),
  DATABASE_URL: z.string().trim().default('data/cohesion.sqlite'),
  PUBLIC_URL: z
    .string()
    .trim()
    .refine(isUrlWith(['http:', 'https:']), { error: 'must be an http:// or https:// URL' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  SMTP_URL: z
    .string()
    .trim()
    .refine(isUrlWith(['smtp:', 'smtps:']), { error: 'must be an smtp:// or smtps:// URL' })
    .optional(),
  MAIL_FROM: z
    .string()
    .trim()
    .refine(isMailbox, { error: 'must be one email address, optionally with a name: "#CohesionAlliance" <no-reply@example.org>' })
    .default('"#CohesionAlliance" <no-reply@localhost>'),
  ADMIN_TOKEN: z.string().trim().min(16, { error: 'must be at least 16 characters long' }).optional(),
  DOUBLE_OPT_IN: onOff.default(true),
  BOT_PROTECTION: onOff.default(true),
  ALTCHA_HMAC_KEY: z.string().trim().min(32, { error: 'must be at least 32 characters long' }).optional(),
  RATE_LIMIT: onOff.default(true),
  PARTNER_ORIGINS: partnerOrigins.optional(),
  TRUST_PROXY: trustProxy.default(false),
  // A confirmation link works for CONFIRM_LINK_DAYS: its signature must outlive it.
  RETAIN_UNCONFIRMED_DAYS: days(CONFIRM_LINK_DAYS).default(30),
  RETAIN_CONFIRMED_DAYS: days(0).default(0),
  CONTENT_DIR: z
    .string()
    .transform((path) => resolve(path))
    .optional(),
  LOG_LEVEL: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['debug', 'info', 'warn', 'error', 'silent'], { error: 'must be debug, info, warn, error or silent' }))
    .default('info'),
});

/** Variables whose values never appear in an error message: they may hold passwords or tokens. */
const SECRET = new Set(['DATABASE_URL', 'SMTP_URL', 'ADMIN_TOKEN', 'ALTCHA_HMAC_KEY']);

/** Reads the settings from `env`, or throws an Error naming the first bad variable. */
export function loadConfig(env: Env, repoRoot: string = findRepoRoot()): Config {
  // An empty value (`PORT=` in a compose file) means "not set", so the default applies.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(given);
  if (!result.success) throw new Error(describeIssue(result.error.issues[0]!, given));
  const vars = result.data;
  const publicUrl = vars.PUBLIC_URL ?? `http://localhost:${vars.PORT}`;
  if (!vars.SMTP_URL && !isLocalUrl(publicUrl)) {
    throw new Error(
      `SMTP_URL must be set when PUBLIC_URL is not this machine (got PUBLIC_URL "${publicUrl}"): without mail no signer ` +
        'gets the link to confirm or withdraw, and the development outbox, which would hold those mails, is only for localhost.',
    );
  }
  return {
    port: vars.PORT,
    databaseUrl: vars.DATABASE_URL,
    publicUrl,
    smtpUrl: vars.SMTP_URL,
    mailFrom: vars.MAIL_FROM,
    adminToken: vars.ADMIN_TOKEN,
    doubleOptIn: vars.DOUBLE_OPT_IN,
    botProtection: vars.BOT_PROTECTION,
    altchaHmacKey: vars.ALTCHA_HMAC_KEY,
    rateLimit: vars.RATE_LIMIT,
    partnerOrigins: vars.PARTNER_ORIGINS,
    trustProxy: vars.TRUST_PROXY,
    retainUnconfirmedDays: vars.RETAIN_UNCONFIRMED_DAYS,
    retainConfirmedDays: vars.RETAIN_CONFIRMED_DAYS,
    contentDir: vars.CONTENT_DIR ?? join(repoRoot, 'server', 'content'),
    logLevel: vars.LOG_LEVEL,
  };
}

/** http://localhost, *.localhost, 127.x.x.x or [::1]: a server only this machine reaches. */
export function isLocalUrl(url: string): boolean {
  const { hostname } = new URL(url);
  return /^(?:localhost|.+\.localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i.test(hostname);
}

function describeIssue(issue: z.core.$ZodIssue, given: Record<string, string | undefined>): string {
  const [name, ...where] = issue.path.map(String);
  const variable = name ?? 'environment';
  const at = where.length ? ` (at ${where.map((key) => (/^\d+$/.test(key) ? `[${key}]` : `"${key}"`)).join('')})` : '';
  const value = given[variable];
  const got = SECRET.has(variable) ? '' : `, got ${JSON.stringify(value)}`;
  return `${variable} ${issue.message}${at}${got}`;
}
