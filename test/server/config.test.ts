import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../server/config.js';

const ROOT = '/srv/cohesion';

describe('loadConfig', () => {
  it('has a working default for everything', () => {
    assert.deepEqual(loadConfig({}, ROOT), {
      port: 8787,
      databaseUrl: 'data/cohesion.sqlite',
      publicUrl: 'http://localhost:8787',
      smtpUrl: undefined,
      mailFrom: '"#CohesionAlliance" <no-reply@localhost>',
      adminToken: undefined,
      doubleOptIn: true,
      botProtection: true,
      altchaHmacKey: undefined,
      rateLimit: true,
      partnerOrigins: undefined,
      trustProxy: false,
      retainUnconfirmedDays: 30,
      retainConfirmedDays: 0,
      contentDir: join(ROOT, 'server', 'content'),
      logLevel: 'info',
    });
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '9000',
        DATABASE_URL: 'postgres://cohesion@db/cohesion',
        PUBLIC_URL: 'https://sign.example.eu/',
        SMTP_URL: 'smtps://user:pass@mail.example.eu:465',
        MAIL_FROM: 'Cohesion Alliance <sign@example.eu>',
        ADMIN_TOKEN: 'a-long-enough-admin-token',
        DOUBLE_OPT_IN: 'off',
        BOT_PROTECTION: 'false',
        ALTCHA_HMAC_KEY: 'a-key-of-at-least-thirty-two-characters',
        RATE_LIMIT: '0',
        PARTNER_ORIGINS: '{"plovdiv":["https://plovdiv.bg","https://www.plovdiv.bg/"]}',
        TRUST_PROXY: 'on',
        RETAIN_UNCONFIRMED_DAYS: '14',
        RETAIN_CONFIRMED_DAYS: '365',
        CONTENT_DIR: '/etc/cohesion/content',
        LOG_LEVEL: 'warn',
      },
      ROOT,
    );
    assert.deepEqual(config, {
      port: 9000,
      databaseUrl: 'postgres://cohesion@db/cohesion',
      publicUrl: 'https://sign.example.eu',
      smtpUrl: 'smtps://user:pass@mail.example.eu:465',
      mailFrom: 'Cohesion Alliance <sign@example.eu>',
      adminToken: 'a-long-enough-admin-token',
      doubleOptIn: false,
      botProtection: false,
      altchaHmacKey: 'a-key-of-at-least-thirty-two-characters',
      rateLimit: false,
      partnerOrigins: { plovdiv: ['https://plovdiv.bg', 'https://www.plovdiv.bg'] },
      trustProxy: 'x-forwarded-for',
      retainUnconfirmedDays: 14,
      retainConfirmedDays: 365,
      contentDir: '/etc/cohesion/content',
      logLevel: 'warn',
    });
  });

  it('reads the partner registry from a JSON file when PARTNER_ORIGINS is a path', () => {
    const folder = mkdtempSync(join(tmpdir(), 'partners-'));
    try {
      const file = join(folder, 'partners.json');
      writeFileSync(file, JSON.stringify({ plovdiv: ['https://plovdiv.bg/'], ruse: ['https://ruse.bg'] }));
      assert.deepEqual(loadConfig({ PARTNER_ORIGINS: file }, ROOT).partnerOrigins, {
        plovdiv: ['https://plovdiv.bg'],
        ruse: ['https://ruse.bg'],
      });
      writeFileSync(file, '{"plovdiv": ["https://plovdiv.bg/news"]}');
      assert.throws(() => loadConfig({ PARTNER_ORIGINS: file }, ROOT), /^Error: PARTNER_ORIGINS must list origins/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('derives PUBLIC_URL from PORT', () => {
    assert.equal(loadConfig({ PORT: '3000' }, ROOT).publicUrl, 'http://localhost:3000');
  });

  it('accepts on/off, true/false and 1/0 in any case', () => {
    for (const [value, expected] of [
      ['on', true],
      ['ON', true],
      ['true', true],
      ['1', true],
      ['off', false],
      ['False', false],
      ['0', false],
    ] as const) {
      assert.equal(loadConfig({ DOUBLE_OPT_IN: value }, ROOT).doubleOptIn, expected, value);
    }
  });

  it('reads TRUST_PROXY as the one header the proxy sets; on means X-Forwarded-For, as it always did', () => {
    for (const [value, expected] of [
      ['off', false],
      ['0', false],
      ['on', 'x-forwarded-for'],
      ['true', 'x-forwarded-for'],
      ['X-Forwarded-For', 'x-forwarded-for'],
      ['forwarded', 'forwarded'],
      [' Forwarded ', 'forwarded'],
    ] as const) {
      assert.equal(loadConfig({ TRUST_PROXY: value }, ROOT).trustProxy, expected, value);
    }
  });

  it('treats an empty value as unset', () => {
    assert.equal(loadConfig({ PORT: '', DOUBLE_OPT_IN: '' }, ROOT).port, 8787);
  });

  const bad: Array<[Record<string, string>, string | RegExp]> = [
    [{ PORT: 'abc' }, 'PORT must be an integer 1-65535, got "abc"'],
    [{ PORT: '0' }, 'PORT must be an integer 1-65535, got "0"'],
    [{ PORT: '65536' }, 'PORT must be an integer 1-65535, got "65536"'],
    [{ PORT: '80.5' }, 'PORT must be an integer 1-65535, got "80.5"'],
    [{ DOUBLE_OPT_IN: 'maybe' }, /^DOUBLE_OPT_IN must be on or off.*, got "maybe"$/],
    [{ BOT_PROTECTION: 'no' }, /^BOT_PROTECTION must be on or off/],
    [{ RATE_LIMIT: 'yes' }, /^RATE_LIMIT must be on or off/],
    [{ TRUST_PROXY: '2' }, /^TRUST_PROXY must be on or off/],
    [
      { TRUST_PROXY: 'x-real-ip' },
      'TRUST_PROXY must be on or off (or true/false, 1/0), or name the one header the proxy sets: x-forwarded-for (what on means) or forwarded, got "x-real-ip"',
    ],
    [{ PUBLIC_URL: 'sign.example.eu' }, /^PUBLIC_URL must be an http:\/\/ or https:\/\/ URL, got "sign\.example\.eu"$/],
    [{ SMTP_URL: 'mail.example.eu' }, /^SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL$/],
    [{ MAIL_FROM: 'Cohesion Alliance' }, /^MAIL_FROM must be one email address, optionally with a name.*, got "Cohesion Alliance"$/],
    [{ MAIL_FROM: 'a@example.eu, b@example.eu' }, /^MAIL_FROM must be one email address/],
    [{ MAIL_FROM: 'a@example.eu\nBcc: b@example.eu' }, /^MAIL_FROM must be one email address/],
    [{ ADMIN_TOKEN: 'short' }, /^ADMIN_TOKEN must be at least 16 characters long$/],
    [{ PARTNER_ORIGINS: '{plovdiv}' }, /^PARTNER_ORIGINS must be valid JSON/],
    [{ PARTNER_ORIGINS: '/no/such/partners.json' }, /^PARTNER_ORIGINS must be JSON or the path of a readable JSON file/],
    [{ PARTNER_ORIGINS: '["https://plovdiv.bg"]' }, /^PARTNER_ORIGINS must be a JSON object of partner id/],
    [
      { PARTNER_ORIGINS: '{"plovdiv":"https://plovdiv.bg"}' },
      /^PARTNER_ORIGINS must map each partner id to an array of origins \(at "plovdiv"\)/,
    ],
    [{ PARTNER_ORIGINS: '{"plovdiv":["https://plovdiv.bg/news"]}' }, /^PARTNER_ORIGINS must list origins .* \(at "plovdiv"\[0\]\)/],
    [{ PARTNER_ORIGINS: '{"plovdiv":["plovdiv.bg"]}' }, /^PARTNER_ORIGINS must list origins/],
    [{ PARTNER_ORIGINS: '{"plovdiv city":["https://plovdiv.bg"]}' }, /^PARTNER_ORIGINS must use partner ids/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be debug, info, warn, error or silent/],
    [{ ALTCHA_HMAC_KEY: 'short' }, /^ALTCHA_HMAC_KEY must be at least 32 characters long$/],
    [{ RETAIN_UNCONFIRMED_DAYS: '6' }, 'RETAIN_UNCONFIRMED_DAYS must be a whole number of days, at least 7, got "6"'],
    [{ RETAIN_UNCONFIRMED_DAYS: '30d' }, /^RETAIN_UNCONFIRMED_DAYS must be a whole number of days/],
    [{ RETAIN_CONFIRMED_DAYS: '-1' }, /^RETAIN_CONFIRMED_DAYS must be a whole number of days, at least 0/],
    [
      { PUBLIC_URL: 'https://sign.example.eu' },
      /^SMTP_URL must be set when PUBLIC_URL is not this machine \(got PUBLIC_URL "https:\/\/sign\.example\.eu"\)/,
    ],
    [{ PUBLIC_URL: 'http://0.0.0.0:8787', DOUBLE_OPT_IN: 'off' }, /^SMTP_URL must be set when PUBLIC_URL is not this machine/],
  ];
  for (const [env, message] of bad) {
    it(`refuses ${JSON.stringify(env)}, naming the variable`, () => {
      assert.throws(() => loadConfig(env, ROOT), { message });
    });
  }

  it('never repeats a secret in its message', () => {
    assert.throws(
      () => loadConfig({ SMTP_URL: 'http://user:hunter2@mail.example.eu' }, ROOT),
      (error: Error) => !error.message.includes('hunter2'),
    );
    assert.throws(
      () => loadConfig({ ADMIN_TOKEN: 'hunter2' }, ROOT),
      (error: Error) => !error.message.includes('hunter2'),
    );
    assert.throws(
      () => loadConfig({ ALTCHA_HMAC_KEY: 'hunter2' }, ROOT),
      (error: Error) => !error.message.includes('hunter2'),
    );
  });

  it('runs without SMTP_URL only for a PUBLIC_URL on this machine', () => {
    for (const url of ['http://localhost:8787', 'http://sign.localhost', 'http://127.0.0.1:3000', 'http://[::1]:8787']) {
      assert.equal(loadConfig({ PUBLIC_URL: url }, ROOT).smtpUrl, undefined, url);
    }
  });

  it('leaves DATABASE_URL to the store opener, so postgres:// passes here', () => {
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://db/cohesion' }, ROOT).databaseUrl, 'postgres://db/cohesion');
  });
});
