/**
 * The live counter's stream, over a real socket: wire format, resumption, coalescing,
 * heartbeat, and that connections which leave leave nothing behind.
 */
import { createNodeServer } from '../../server/http/node-server.js';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Server } from 'node:http';
import { CountHub } from '../../server/live/count-hub.js';
import { CAMPAIGN, makeTestApp, signatureBody, type TestApp } from './support/test-app.js';

const COALESCE_MS = 100;

/** An open event stream: its raw text so far, and the events parsed from it. */
class StreamClient {
  text = '';
  private waiters: Array<() => void> = [];
  readonly ready: Promise<http.IncomingMessage>;
  private request: http.ClientRequest;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.request = http.get(url, { headers });
    this.ready = new Promise((resolve, reject) => {
      this.request.once('error', reject);
      this.request.once('response', (response) => {
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          this.text += chunk;
          for (const wake of this.waiters.splice(0)) wake();
        });
        resolve(response);
      });
    });
  }

  get events() {
    return this.text
      .split('\n\n')
      .filter((block) => block.includes('event: count'))
      .map((block) => ({
        id: block.match(/^id: (.*)$/m)?.[1],
        data: JSON.parse(block.match(/^data: (.*)$/m)![1]!),
      }));
  }

  /** Waits until `test` holds for what has arrived; fails after `ms`. */
  async until(test: () => boolean, ms = 3000) {
    const deadline = Date.now() + ms;
    while (!test()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`stream did not get there; it has: ${JSON.stringify(this.text)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  close() {
    this.request.destroy();
  }
}

describe('GET /api/campaigns/:campaign/stream', () => {
  let t: TestApp;
  let hub: CountHub;
  let server: Server;
  let base: string;
  let signer = 0;

  const sign = (overrides: Record<string, unknown> = {}) =>
    t.post(signatureBody({ email: `stream.${++signer}@example.org`, ...overrides }));

  before(async () => {
    t = await makeTestApp(
      { DOUBLE_OPT_IN: 'off' },
      { countHub: (store) => (hub = new CountHub(store, { coalesceMs: COALESCE_MS, heartbeatMs: 200 })) },
    );
    server = createNodeServer(t.app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/campaigns/${CAMPAIGN}`;
  });

  after(async () => {
    hub.close();
    server.close();
    await t.close();
  });

  it('answers with an event stream that any origin may read, and sends the count at once', async () => {
    const count = await t.store.count(CAMPAIGN);
    const client = new StreamClient(`${base}/stream`);
    const response = await client.ready;
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type']!, /^text\/event-stream/);
    assert.equal(response.headers['access-control-allow-origin'], '*');
    assert.equal(response.headers['cache-control'], 'no-cache, no-transform');
    await client.until(() => client.events.length === 1);
    assert.equal(client.text, `id: ${count}\nevent: count\ndata: {"count":${count}}\n\n`);
    client.close();
  });

  it('pushes a new signature to every open stream', async () => {
    const clients = [new StreamClient(`${base}/stream`), new StreamClient(`${base}/stream`)];
    await Promise.all(clients.map((client) => client.until(() => client.events.length === 1)));
    const before = clients[0]!.events[0]!.data.count;
    assert.equal((await sign()).status, 201);
    for (const client of clients) {
      await client.until(() => client.events.length === 2);
      assert.deepEqual(client.events[1], { id: String(before + 1), data: { count: before + 1 } });
      client.close();
    }
  });

  it("adds the partner's own count when opened with ?partner=", async () => {
    const client = new StreamClient(`${base}/stream?partner=plovdiv`);
    await client.until(() => client.events.length === 1);
    const { count, partnerCount } = client.events[0]!.data;
    assert.equal(partnerCount, 0);
    await sign({ partner: 'plovdiv' });
    await client.until(() => client.events.length === 2);
    assert.deepEqual(client.events[1]!.data, { count: count + 1, partnerCount: 1 });
    assert.equal(client.events[1]!.id, `${count + 1}.1`);
    client.close();
  });

  it('resumes: a client that already has the current count (Last-Event-ID) is not sent it again', async () => {
    const count = await t.store.count(CAMPAIGN);
    const current = new StreamClient(`${base}/stream`, { 'Last-Event-ID': String(count) });
    const stale = new StreamClient(`${base}/stream`, { 'Last-Event-ID': String(count - 1) });
    await stale.until(() => stale.events.length === 1);
    assert.equal(stale.events[0]!.data.count, count);
    await sign();
    await current.until(() => current.events.length >= 1);
    assert.deepEqual(
      current.events.map((event) => event.data.count),
      [count + 1],
    );
    current.close();
    stale.close();
  });

  it('coalesces a burst of signatures into a few updates that end on the right count', async () => {
    const client = new StreamClient(`${base}/stream`);
    await client.until(() => client.events.length === 1);
    const start = client.events[0]!.data.count;
    await Promise.all(Array.from({ length: 60 }, () => sign()));
    await client.until(() => client.events.at(-1)!.data.count === start + 60);
    // 60 signatures in well under a second: at most a couple of coalesced updates.
    assert.ok(client.events.length - 1 <= 3, `${client.events.length - 1} updates for one burst`);
    client.close();
  });

  it('sends a heartbeat comment so proxies keep a quiet stream open', async () => {
    const client = new StreamClient(`${base}/stream`);
    await client.until(() => client.text.includes(': heartbeat\n\n'));
    client.close();
  });

  it('leaves nothing behind after 1,000 connect/disconnect cycles', async () => {
    const listenersBefore = process.listenerCount('exit');
    for (let round = 0; round < 10; round++) {
      const clients = Array.from({ length: 100 }, () => new StreamClient(`${base}/stream`));
      await Promise.all(clients.map((client) => client.until(() => client.events.length === 1)));
      for (const client of clients) client.close();
    }
    const deadline = Date.now() + 3000;
    while (hub.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(hub.size, 0);
    assert.equal(server.listenerCount('request'), 1);
    assert.equal(process.listenerCount('exit'), listenersBefore);
    // And the hub still works.
    const client = new StreamClient(`${base}/stream`);
    await client.until(() => client.events.length === 1);
    client.close();
  });

  it('404 for an unknown campaign, 400 for a malformed partner id', async () => {
    const unknown = await fetch(`${base.replace(CAMPAIGN, 'no-such-campaign')}/stream`);
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).error, 'unknown_campaign');
    const badPartner = await fetch(`${base}/stream?partner=${encodeURIComponent('<script>')}`);
    assert.equal(badPartner.status, 400);
    assert.deepEqual((await badPartner.json()).fields, { partner: 'invalid' });
  });
});
