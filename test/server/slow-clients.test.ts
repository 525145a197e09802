/**
 * Slow clients: a request must arrive within its time (headers, then the whole request), a
 * connection that sends nothing is closed, and one client may hold only so many connections
 * open (RATE_LIMIT on, no proxy in front). The timeouts are shrunk here, so nothing waits minutes.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createNodeServer } from '../../server/http/node-server.js';
import { CountHub } from '../../server/live/count-hub.js';
import { silentLogger } from '../../server/logger.js';
import {
  CONNECTIONS_PER_CLIENT,
  HEADERS_TIMEOUT_MS,
  REQUEST_TIMEOUT_MS,
  limitConnections,
} from '../../server/protection/connection-limits.js';
import { MAX_BODY_BYTES } from '../../server/routes/signatures.js';
import { tempFolder } from './support/fixtures.js';
import { startServer } from './support/server-process.js';
import { CAMPAIGN, SIGNATURES_URL, makeTestApp, signatureBody, type TestApp } from './support/test-app.js';

const TIMEOUTS = { headersTimeoutMs: 300, requestTimeoutMs: 600 };
/** How often a trickling client sends its next byte. */
const TRICKLE_MS = 20;
/** Without limits, a test would wait for Node's own (minutes); this fails it first. */
const NOT_FOREVER = { timeout: 20_000 };

/** Everything the server sent on `socket` until it closed. */
function untilClosed(socket: Socket): Promise<string> {
  let text = '';
  socket.setEncoding('latin1').on('data', (chunk: string) => (text += chunk));
  return new Promise((resolve) => {
    socket.once('close', () => resolve(text));
    socket.on('error', () => undefined);
  });
}

/** Writes `text` one byte at a time while the socket is open; returns how many bytes went out. */
function trickle(socket: Socket, text: string): () => number {
  let sent = 0;
  const timer = setInterval(() => {
    if (sent < text.length && !socket.destroyed) socket.write(text[sent++]!);
    else clearInterval(timer);
  }, TRICKLE_MS);
  socket.once('close', () => clearInterval(timer));
  return () => sent;
}

