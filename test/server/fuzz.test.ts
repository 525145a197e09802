/**
 * Fuzzing the signing endpoint: thousands of generated bad requests (wrong types, huge and
 * control-character strings, deep nesting, `__proto__` and `constructor` keys, duplicate keys,
 * invalid UTF-8, huge numbers, wrong content types, junk proxy and Origin headers, forged proofs
 * of work) never get a 5xx, never change what is stored, and leave the server healthy.
 *
 * Seeded, so a failure can be replayed: FUZZ_SEED=<seed> FUZZ_CASES=<n>. With bot protection on,
 * no generated request can carry a valid proof of work, so none may be stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readyAltcha, challengeUrl, encodeAltcha } from './support/altcha.js';
import { CAMPAIGN, SIGNATURES_URL, makeTestApp, signatureBody, type TestApp } from './support/test-app.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0xc0e5105);
const CASES = Number(process.env.FUZZ_CASES ?? 5000);

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Random = ReturnType<typeof prng>;

const FIELDS = Object.keys(
  signatureBody({ organisation: 'x', organisationKind: 'ngo', role: 'x', partner: 'p', lang: 'bg', newsletter: true, listPublicly: true }),
);
const KEYS = [
  ...FIELDS,
  'altcha',
  'website',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
  ' ',
  'name ',
  'NAME',
  'a'.repeat(300),
  '\u0000',
  'émail',
  '$where',
];
const NUMBERS = ['0', '-0', '1', '-1', '1e400', '-1e400', '1E-400', '1e308', '123456789012345678901234567890', '0.1', '9007199254740993'];
const SNIPPETS = [
  '',
  ' ',
  'Maria',
  'maria.ivanova@example.org',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '=HYPERLINK("http://x")',
  '\u0000',
  '\r\nBcc: victim@example.org',
  '\u202eevil',
  '\ud800',
  '\udfff\ud800',
  '💥'.repeat(3),
  'BG',
  'true',
  'null',
  '../../etc/passwd',
  '%00',
  '\\',
  '"',
];

/** A random string: snippets, random code units (control characters and lone surrogates included), sometimes long. */
function junkString(r: Random): string {
  if (r.chance(0.5)) return r.pick(SNIPPETS);
  const length = r.chance(0.1) ? 200 + r.int(4000) : r.int(40);
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(r.chance(0.7) ? 32 + r.int(95) : r.int(0x10000));
  return text;
}

