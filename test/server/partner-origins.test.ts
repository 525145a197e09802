/**
 * PARTNER_ORIGINS: which pages may sign (CORS and a 403), and which partner a signature is
 * recorded for. Reading stays open to every origin.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { createNodeServer } from '../../server/http/node-server.js';
import { CAMPAIGN, SIGNATURES_URL, makeTestApp, signatureBody, type TestApp } from './support/test-app.js';

const PLOVDIV = 'https://plovdiv.bg';
const RUSE = 'https://ruse.bg';
const OWN = 'https://sign.example.eu';
const CONFIG = {
  PARTNER_ORIGINS: JSON.stringify({ plovdiv: [PLOVDIV, 'https://www.plovdiv.bg'], ruse: [RUSE] }),
  PUBLIC_URL: OWN,
  SMTP_URL: 'smtp://127.0.0.1:2525',
};

const preflight = (t: TestApp, origin: string) =>
  t.request(SIGNATURES_URL, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
  });

describe('PARTNER_ORIGINS', () => {
  let t: TestApp;
  let signer = 0;
  const sign = (fields: Record<string, unknown>, origin?: string) =>
    t.post(signatureBody({ email: `partner.${++signer}@example.org`, ...fields }), { headers: origin ? { Origin: origin } : {} });
  /** The partner stored with the last signature. */
  const lastPartner = () => t.rows('SELECT partner FROM signatures ORDER BY id DESC LIMIT 1')[0]?.partner;

  describe('when set', () => {
    before(async () => (t = await makeTestApp(CONFIG)));
    after(() => t.close());

    it("lets a registered partner's pages and the server's own sign (preflight and POST)", async () => {
      for (const origin of [PLOVDIV, 'https://www.plovdiv.bg', RUSE, OWN]) {
        const answer = await preflight(t, origin);
        assert.equal(answer.status, 204, origin);
        assert.equal(answer.headers.get('Access-Control-Allow-Origin'), origin);
        assert.match(answer.headers.get('Vary') ?? '', /Origin/);
        const signed = await sign({}, origin);
        assert.equal(signed.status, 202, origin);
        assert.equal(signed.headers.get('Access-Control-Allow-Origin'), origin);
      }
    });

    it('refuses other pages: no CORS grant on the preflight, and 403 origin_not_allowed on the POST, storing nothing', async () => {
      const before = t.snapshot();
      for (const origin of ['https://evil.example', 'http://plovdiv.bg', 'https://plovdiv.bg.evil.example', 'null']) {
        const answer = await preflight(t, origin);
        assert.equal(answer.headers.get('Access-Control-Allow-Origin'), null, origin);
        const signed = await sign({ partner: 'plovdiv' }, origin);
        assert.equal(signed.status, 403, origin);
        const body = await signed.json();
        assert.equal(body.error, 'origin_not_allowed');
        assert.equal(typeof body.message, 'string');
      }
      assert.deepEqual(t.snapshot(), before);
    });

    it('gives a refused preflight no Access-Control-Allow-Origin header at all, over real HTTP', async () => {
      const server = createNodeServer(t.app).listen(0, '127.0.0.1');
      await once(server, 'listening');
      const { port } = server.address() as AddressInfo;
      /** The names of the headers of a preflight's answer, as sent on the wire. */
      const headerNames = (path: string, origin: string) =>
        new Promise<string[]>((resolve, reject) => {
          const headers = { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' };
          http
            .request({ host: '127.0.0.1', port, path, method: 'OPTIONS', headers }, (response) => {
              response.resume();
              resolve(response.rawHeaders.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase()));
            })
            .once('error', reject)
            .end();
        });
      try {
        for (const path of [SIGNATURES_URL, `${SIGNATURES_URL}/`]) {
          assert.ok((await headerNames(path, PLOVDIV)).includes('access-control-allow-origin'), path);
          for (const origin of ['https://evil.example', 'null', '']) {
            assert.ok(!(await headerNames(path, origin)).includes('access-control-allow-origin'), `${path} from ${JSON.stringify(origin)}`);
          }
        }
      } finally {
        server.closeAllConnections();
        server.close();
      }
    });

    it('judges a POST without Origin (a script, another server) on its content alone', async () => {
      assert.equal((await sign({})).status, 202);
      assert.equal((await sign({ email: 'nope' })).status, 400);
    });

    it('keeps reading open to every origin: campaign, count, challenge', async () => {
      for (const path of ['', '/count', '/challenge']) {
        const answer = await t.request(`/api/campaigns/${CAMPAIGN}${path}`, { headers: { Origin: 'https://anyone.example' } });
        assert.equal(answer.status, 200, path);
        assert.equal(answer.headers.get('Access-Control-Allow-Origin'), '*', path);
      }
    });

    describe('records the partner of a signature', () => {
      const cases: Array<[string, string | undefined, string | undefined, string | null]> = [
        ['from one of its own origins', 'plovdiv', PLOVDIV, 'plovdiv'],
        ['from another of its origins', 'plovdiv', 'https://www.plovdiv.bg', 'plovdiv'],
        ["not from another partner's origin", 'plovdiv', RUSE, null],
        ["not from the server's own pages", 'plovdiv', OWN, null],
        ['not without Origin, for a registered partner: nothing shows the page was its', 'ruse', undefined, null],
        ['as none for an unknown partner id, without refusing the signature', 'varna', PLOVDIV, null],
        ['as none for an unknown partner id without Origin', 'varna', undefined, null],
        ['as none for a partner id that is a property of every object', 'constructor', undefined, null],
      ];
      for (const [what, partner, origin, stored] of cases) {
        it(what, async () => {
          assert.equal((await sign({ partner }, origin)).status, 202);
          assert.equal(lastPartner(), stored);
        });
      }
    });

    describe("records the partner's page with the consent", () => {
      const lastPage = () => t.rows('SELECT page FROM signatures ORDER BY id DESC LIMIT 1')[0]?.page;
      const cases: Array<[string, string, string | undefined, string, string | null]> = [
        ['when the page is on the origin that signed', 'plovdiv', PLOVDIV, `${PLOVDIV}/eu/cohesion`, `${PLOVDIV}/eu/cohesion`],
        ['not when the page claims another origin', 'plovdiv', PLOVDIV, 'https://www.plovdiv.bg/eu', null],
        ['not when the partner was not recorded', 'plovdiv', RUSE, `${RUSE}/eu`, null],
        ['not without Origin', 'ruse', undefined, `${RUSE}/eu`, null],
      ];
      for (const [what, partner, origin, page, stored] of cases) {
        it(what, async () => {
          assert.equal((await sign({ partner, page }, origin)).status, 202);
          assert.equal(lastPage(), stored);
        });
      }

      describe('from the iframe embed, a page of the server framed by the page it names', () => {
        const lastSigned = () => t.rows('SELECT partner, page FROM signatures ORDER BY id DESC LIMIT 1')[0];
        const cases: Array<[string, string, string, { partner: string | null; page: string | null }]> = [
          [
            "on the partner's page: credited to it, with the page",
            'plovdiv',
            `${PLOVDIV}/eu`,
            { partner: 'plovdiv', page: `${PLOVDIV}/eu` },
          ],
          ['on its other origin', 'plovdiv', 'https://www.plovdiv.bg/', { partner: 'plovdiv', page: 'https://www.plovdiv.bg/' }],
          ["on another partner's page: not credited", 'plovdiv', `${RUSE}/eu`, { partner: null, page: null }],
          ['on a page nobody registered: not credited', 'plovdiv', 'https://elsewhere.example/eu', { partner: null, page: null }],
        ];
        for (const [what, partner, page, stored] of cases) {
          it(what, async () => {
            assert.equal((await sign({ partner, page }, OWN)).status, 202);
            assert.deepEqual({ ...lastSigned() }, stored);
          });
        }
      });

      it('refuses a page that is not an http(s) address without query or fragment', async () => {
        for (const page of ['javascript:alert(1)', `${PLOVDIV}/?email=maria@example.org`, `${PLOVDIV}/#x`]) {
          const answer = await sign({ partner: 'plovdiv', page }, PLOVDIV);
          assert.equal(answer.status, 400, page);
          assert.deepEqual((await answer.json()).fields, { page: 'invalid' });
        }
        // Looks like an address but does not parse: signed, the page not recorded.
        assert.equal((await sign({ partner: 'plovdiv', page: 'http://[' }, PLOVDIV)).status, 202);
        assert.equal(lastPage(), null);
      });
    });
  });

  describe('when unset', () => {
    afterEach(() => t.close());
    const lastSigned = () => t.rows('SELECT partner, page FROM signatures ORDER BY id DESC LIMIT 1')[0];

    it('lets any page sign, and records the partner a signature names', async () => {
      t = await makeTestApp({});
      assert.equal((await preflight(t, 'https://anyone.example')).headers.get('Access-Control-Allow-Origin'), '*');
      assert.equal((await sign({ partner: 'varna' }, 'https://anyone.example')).status, 202);
      assert.equal(lastPartner(), 'varna');
    });

    it('records an unregistered partner id without Origin too (self-declared either way), but no page', async () => {
      t = await makeTestApp({});
      assert.equal((await sign({ partner: 'varna', page: 'https://varna.bg/eu' })).status, 202);
      assert.deepEqual({ ...lastSigned() }, { partner: 'varna', page: null });
    });

    it('credits a partner registered through the admin API only from its origins, and never without Origin', async () => {
      t = await makeTestApp({ ADMIN_TOKEN: 'a-long-enough-admin-token-for-tests' });
      const registered = await t.request('/api/admin/partners/burgas', {
        method: 'PUT',
        headers: { Authorization: 'Bearer a-long-enough-admin-token-for-tests', 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Burgas', origins: ['https://burgas.bg'] }),
      });
      assert.equal(registered.status, 200);
      const page = 'https://burgas.bg/eu';
      const cases: Array<[string | undefined, Record<string, unknown>]> = [
        ['https://burgas.bg', { partner: 'burgas', page }],
        ['https://anyone.example', { partner: null, page: null }],
        [undefined, { partner: null, page: null }],
      ];
      for (const [origin, stored] of cases) {
        assert.equal((await sign({ partner: 'burgas', page }, origin)).status, 202, origin);
        assert.deepEqual({ ...lastSigned() }, stored, origin);
      }
    });
  });
});
