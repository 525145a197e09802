/**
 * The Node fast path (server/http/node-fast-path.ts) over real HTTP: signing and the count are
 * answered without Hono, with the same statuses, bodies and headers as the Hono routes. Parity:
 * two apps built alike, one behind a listening server, one called with app.request(), are sent
 * the same requests in the same order, and must answer alike, state (counts, duplicates, rate
 * limits) included.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Env } from '../../server/config.js';
import { createNodeServer } from '../../server/http/node-server.js';
import { SIGNING_PER_CLIENT, SIGNING_PER_EMAIL } from '../../server/protection/rate-limits.js';
import { MAX_BODY_BYTES } from '../../server/routes/signatures.js';
import { openStore } from '../../server/store/open-store.js';
import type { SignatureStore } from '../../server/store/signature-store.js';
import { tempFolder } from './support/fixtures.js';
import { CAMPAIGN, SIGNATURES_URL, fromAddress, makeTestApp, signatureBody, type TestApp } from './support/test-app.js';

const COUNT_URL = `/api/campaigns/${CAMPAIGN}/count`;
const PARTNER = 'https://plovdiv.bg';
const PARTNER_ORIGINS = JSON.stringify({ plovdiv: [PARTNER] });
/** Set by Node's server, not by the app: left out of comparisons. */
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

interface Sent {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  /** Sent as it is; an object is sent as JSON. */
  body?: string | object;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const bodyText = (body: Sent['body']) => (body === undefined || typeof body === 'string' ? body : JSON.stringify(body));

function toAnswer(status: number, headers: Iterable<[string, string]>, text: string): Answer {
  const kept = [...headers].filter(([name]) => !TRANSPORT_HEADERS.has(name.toLowerCase()));
  return {
    status,
    headers: Object.fromEntries(kept.map(([name, value]) => [name.toLowerCase(), value]).sort(([a], [b]) => a!.localeCompare(b!))),
    body: text ? JSON.parse(text) : undefined,
  };
}

/** A listening server around an app, counting the requests that reach Hono rather than the fast path. */
class LiveServer {
  honoRequests = 0;
  private server!: http.Server;
  private base = '';
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(private readonly t: TestApp) {}