/** JSON text of a random value, nested up to `depth`; objects as text, so `__proto__` and duplicate keys survive. */
function junkJson(r: Random, depth: number): string {
  switch (r.int(depth > 0 ? 8 : 5)) {
    case 0:
      return 'null';
    case 1:
      return r.pick(['true', 'false']);
    case 2:
      return r.pick(NUMBERS);
    case 3:
    case 4:
      return JSON.stringify(junkString(r));
    case 5:
      return `[${Array.from({ length: r.int(4) }, () => junkJson(r, depth - 1)).join(',')}]`;
    case 6:
      return objectJson(Array.from({ length: r.int(4) }, () => [r.pick(KEYS), junkJson(r, depth - 1)]));
    default: {
      // Deep nesting.
      const levels = 1 + r.int(3000);
      return r.chance(0.5) ? `${'['.repeat(levels)}${']'.repeat(levels)}` : `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    }
  }
}

/** Percent-encoded UTF-8 of a junk string, or raw escapes that are not UTF-8 at all. */
function junkUrlPart(r: Random): string {
  if (r.chance(0.2)) return r.pick(['%FF', '%C3%28', '%', '%00', '%2F..%2F', '%ED%A0%80']);
  return [...Buffer.from(junkString(r))].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('') || 'x';
}

const objectJson = (entries: Array<[string, string]>) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;

/** A request body: a valid signature with a few things changed, random JSON, or bytes that are not JSON at all. */
function junkBody(r: Random, challenge: unknown): string | Uint8Array<ArrayBuffer> {
  const kind = r.int(10);
  if (kind < 6) {
    const entries = Object.entries(signatureBody({ altcha: junkAltcha(r, challenge) })).map(([key, value]): [string, string] => [
      key,
      JSON.stringify(value),
    ]);
    for (let changes = 1 + r.int(3); changes > 0; changes--) {
      const at = r.int(entries.length);
      const change = r.int(3);
      if (change === 0) entries[at] = [entries[at]![0], junkJson(r, 3)];
      else if (change === 1) entries.splice(at, 1);
      else entries.push([r.pick(KEYS), junkJson(r, 3)]);
    }
    return objectJson(entries);
  }
  if (kind < 8) return junkJson(r, 4);
  if (kind === 8) {
    const bytes = new Uint8Array(r.int(600));
    for (let i = 0; i < bytes.length; i++) bytes[i] = r.int(256);
    // Often valid JSON around invalid UTF-8.
    return r.chance(0.5) ? bytes : new Uint8Array([...Buffer.from('{"name":"'), ...bytes, ...Buffer.from('"}')]);
  }
  const text = JSON.stringify(signatureBody());
  return r.pick([
    text.slice(0, r.int(text.length)),
    `\ufeff${text}`,
    `${text}${text}`,
    `${text},`,
    ' '.repeat(r.int(9000)),
    '"' + 'x'.repeat(9000) + '"',
  ]);
}

/** `altcha`: absent, junk, or a genuine challenge with a forged solution (never a valid one). */
function junkAltcha(r: Random, challenge: unknown): unknown {
  const kind = r.int(4);
  if (kind === 0) return undefined;
  if (kind === 1) return junkString(r);
  const solution = { counter: r.pick([0, 1, -1, 2 ** 40, 1.5]), derivedKey: r.pick(['', '00', 'ab'.repeat(32), 'zz']) };
  const copy = JSON.parse(JSON.stringify(challenge));
  if (kind === 3) copy.parameters[r.pick(['cost', 'keyPrefix', 'nonce', 'data', 'keySignature'])] = JSON.parse(junkJson(r, 2));
  return encodeAltcha({ challenge: copy, solution });
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json;charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
];

function junkHeaders(r: Random): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': r.chance(0.8) ? 'application/json' : r.pick(CONTENT_TYPES) };
  const address = () => `${r.int(256)}.${r.int(256)}.${r.int(256)}.${r.int(256)}`;
  // Mostly a fresh client each time, so that few requests stop at the rate limit.
  if (r.chance(0.97))
    headers['X-Forwarded-For'] = r.chance(0.97) ? `${address()}, ${address()}` : junkString(r).replace(/[^\x20-\x7e]/g, '');
  if (r.chance(0.2))
    headers['Forwarded'] = `for="${junkString(r)
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/"/g, '')}"`;
  if (r.chance(0.1))
    headers['Origin'] = r.pick(['https://plovdiv.bg', 'https://evil.example', 'null', junkString(r).replace(/[^\x20-\x7e]/g, '')]);
  return headers;
}

describe('fuzzing POST /signatures', () => {
  let t: TestApp;
  let stored: unknown;

  before(async () => {
    t = await makeTestApp({
      BOT_PROTECTION: 'on',
      RATE_LIMIT: 'on',
      TRUST_PROXY: 'on',
      DOUBLE_OPT_IN: 'off',
      PARTNER_ORIGINS: '{"plovdiv":["https://plovdiv.bg"]}',
    });
    const first = await t.post(signatureBody({ email: 'first@example.org', partner: 'plovdiv', altcha: await readyAltcha(t) }));
    assert.equal(first.status, 201);
    // Its mail goes out first: a mail sent is not something the fuzzing changed.
    await t.mail.worker.wake();
    stored = t.snapshot();
  });
  after(() => t.close());

  it(`answers every generated bad request with a 4xx and stores nothing`, async (context) => {
    const r = prng(SEED);
    const challenge = await (await t.request(challengeUrl())).json();
    const statuses = new Map<number, number>();
    for (let i = 0; i < CASES; i++) {
      const body = junkBody(r, challenge);
      const path = r.chance(0.05) ? `/api/campaigns/${junkUrlPart(r)}/signatures` : SIGNATURES_URL;
      const response = await t.request(path, { method: 'POST', headers: junkHeaders(r), body }, { from: '127.0.0.1' });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status < 400 || response.status >= 500) {
        const shown = typeof body === 'string' ? body.slice(0, 300) : `${body.length} bytes`;
        assert.fail(`case ${i} (FUZZ_SEED=${SEED}): ${response.status} for ${shown}`);
      }
      await response.arrayBuffer();
    }
    context.diagnostic(`fuzz: ${CASES} cases, seed ${SEED}; answers ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    assert.deepEqual(t.snapshot(), stored);
    assert.ok(!t.logs.some((line) => line.includes('unhandled_error')));
  });

  it('fuzzes the count query too', async () => {
    const r = prng(SEED + 1);
    for (let i = 0; i < CASES / 10; i++) {
      const response = await t.request(`/api/campaigns/${CAMPAIGN}/count?partner=${junkUrlPart(r)}`);
      assert.ok(response.status === 200 || response.status === 400, `${response.status}`);
    }
  });

  it('is healthy afterwards: /healthz answers ok and a valid signature is counted', async () => {
    assert.equal((await t.request('/healthz')).status, 200);
    const response = await t.post(signatureBody({ email: 'after@example.org', altcha: await readyAltcha(t) }), {
      headers: { 'X-Forwarded-For': '192.0.2.200' },
    });
    assert.equal(response.status, 201);
    assert.deepEqual(await response.json(), { status: 'counted', count: 2 });
  });
});
