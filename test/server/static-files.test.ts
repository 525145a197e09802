import { createNodeServer } from '../../server/http/node-server.js';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { makeTestApp, type TestApp } from './support/test-app.js';
import { tempFolder } from './support/fixtures.js';

const SECRET = 'top secret, outside every served folder';
/** Long enough for our own pages to be compressed as they are sent. */
const LONG_TEXT = Array.from({ length: 60 }, (_, i) => `<p>Paragraph ${i} of the demo page.</p>`).join('\n');

/** Writes `path` and, as the build does, its .br and .gz beside it. */
function writeBuilt(path: string, content: string) {
  writeFileSync(path, content);
  writeFileSync(`${path}.br`, brotliCompressSync(content));
  writeFileSync(`${path}.gz`, gzipSync(content));
}

const bytesOf = async (response: Response) => Buffer.from(await response.arrayBuffer());
const varies = (response: Response) => /(?:^|,)\s*Accept-Encoding\s*(?:,|$)/i.test(response.headers.get('Vary') ?? '');

describe('static files', () => {
  let t: TestApp;
  let folder: ReturnType<typeof tempFolder>;
  let widgetDir: string;
  let toolsDir: string;

  before(async () => {
    folder = tempFolder();
    widgetDir = join(folder.path, 'dist', 'widget');
    const demoDir = join(folder.path, 'demo');
    mkdirSync(join(widgetDir, 'chunks'), { recursive: true });
    mkdirSync(demoDir);
    writeBuilt(join(widgetDir, 'cohesion-declaration.js'), 'export const entry = 1;\n');
    writeBuilt(join(widgetDir, 'chunks', 'bg-AbC123xy.js'), 'export const bg = 1;\n');
    writeFileSync(join(widgetDir, 'chunks', 'small-AbC123xy.js'), 'export const small = 1;\n');
    writeFileSync(join(demoDir, 'index.html'), `<!doctype html><title>Demo</title>\n${LONG_TEXT}`);
    writeFileSync(join(demoDir, 'region.css'), 'body { color: black }');
    toolsDir = join(folder.path, 'dist', 'tools');
    mkdirSync(toolsDir);
    writeBuilt(join(toolsDir, 'admin.html'), '<!doctype html><title>Dashboard</title>');
    writeFileSync(join(toolsDir, 'builder.html'), '<!doctype html><title>Builder</title>');
    writeBuilt(join(toolsDir, 'embed-builder.js'), 'export const builder = 1;\n');
    writeFileSync(join(folder.path, 'secret.txt'), SECRET);
    writeFileSync(join(folder.path, 'dist', 'secret.txt'), SECRET);
    t = await makeTestApp({}, { widgetDir, demoDir });
  });
  after(async () => {
    await t.close();
    folder.remove();
  });

  it('serves the widget entry as JavaScript to any origin, cached for 5 minutes', async () => {
    const response = await t.request('/widget/cohesion-declaration.js', { headers: { Origin: 'https://plovdiv.bg' } });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'export const entry = 1;\n');
    assert.match(response.headers.get('Content-Type') ?? '', /^text\/javascript/);
    assert.equal(response.headers.get('Access-Control-Allow-Origin'), '*');
    assert.equal(response.headers.get('Cross-Origin-Resource-Policy'), 'cross-origin');
    assert.equal(response.headers.get('Cache-Control'), 'public, max-age=300');
  });

  it('serves hashed chunks as immutable for a year', async () => {
    const response = await t.request('/widget/chunks/bg-AbC123xy.js');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('Content-Type') ?? '', /^text\/javascript/);
    assert.equal(response.headers.get('Cache-Control'), 'public, max-age=31536000, immutable');
    assert.equal(response.headers.get('Cross-Origin-Resource-Policy'), 'cross-origin');
  });

  it('answers 404 for a widget file that does not exist, without long caching', async () => {
    for (const path of ['/widget/chunks/missing-AbC123.js', '/widget/', '/widget']) {
      const response = await t.request(path);
      assert.equal(response.status, 404, path);
      assert.doesNotMatch(response.headers.get('Cache-Control') ?? '', /immutable/, path);
    }
  });

  it('serves the demo page at / and its other files under /demo/', async () => {
    const page = await t.request('/');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('Content-Type') ?? '', /^text\/html/);
    assert.match(await page.text(), /<title>Demo<\/title>/);
    const css = await t.request('/demo/region.css');
    assert.equal(css.status, 200);
    assert.match(css.headers.get('Content-Type') ?? '', /^text\/css/);
  });

  it('serves the organiser dashboard at /admin, the embed-code builder at /builder, and their scripts under /tools/', async () => {
    for (const [path, title] of [
      ['/admin', 'Dashboard'],
      ['/builder', 'Builder'],
    ]) {
      const page = await t.request(path!);
      assert.equal(page.status, 200, path);
      assert.match(page.headers.get('Content-Type') ?? '', /^text\/html/, path);
      assert.match(await page.text(), new RegExp(`<title>${title}</title>`), path);
      assert.equal(page.headers.get('Cache-Control'), 'no-cache', path);
    }
    const script = await t.request('/tools/embed-builder.js');
    assert.equal(script.status, 200);
    assert.match(script.headers.get('Content-Type') ?? '', /^text\/javascript/);
  });

  it("sends the builder's old address, /demo/builder.html, on to /builder", async () => {
    const response = await t.request('/demo/builder.html');
    assert.equal(response.status, 301);
    assert.equal(new URL(response.headers.get('Location')!, 'http://localhost/demo/builder.html').pathname, '/builder');
  });

  it('gives our pages a CSP that allows our own scripts and API, and nothing from elsewhere', async () => {
    const csp = (await t.request('/')).headers.get('Content-Security-Policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /connect-src 'self'/);
    assert.match(csp, /object-src 'none'/);
    assert.doesNotMatch(csp, /\*/);
  });

  it('serves the stylesheet of our own pages at /pages.css', async () => {
    const response = await t.request('/pages.css');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('Content-Type') ?? '', /^text\/css/);
    assert.equal(response.headers.get('Cache-Control'), 'no-cache');
  });

  describe('compressed', () => {
    for (const [encoding, decode] of [
      ['br', brotliDecompressSync],
      ['gzip', gunzipSync],
    ] as const) {
      it(`sends the widget entry's ${encoding} copy when accepted, with the entry's type, CORS, cache and Vary`, async () => {
        const response = await t.request('/widget/cohesion-declaration.js', { headers: { 'Accept-Encoding': encoding } });
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('Content-Encoding'), encoding);
        assert.deepEqual(decode(await bytesOf(response)), readFileSync(join(widgetDir, 'cohesion-declaration.js')));
        assert.match(response.headers.get('Content-Type') ?? '', /^text\/javascript/);
        assert.ok(varies(response), response.headers.get('Vary') ?? '');
        assert.equal(response.headers.get('Access-Control-Allow-Origin'), '*');
        assert.equal(response.headers.get('Cache-Control'), 'public, max-age=300');
      });
    }

    it('prefers brotli, and sends hashed chunks compressed with their long cache', async () => {
      const response = await t.request('/widget/chunks/bg-AbC123xy.js', { headers: { 'Accept-Encoding': 'gzip, deflate, br, zstd' } });
      assert.equal(response.headers.get('Content-Encoding'), 'br');
      assert.equal(brotliDecompressSync(await bytesOf(response)).toString(), 'export const bg = 1;\n');
      assert.equal(response.headers.get('Cache-Control'), 'public, max-age=31536000, immutable');
      assert.ok(varies(response));
    });

    it('sends the plain file, saying it varies, to a client that accepts no compression', async () => {
      for (const headers of [{}, { 'Accept-Encoding': 'identity' }] as Record<string, string>[]) {
        const response = await t.request('/widget/cohesion-declaration.js', { headers });
        assert.equal(response.headers.get('Content-Encoding'), null);
        assert.equal(await response.text(), 'export const entry = 1;\n');
        assert.ok(varies(response), JSON.stringify(headers));
      }
    });

    it('sends a file the build did not compress as it is', async () => {
      const response = await t.request('/widget/chunks/small-AbC123xy.js', { headers: { 'Accept-Encoding': 'br, gzip' } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('Content-Encoding'), null);
      assert.equal(await response.text(), 'export const small = 1;\n');
    });

    it('answers HEAD with the length of the copy it would send', async () => {
      const response = await t.request('/widget/cohesion-declaration.js', { method: 'HEAD', headers: { 'Accept-Encoding': 'br' } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('Content-Encoding'), 'br');
      assert.equal(response.headers.get('Content-Length'), String(readFileSync(join(widgetDir, 'cohesion-declaration.js.br')).length));
    });

    it('gives the compressed copies no address of their own', async () => {
      for (const path of [
        '/widget/cohesion-declaration.js.br',
        '/widget/chunks/bg-AbC123xy.js.gz',
        '/tools/embed-builder.js.br',
        '/widget/x.zst',
      ]) {
        const response = await t.request(path, { headers: { 'Accept-Encoding': 'br, gzip' } });
        assert.equal(response.status, 404, path);
        assert.equal(response.headers.get('Content-Encoding'), null, path);
      }
    });

    it("sends the tools' pages and scripts compressed", async () => {
      const page = await t.request('/admin', { headers: { 'Accept-Encoding': 'gzip' } });
      assert.equal(page.headers.get('Content-Encoding'), 'gzip');
      assert.match(page.headers.get('Content-Type') ?? '', /^text\/html/);
      assert.equal(page.headers.get('Cache-Control'), 'no-cache');
      assert.ok(varies(page));
      assert.match(gunzipSync(await bytesOf(page)).toString(), /<title>Dashboard<\/title>/);
      const script = await t.request('/tools/embed-builder.js', { headers: { 'Accept-Encoding': 'br' } });
      assert.equal(script.headers.get('Content-Encoding'), 'br');
      assert.match(script.headers.get('Content-Type') ?? '', /^text\/javascript/);
      assert.equal(brotliDecompressSync(await bytesOf(script)).toString(), 'export const builder = 1;\n');
    });

    it('compresses our own pages as it sends them, and leaves the short ones', async () => {
      const demo = await t.request('/', { headers: { 'Accept-Encoding': 'gzip' } });
      assert.equal(demo.headers.get('Content-Encoding'), 'gzip');
      assert.match(demo.headers.get('Content-Type') ?? '', /^text\/html/);
      assert.equal(demo.headers.get('Cache-Control'), 'no-cache');
      assert.equal(demo.headers.get('Content-Length'), null);
      assert.ok(varies(demo));
      assert.deepEqual(gunzipSync(await bytesOf(demo)), readFileSync(join(folder.path, 'demo', 'index.html')));
      const pagesCss = await t.request('/pages.css', { headers: { 'Accept-Encoding': 'br' } });
      assert.equal(pagesCss.headers.get('Content-Encoding'), 'br');
      assert.match(brotliDecompressSync(await bytesOf(pagesCss)).toString(), /max-inline-size/);
      const css = await t.request('/demo/region.css', { headers: { 'Accept-Encoding': 'br' } });
      assert.equal(css.headers.get('Content-Encoding'), null);
      assert.equal(await css.text(), 'body { color: black }');
    });

    it('goes over real HTTP as a client decodes it', async () => {
      const server = createNodeServer(t.app).listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        for (const path of ['/widget/cohesion-declaration.js', '/']) {
          // fetch decodes what it gets, as a browser does.
          const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { 'Accept-Encoding': 'br' } });
          assert.equal(response.status, 200, path);
          assert.equal(response.headers.get('Content-Encoding'), 'br', path);
          const file = path === '/' ? join(folder.path, 'demo', 'index.html') : join(widgetDir, 'cohesion-declaration.js');
          assert.equal(await response.text(), readFileSync(file, 'utf8'), path);
        }
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });

  const traversals = [
    '/widget/../secret.txt',
    '/widget/%2e%2e/secret.txt',
    '/widget/..%2fsecret.txt',
    '/widget/..%2Fsecret.txt',
    '/widget/..%5csecret.txt',
    '/widget/chunks/..%2f..%2fsecret.txt',
    '/widget/%252e%252e/secret.txt',
    '/widget//etc/passwd',
    '/demo/..%2fsecret.txt',
    '/demo/%2e%2e/%2e%2e/secret.txt',
    '/demo/..%5c..%5csecret.txt',
  ];
  for (const path of traversals) {
    it(`refuses to leave its folder: ${path}`, async () => {
      const response = await t.request(path);
      assert.equal(response.status, 404);
      assert.doesNotMatch(await response.text(), /top secret/);
    });
  }

  it('refuses raw ".." segments sent over a real socket', async () => {
    const server = createNodeServer(t.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      for (const path of ['/widget/../secret.txt', '/widget/../../secret.txt', '/demo/../dist/secret.txt']) {
        const reply = await rawGet(port, path);
        assert.match(reply, /^HTTP\/1\.1 404/, path);
        assert.doesNotMatch(reply, /top secret/, path);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

/** A GET written byte for byte, so no client normalises the path first. */
function rawGet(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    });
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (reply += chunk));
    socket.on('end', () => resolve(reply));
    socket.on('error', reject);
  });
}
