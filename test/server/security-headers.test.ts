/**
 * Security headers: the API, the widget's scripts and the event stream get the few that mean
 * something for JSON and scripts; our own pages, which are documents, get the document ones too.
 */
import { createNodeServer } from '../../server/http/node-server.js';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempFolder } from './support/fixtures.js';
import { CAMPAIGN, SIGNATURES_URL, makeTestApp, type TestApp } from './support/test-app.js';

const FOR_PARTNERS = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'cross-origin',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'x-content-type-options': 'nosniff',
};
const FOR_DOCUMENTS_ONLY = [
  'x-frame-options',
  'x-xss-protection',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-permitted-cross-domain-policies',
  'origin-agent-cluster',
  'cross-origin-opener-policy',
];

/** The security headers among `headers`, by lower-case name. */
function securityHeadersOf(headers: Headers | http.IncomingHttpHeaders): Record<string, string> {
  const entries = headers instanceof Headers ? [...headers] : Object.entries(headers).map(([name, value]) => [name, String(value)]);
  const names = [...Object.keys(FOR_PARTNERS), ...FOR_DOCUMENTS_ONLY];
  return Object.fromEntries(
    entries.filter(([name]) => names.includes(name.toLowerCase())).map(([name, value]) => [name.toLowerCase(), value]),
  );
}

describe('security headers', () => {
  let t: TestApp;
  let folder: ReturnType<typeof tempFolder>;

  before(async () => {
    folder = tempFolder();
    const widgetDir = join(folder.path, 'widget');
    const demoDir = join(folder.path, 'demo');
    mkdirSync(widgetDir);
    mkdirSync(demoDir);
    writeFileSync(join(widgetDir, 'cohesion-declaration.js'), 'export {};\n');
    writeFileSync(join(demoDir, 'index.html'), '<!doctype html><title>Demo</title>');
    t = await makeTestApp({ BOT_PROTECTION: 'on' }, { widgetDir, demoDir });
  });
  after(async () => {
    await t.close();
    folder.remove();
  });

  it('API answers and widget scripts carry exactly the ones for JSON and scripts, errors and preflights included', async () => {
    const requests: Array<[string, RequestInit?]> = [
      [`/api/campaigns/${CAMPAIGN}`],
      [`/api/campaigns/${CAMPAIGN}/count`],
      [`/api/campaigns/${CAMPAIGN}/challenge`],
      [SIGNATURES_URL, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }],
      [SIGNATURES_URL, { method: 'OPTIONS', headers: { Origin: 'https://plovdiv.bg', 'Access-Control-Request-Method': 'POST' } }],
      ['/api/no-such-thing'],
      ['/widget/cohesion-declaration.js'],
      ['/widget/no-such-chunk.js'],
    ];
    for (const [path, init] of requests) {
      const response = await t.request(path, init);
      assert.deepEqual(securityHeadersOf(response.headers), FOR_PARTNERS, `${init?.method ?? 'GET'} ${path}`);
    }
  });

  it('the event stream carries them too, with its own headers', async () => {
    const server = createNodeServer(t.app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/campaigns`;
      for (const path of [`${CAMPAIGN}/stream`, 'nope/stream']) {
        const response = await new Promise<http.IncomingMessage>((resolve, reject) =>
          http.get(`${base}/${path}`, resolve).once('error', reject),
        );
        assert.deepEqual(securityHeadersOf(response.headers), FOR_PARTNERS, path);
        assert.equal(response.headers['access-control-allow-origin'], '*', path);
        response.destroy();
      }
    } finally {
      (server as http.Server).closeAllConnections();
      server.close();
    }
  });

  it('our own pages, which are documents, get the document headers as well', async () => {
    for (const path of ['/', '/confirm?token=nope', '/healthz']) {
      const headers = securityHeadersOf((await t.request(path)).headers);
      assert.equal(headers['cross-origin-resource-policy'], 'same-origin', path);
      assert.equal(headers['x-frame-options'], 'SAMEORIGIN', path);
      assert.match(headers['content-security-policy'] ?? '', /default-src 'self'/, path);
    }
  });
});
