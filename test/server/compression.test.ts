/** Answers compressed at request time (http/compression.ts): the long JSON ones, never the hot small ones. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { chooseEncoding, COMPRESS_MIN_BYTES } from '../../server/http/compression.js';
import { acceptedLanguages } from '../../server/http/negotiation.js';
import { newSignature } from './support/fixtures.js';
import { CAMPAIGN, makeTestApp, signatureBody, type TestApp } from './support/test-app.js';

const TOKEN = 'a-long-enough-admin-token-for-tests';
const WALL = `/api/campaigns/${CAMPAIGN}/supporters?limit=100`;
const decode = { br: brotliDecompressSync, gzip: gunzipSync };

const bytesOf = async (response: Response) => Buffer.from(await response.arrayBuffer());
const varies = (response: Response) => /(?:^|,)\s*Accept-Encoding\s*(?:,|$)/i.test(response.headers.get('Vary') ?? '');

describe('chooseEncoding', () => {
  it('takes brotli, then gzip, by q, and nothing the client refuses', () => {
    assert.equal(chooseEncoding('gzip, deflate, br, zstd'), 'br');
    assert.equal(chooseEncoding('gzip'), 'gzip');
    assert.equal(chooseEncoding('br;q=0.5, gzip;q=0.8'), 'gzip');
    assert.equal(chooseEncoding('BR;Q=1'), 'br');
    assert.equal(chooseEncoding('*'), 'br');
    assert.equal(chooseEncoding('*, br;q=0'), 'gzip');
    assert.equal(chooseEncoding('identity'), undefined);
    assert.equal(chooseEncoding('br;q=0, gzip;q=0'), undefined);
    assert.equal(chooseEncoding(''), undefined);
    assert.equal(chooseEncoding(undefined), undefined);
  });
});

describe('acceptedLanguages', () => {
  it('lists the languages by q, most wanted first, leaving out refused ones and *', () => {
    assert.deepEqual(acceptedLanguages('de-AT,de;q=0.9,en;Q=0.5,*;q=0.1'), ['de-AT', 'de', 'en']);
    assert.deepEqual(acceptedLanguages('fr;q=0, bg, el;q=x'), ['bg']);
    assert.deepEqual(acceptedLanguages(undefined), []);
  });
});

describe('compressed JSON answers', () => {
  let t: TestApp;

  before(async () => {
    t = await makeTestApp({ ADMIN_TOKEN: TOKEN, DOUBLE_OPT_IN: 'off' });
    for (let i = 1; i <= 60; i++) {
      await t.store.add(newSignature({ campaign: CAMPAIGN, name: `Listed supporter ${i}`, listPublicly: true }));
    }
  });
  after(() => t.close());

  for (const encoding of ['br', 'gzip'] as const) {
    it(`sends a long page of the wall as ${encoding}, decoding to the same JSON`, async () => {
      const plain = await bytesOf(await t.request(WALL));
      assert.ok(plain.length > COMPRESS_MIN_BYTES, `${plain.length} bytes`);
      const response = await t.request(WALL, { headers: { 'Accept-Encoding': encoding } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('Content-Encoding'), encoding);
      assert.match(response.headers.get('Content-Type') ?? '', /^application\/json/);
      assert.ok(varies(response), response.headers.get('Vary') ?? '');
      assert.equal(response.headers.get('Cache-Control'), 'public, max-age=60');
      assert.equal(response.headers.get('Access-Control-Allow-Origin'), '*');
      const body = await bytesOf(response);
      assert.ok(body.length < plain.length / 2, `${body.length} of ${plain.length}`);
      assert.equal(response.headers.get('Content-Length'), String(body.length));
      assert.deepEqual(decode[encoding](body), plain);
    });
  }

  it('sends the long page plain to a client that accepts no compression, and says it varies', async () => {
    const response = await t.request(WALL);
    assert.equal(response.headers.get('Content-Encoding'), null);
    assert.ok(varies(response));
    assert.equal(((await response.json()) as { supporters: unknown[] }).supporters.length, 60);
  });

  it('leaves a short page as it is, saying it varies all the same', async () => {
    const response = await t.request(`/api/campaigns/${CAMPAIGN}/supporters?limit=1`, { headers: { 'Accept-Encoding': 'br, gzip' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('Content-Encoding'), null);
    assert.ok(varies(response));
    assert.ok((await bytesOf(response)).length < COMPRESS_MIN_BYTES);
  });

  it("compresses the organisers' list of wall entries", async () => {
    const response = await t.request(`/api/admin/campaigns/${CAMPAIGN}/supporters?state=shown&limit=100`, {
      headers: { Authorization: `Bearer ${TOKEN}`, 'Accept-Encoding': 'gzip' },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('Content-Encoding'), 'gzip');
    assert.equal(response.headers.get('Cache-Control'), 'no-store');
    const body = JSON.parse(gunzipSync(await bytesOf(response)).toString('utf8')) as { supporters: unknown[] };
    assert.equal(body.supporters.length, 60);
  });

  it('compresses the CSV export as it streams', async () => {
    const path = `/api/admin/campaigns/${CAMPAIGN}/signatures.csv`;
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const plain = await bytesOf(await t.request(path, { headers: auth }));
    const response = await t.request(path, { headers: { ...auth, 'Accept-Encoding': 'br' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('Content-Encoding'), 'br');
    assert.match(response.headers.get('Content-Type') ?? '', /^text\/csv/);
    assert.deepEqual(brotliDecompressSync(await bytesOf(response)), plain);
  });

  it('never compresses the count nor the answer to a signature', async () => {
    const accept = { 'Accept-Encoding': 'br, gzip' };
    const count = await t.request(`/api/campaigns/${CAMPAIGN}/count`, { headers: accept });
    assert.equal(count.status, 200);
    assert.equal(count.headers.get('Content-Encoding'), null);
    assert.ok(!varies(count));
    const signed = await t.post(signatureBody({ email: 'another@example.org' }), { headers: accept });
    assert.equal(signed.status, 201);
    assert.equal(signed.headers.get('Content-Encoding'), null);
    assert.ok(!varies(signed));
    assert.equal(((await signed.json()) as { status: string }).status, 'counted');
  });
});
