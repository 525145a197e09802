/**
 * A deploy: SIGTERM arrives while keep-alive clients keep signing. A client learns that the
 * server is stopping only from the `Connection: close` of an answer, so no request meets a reset
 * or a hang-up: each is answered, or (sent after the signal, on a new connection) refused at
 * connect. Every signature answered 2xx is stored, and the process exits 0.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { tempFolder } from './support/fixtures.js';
import { startServer } from './support/server-process.js';
import { SIGNATURES_URL, signatureBody } from './support/test-app.js';

const CLIENTS = 4;
const CONNECTIONS_PER_CLIENT = 6;
/** Each connection has been used this often before the signal: all are open and kept alive. */
const WARM_REQUESTS = 3;

interface Sent {
  email: string;
  beforeSignal: boolean;
  status?: number;
  error?: string;
}

function post(url: string, agent: http.Agent, email: string): Promise<{ status: number } | { error: string }> {
  const body = JSON.stringify(signatureBody({ email }));
  return new Promise((resolve) => {
    const request = http.request(`${url}${SIGNATURES_URL}`, {
      method: 'POST',
      agent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    });
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode! }));
      response.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    request.end(body);
  });
}

describe('a server stopped with SIGTERM under keep-alive load', () => {
  it('resets no connection: answers every request sent before the signal, stores each one it acknowledged, exits 0', async () => {
    const folder = tempFolder();
    const file = join(folder.path, 'cohesion.sqlite');
    const server = await startServer({ DATABASE_URL: file });
    const agents = Array.from({ length: CLIENTS }, () => new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS_PER_CLIENT }));
    try {
      const sent: Sent[] = [];
      let signalled = false;
      let warm = 0;
      let serial = 0;
      // Each connection signs again as soon as it is answered, until a request fails; once all
      // are warm, SIGTERM comes.
      const connection = async (agent: http.Agent) => {
        for (let round = 1; ; round++) {
          const record: Sent = { email: `deploy.${++serial}@example.org`, beforeSignal: !signalled };
          sent.push(record);
          Object.assign(record, await post(server.url, agent, record.email));
          if (record.error) return;
          if (round === WARM_REQUESTS && ++warm === CLIENTS * CONNECTIONS_PER_CLIENT) {
            signalled = true;
            server.child.kill('SIGTERM');
          }
        }
      };
      await Promise.all(agents.flatMap((agent) => Array.from({ length: CONNECTIONS_PER_CLIENT }, () => connection(agent))));
      assert.equal(await server.exited, 0, server.stderr());

      const failed = sent.filter(({ beforeSignal, error }) => error && (beforeSignal || error !== 'ECONNREFUSED'));
      assert.deepEqual(
        failed.map(({ error, beforeSignal }) => (beforeSignal ? `${error}, sent before the signal` : error)),
        [],
        `${failed.length} of ${sent.length} requests reset, or sent before the signal and not answered`,
      );
      const acknowledged = sent.filter((request) => request.status !== undefined && request.status >= 200 && request.status < 300);
      assert.ok(acknowledged.length >= CLIENTS * CONNECTIONS_PER_CLIENT * WARM_REQUESTS);
      const db = new Database(file, { readonly: true });
      try {
        const stored = new Set((db.prepare('SELECT email FROM signatures').all() as Array<{ email: string }>).map(({ email }) => email));
        assert.deepEqual(
          acknowledged.filter(({ email }) => !stored.has(email)),
          [],
          'acknowledged, not stored',
        );
      } finally {
        db.close();
      }
    } finally {
      for (const agent of agents) agent.destroy();
      server.child.kill('SIGKILL');
      folder.remove();
    }
  });
});