describe('slow clients', () => {
  let t: TestApp;
  let server: Server;
  let port: number;
  before(async () => {
    // Heartbeats further apart than the headers timeout: a stream must outlive it.
    t = await makeTestApp({}, { countHub: (store) => new CountHub(store, { heartbeatMs: 2 * TIMEOUTS.headersTimeoutMs }) });
    server = createNodeServer(t.app);
    limitConnections(server, { capPerClient: false, logger: silentLogger, timeouts: TIMEOUTS });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    server.close();
    await t.close();
  });

  const open = () => connect(port, '127.0.0.1');

  it('cuts off a body trickled slower than the request timeout allows, with 408', NOT_FOREVER, async () => {
    const body = JSON.stringify(signatureBody({ organisation: 'Slow Body Association'.repeat(10) }));
    const socket = open();
    const closed = untilClosed(socket);
    socket.write(
      `POST ${SIGNATURES_URL} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    const sent = trickle(socket, body);
    assert.match(await closed, /^HTTP\/1\.1 408 /);
    assert.ok(sent() < body.length, `cut off after ${sent()} of ${body.length} bytes`);
  });

  it('cuts off request headers trickled slower than the headers timeout allows, with 408', NOT_FOREVER, async () => {
    const head = `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: ${'bg;q=0.9, '.repeat(20)}en\r\n\r\n`;
    const socket = open();
    const closed = untilClosed(socket);
    const sent = trickle(socket, head);
    assert.match(await closed, /^HTTP\/1\.1 408 /);
    assert.ok(sent() < head.length, `cut off after ${sent()} of ${head.length} bytes`);
  });

  it('closes a connection that sends nothing', NOT_FOREVER, async () => {
    // Closed either silently or with Node's 408, whichever of the two timers comes first.
    assert.match(await untilClosed(open()), /^(?:|HTTP\/1\.1 408 Request Timeout\r\n[^]*)$/);
  });

  it('lets a request that keeps pace through, and keeps an event stream open past both timeouts', NOT_FOREVER, async () => {
    const signed = await fetch(`http://127.0.0.1:${port}${SIGNATURES_URL}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(signatureBody()),
    });
    assert.equal(signed.status, 202);
    const socket = open();
    socket.write(`GET /api/campaigns/${CAMPAIGN}/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    let text = '';
    socket.setEncoding('utf8');
    // Heartbeats come every 2 headers timeouts: the third is past the request timeout too.
    for await (const chunk of socket) {
      text += chunk;
      if (text.split(': heartbeat').length > 3) break;
    }
    assert.match(text, /^HTTP\/1\.1 200 /);
    socket.destroy();
  });

  it('by default leaves room for the largest body at 2G speed', () => {
    const server = createNodeServer(t.app);
    limitConnections(server, { capPerClient: false, logger: silentLogger });
    assert.deepEqual([server.headersTimeout, server.requestTimeout], [HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS]);
    // GPRS sends about 20 kbit/s: the largest body with its headers, sent five times over.
    const twoG = ((MAX_BODY_BYTES + 1024) * 8) / 20_000;
    assert.ok(REQUEST_TIMEOUT_MS >= 5 * twoG * 1000);
  });
});

describe('open connections per client', () => {
  const folder = tempFolder();
  after(() => folder.remove());
  let serial = 0;
  const database = () => `${folder.path}/server-${++serial}.sqlite`;

  // The client under test; the test process's own fetch (startServer's health check) may keep a
  // connection open from 127.0.0.1.
  const CLIENT = '127.0.0.3';
  const OTHER_CLIENT = '127.0.0.2';

  /** A connection in the middle of a request: the server has read its headers and waits for the body. */
  async function heldOpen(port: number, localAddress = CLIENT): Promise<Socket> {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    socket.write(
      'POST /confirm HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 70\r\nExpect: 100-continue\r\n\r\n',
    );
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    assert.match(chunk.toString('latin1'), /^HTTP\/1\.1 100 Continue/);
    return socket;
  }

  /** Whether a new connection from `localAddress` is served. */
  async function served(port: number, localAddress = CLIENT): Promise<boolean> {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    const closed = untilClosed(socket);
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    return /^HTTP\/1\.1 200 /.test(await closed);
  }

  it(
    `refuses a client's connection past ${CONNECTIONS_PER_CLIENT} open ones while RATE_LIMIT is on; a closed one frees its place`,
    NOT_FOREVER,
    async () => {
      const server = await startServer({ RATE_LIMIT: 'on', DATABASE_URL: database() });
      try {
        const held = [];
        for (let i = 0; i < CONNECTIONS_PER_CLIENT; i++) held.push(await heldOpen(server.port));
        assert.equal(await served(server.port), false, 'the one past the cap');
        assert.equal(await served(server.port, OTHER_CLIENT), true, 'another client');
        held.pop()!.destroy();
        // The server sees the close a moment later.
        let again = await served(server.port);
        for (let tries = 0; !again && tries < 50; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          again = await served(server.port);
        }
        assert.equal(again, true, 'once one of them is closed');
        for (const socket of held) socket.destroy();
      } finally {
        server.child.kill('SIGKILL');
        await server.exited;
      }
    },
  );

  const uncounted: Array<Record<string, string>> = [{ RATE_LIMIT: 'off' }, { RATE_LIMIT: 'on', TRUST_PROXY: 'on' }];
  for (const env of uncounted) {
    it(
      `does not count them with ${Object.entries(env)
        .map(([name, value]) => `${name}=${value}`)
        .join(' ')}`,
      NOT_FOREVER,
      async () => {
        const server = await startServer({ ...env, DATABASE_URL: database() });
        try {
          const held = [];
          for (let i = 0; i < CONNECTIONS_PER_CLIENT; i++) held.push(await heldOpen(server.port));
          assert.equal(await served(server.port), true);
          for (const socket of held) socket.destroy();
        } finally {
          server.child.kill('SIGKILL');
          await server.exited;
        }
      },
    );
  }
});