  async start() {
    const { app } = this.t;
    this.server = createNodeServer({
      fetch: (request, env) => {
        this.honoRequests++;
        return app.fetch(request, env);
      },
      fastPath: app.fastPath,
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** One request, over the one kept-alive connection; `chunks` sends the body in pieces without Content-Length. */
  send({ method = 'POST', path = SIGNATURES_URL, headers = {}, body }: Sent, chunks?: string[]): Promise<Answer> {
    const text = bodyText(body);
    const contentType: Record<string, string> = method === 'POST' ? { 'Content-Type': 'application/json' } : {};
    return new Promise((resolve, reject) => {
      const request = http.request(
        `${this.base}${path}`,
        { method, agent: this.agent, headers: { ...contentType, ...headers } },
        (response) => {
          let received = '';
          response.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
          response.on('end', () => resolve(toAnswer(response.statusCode!, Object.entries(response.headers as Record<string, string>), received)));
        },
      );
      request.on('error', reject);
      if (chunks) {
        for (const chunk of chunks) request.write(chunk);
        request.end();
      } else request.end(text);
    });
  }

  async close() {
    this.agent.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** The same request through app.request(), from the address the socket shows. */
async function viaApp(t: TestApp, { method = 'POST', path = SIGNATURES_URL, headers = {}, body }: Sent): Promise<Answer> {
  const contentType: Record<string, string> = method === 'POST' ? { 'Content-Type': 'application/json' } : {};
  const response = await t.app.request(path, { method, headers: { ...contentType, ...headers }, body: bodyText(body) }, fromAddress('127.0.0.1'));
  return toAnswer(response.status, response.headers, await response.text());
}

/** A store whose `add` fails for emails starting with `fail`, for the 500 answer. */
function failingFor(store: SignatureStore): SignatureStore {
  return Object.assign(Object.create(store) as SignatureStore, {
    add: (signature: Parameters<SignatureStore['add']>[0]) =>
      signature.email.startsWith('fail') ? Promise.reject(new Error('disk I/O error')) : store.add(signature),
  });
}

/** Two apps built alike: `live` behind a real server, `reference` for app.request(). */
async function twoApps(env: Env, withFailingStore = false) {
  const folder = tempFolder();
  let stores = 0;
  const make = async () =>
    makeTestApp(env, withFailingStore ? { store: failingFor(await openStore(join(folder.path, `${++stores}.sqlite`))) } : {});
  const live = await make();
  const reference = await make();
  const server = new LiveServer(live);
  await server.start();
  return {
    server,
    live,
    reference,
    async close() {
      await server.close();
      await live.close();
      await reference.close();
      folder.remove();
    },
  };
}

const tooLarge = () => signatureBody({ name: 'x'.repeat(MAX_BODY_BYTES) });

describe('Node fast path', () => {
  describe('signing and the count, with PARTNER_ORIGINS set, against app.request()', () => {
    let apps: Awaited<ReturnType<typeof twoApps>>;
    before(async () => (apps = await twoApps({ DOUBLE_OPT_IN: 'off', PARTNER_ORIGINS }, true)));
    after(() => apps.close());

    /** Sends the request through both doors and checks they agree; returns the fast path's answer. */
    const both = async (sent: Sent) => {
      const fast = await apps.server.send(sent);
      assert.deepEqual(fast, await viaApp(apps.reference, sent), `${sent.method ?? 'POST'} ${sent.path ?? SIGNATURES_URL}`);
      return fast;
    };
    const fromPartner = { Origin: PARTNER };

    it('answers a signature, a duplicate and the count as Hono does, without reaching Hono', async () => {
      const before = apps.server.honoRequests;
      const signed = await both({ headers: fromPartner, body: signatureBody({ email: 'ana@example.org', partner: 'plovdiv' }) });
      assert.equal(signed.status, 201);
      assert.deepEqual(signed.body, { status: 'counted', count: 1 });
      assert.equal(signed.headers['content-type'], 'application/json');
      assert.equal(signed.headers['access-control-allow-origin'], PARTNER);
      assert.equal(signed.headers['access-control-expose-headers'], 'ETag,Retry-After');
      assert.equal(signed.headers['vary'], 'Origin');
      assert.equal(signed.headers['x-content-type-options'], 'nosniff');
      assert.equal(signed.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'");

      const duplicate = await both({ headers: fromPartner, body: signatureBody({ email: 'ANA@example.org' }) });
      assert.deepEqual([duplicate.status, duplicate.body], [201, { status: 'counted', count: 1 }]);

      const count = await both({ method: 'GET', path: COUNT_URL });
      assert.deepEqual([count.status, count.body], [200, { count: 1, goal: 3000 }]);
      assert.equal(count.headers['etag'], '"1-3000"');
      assert.equal(count.headers['cache-control'], 'public, max-age=5');
      assert.equal(count.headers['access-control-allow-origin'], '*');
      assert.equal((await both({ method: 'GET', path: COUNT_URL, headers: { 'If-None-Match': 'W/"1-3000"' } })).status, 304);
      const partner = await both({ method: 'GET', path: `${COUNT_URL}?partner=plovdiv` });
      assert.deepEqual(partner.body, { count: 1, goal: 3000, partnerCount: 1 });
      assert.equal(apps.server.honoRequests, before, 'none of these went through Hono');
    });

    it('refuses bad requests with the same 4xx, in the same order of checks', async () => {
      const before = apps.server.honoRequests;
      const cases: Array<[Sent, number, string]> = [
        [{ headers: fromPartner, body: '{"name":' }, 400, 'invalid_json'],
        [{ headers: fromPartner, body: '' }, 400, 'invalid_json'],
        [{ headers: fromPartner, body: '[1]' }, 400, 'invalid_body'],
        [{ headers: fromPartner, body: tooLarge() }, 413, 'payload_too_large'],
        [{ headers: { ...fromPartner, 'Content-Type': 'text/plain' }, body: signatureBody() }, 415, 'unsupported_media_type'],
        [{ headers: fromPartner, body: signatureBody({ country: 'XX', email: 'not an email' }) }, 400, 'invalid_fields'],
        [{ headers: fromPartner, body: signatureBody({ extra: 1 }) }, 400, 'invalid_fields'],
        [{ headers: fromPartner, path: '/api/campaigns/no-such-campaign/signatures', body: signatureBody() }, 404, 'unknown_campaign'],
        // The origin is checked before anything else, the size before the type.
        [{ headers: { Origin: 'https://elsewhere.example' }, body: tooLarge() }, 403, 'origin_not_allowed'],
        [{ headers: { ...fromPartner, 'Content-Type': 'text/plain' }, body: tooLarge() }, 413, 'payload_too_large'],
        [{ method: 'GET', path: `${COUNT_URL}?partner=not%20valid!` }, 400, 'invalid_query'],
        [{ method: 'GET', path: `${COUNT_URL}?partner=not_valid!` }, 400, 'invalid_query'],
        [{ method: 'GET', path: '/api/campaigns/no-such-campaign/count' }, 404, 'unknown_campaign'],
      ];
      for (const [sent, status, error] of cases) {
        const answer = await both(sent);
        assert.equal(answer.status, status, JSON.stringify(sent).slice(0, 120));
        assert.equal((answer.body as { error: string }).error, error);
      }
      const fields = (await both({ headers: fromPartner, body: signatureBody({ country: 'XX', email: 'not an email' }) })).body;
      assert.deepEqual((fields as { fields: object }).fields, { country: 'invalid', email: 'invalid_email' });
      const refused = await both({ headers: { Origin: 'https://elsewhere.example' }, body: signatureBody() });
      assert.equal(refused.headers['access-control-allow-origin'], undefined);
      assert.equal(refused.headers['vary'], 'Origin');
      // Only the query with an escape in it went through Hono.
      assert.equal(apps.server.honoRequests, before + 1);
    });

    it('answers 500 in the one error shape when the store fails, and logs no personal data', async () => {
      const answer = await both({ headers: fromPartner, body: signatureBody({ email: 'fail.maria@example.org' }) });
      assert.deepEqual([answer.status, (answer.body as { error: string }).error], [500, 'internal']);
      const logs = apps.live.logs.join('\n');
      assert.match(logs, /"event":"unhandled_error","method":"POST","route":"\/api\/campaigns\/:campaign\/signatures","name":"Error"/);
      assert.match(logs, /"event":"request","method":"POST","route":"\/api\/campaigns\/:campaign\/signatures","status":500/);
      assert.doesNotMatch(logs, /maria|ana@|disk I\/O/i);
    });

    it('leaves preflights, HEAD and escaped paths to Hono, which answers them as before', async () => {
      const before = apps.server.honoRequests;
      const preflight = await apps.server.send({
        method: 'OPTIONS',
        headers: { Origin: PARTNER, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers['access-control-allow-origin'], PARTNER);
      assert.equal(preflight.headers['access-control-allow-methods'], 'GET,HEAD,POST');
      assert.equal(preflight.headers['access-control-allow-headers'], 'Content-Type,If-None-Match');
      const refused = await apps.server.send({ method: 'OPTIONS', headers: { Origin: 'https://elsewhere.example', 'Access-Control-Request-Method': 'POST' } });
      assert.equal(refused.headers['access-control-allow-origin'], undefined);
      assert.equal((await apps.server.send({ method: 'HEAD', path: COUNT_URL })).status, 200);
      const escaped = await apps.server.send({ path: `/api/campaigns/cohesion%2Dalliance/signatures`, headers: fromPartner, body: signatureBody({ email: 'esc@example.org' }) });
      assert.equal(escaped.status, 201);
      assert.equal(apps.server.honoRequests, before + 4);
    });

    it('refuses a body sent in chunks as soon as it passes the limit, and serves the next request on the connection', async () => {
      const chunk = 'x'.repeat(1024);
      const answer = await apps.server.send({}, ['{"name":"', ...Array<string>(10).fill(chunk), '"}']);
      assert.deepEqual([answer.status, (answer.body as { error: string }).error], [413, 'payload_too_large']);
      const next = await apps.server.send({ headers: fromPartner, body: signatureBody({ email: 'after.chunks@example.org' }) });
      assert.equal(next.status, 201);
      const small = await apps.server.send({ headers: fromPartner }, [JSON.stringify(signatureBody({ email: 'in.chunks@example.org' }))]);
      assert.equal(small.status, 201);
    });
  });

  describe('with rate limits on and double opt-in', () => {
    let apps: Awaited<ReturnType<typeof twoApps>>;
    before(async () => (apps = await twoApps({ RATE_LIMIT: 'on' })));
    after(() => apps.close());

    it('answers 429 with Retry-After, per email and per client, as Hono does', async () => {
      const both = async (email: string) => {
        const sent = { body: signatureBody({ email }) };
        const fast = await apps.server.send(sent);
        assert.deepEqual(fast, await viaApp(apps.reference, sent));
        return fast;
      };
      const sameEmail = [];
      for (let i = 0; i <= SIGNING_PER_EMAIL.burst; i++) sameEmail.push(await both('same@example.org'));
      assert.deepEqual(sameEmail.map((a) => a.status), [...Array<number>(SIGNING_PER_EMAIL.burst).fill(202), 429]);
      assert.deepEqual(sameEmail[0]!.body, { status: 'pending' });
      const limited = sameEmail.at(-1)!;
      assert.equal((limited.body as { error: string }).error, 'rate_limited');
      assert.equal(limited.headers['retry-after'], String(SIGNING_PER_EMAIL.refillMs / 1000));
      assert.equal(limited.headers['access-control-expose-headers'], 'ETag,Retry-After');

      const statuses = [];
      for (let i = sameEmail.length; i <= SIGNING_PER_CLIENT.burst; i++) statuses.push((await both(`client.${i}@example.org`)).status);
      assert.equal(statuses.at(-1), 429);
      assert.deepEqual(statuses.slice(0, -1), Array<number>(statuses.length - 1).fill(202));
      assert.match(apps.live.logs.join('\n'), /"event":"rate_limited","limit":"signing_per_client"/);
    });
  });
});
