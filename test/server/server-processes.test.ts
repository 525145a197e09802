/**
 * Real server processes, as they run in production: killed with SIGKILL in the middle of
 * signing, stopped with SIGTERM while answering, and several of them on one PostgreSQL database.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { newSignature, tempFolder } from './support/fixtures.js';
import { createTestSchema, skipWithoutPostgres } from './support/postgres-test-database.js';
import { CountStream, startServer } from './support/server-process.js';
import { CAMPAIGN, signatureBody } from './support/test-app.js';

const CAMPAIGN_URL = `/api/campaigns/${CAMPAIGN}`;

interface StoredSignature {
  email: string;
  status: string;
  partner: string | null;
}

/** A database for server processes to share, and a look at what they stored. */
interface ServerDatabase {
  url: string;
  stored(): Promise<StoredSignature[]>;
  destroy(): Promise<void>;
}

const databases: Array<{ name: string; skip: string | false; create: () => Promise<ServerDatabase> }> = [
  {
    name: 'SQLite',
    skip: false,
    async create() {
      const folder = tempFolder();
      const url = join(folder.path, 'cohesion.sqlite');
      return {
        url,
        async stored() {
          const db = new Database(url, { readonly: true });
          try {
            return db.prepare('SELECT email, status, partner FROM signatures').all() as StoredSignature[];
          } finally {
            db.close();
          }
        },
        destroy: async () => folder.remove(),
      };
    },
  },
  {
    name: 'PostgreSQL',
    skip: skipWithoutPostgres,
    async create() {
      const schema = await createTestSchema();
      return {
        url: schema.url,
        stored: () => schema.query<StoredSignature>('SELECT email, status, partner FROM signatures'),
        destroy: () => schema.drop(),
      };
    },
  },
];

function sign(url: string, email: string, partner = 'plovdiv') {
  return fetch(`${url}${CAMPAIGN_URL}/signatures`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(signatureBody({ email, partner })),
  });
}

async function counts(url: string): Promise<{ count: number; partnerCount: number }> {
  return (await fetch(`${url}${CAMPAIGN_URL}/count?partner=plovdiv`)).json();
}

for (const { name, skip, create } of databases) {
  describe(`a server on ${name}`, { skip }, () => {
    it('keeps every signature that got a 2xx when killed with SIGKILL mid-signing, and counts exactly the stored ones', async () => {
      const database = await create();
      try {
        const server = await startServer({ DATABASE_URL: database.url });
        const acknowledged: string[] = [];
        let serial = 0;
        let killed = false;
        // 32 signers at once, each signing again as soon as answered, until the server is gone.
        const signer = async () => {
          for (;;) {
            const email = `crash.${++serial}@example.org`;
            try {
              const response = await sign(server.url, email);
              if (response.status === 201) acknowledged.push(email);
              else assert.fail(`status ${response.status}`);
            } catch (error) {
              if (killed) return;
              throw error;
            }
            if (acknowledged.length >= 300 && !killed) {
              killed = true;
              server.child.kill('SIGKILL');
            }
          }
        };
        await Promise.all(Array.from({ length: 32 }, signer));
        await server.exited;
        assert.ok(serial > acknowledged.length, 'some signatures were in flight when the server died');

        const restarted = await startServer({ DATABASE_URL: database.url });
        try {
          const stored = await database.stored();
          const storedEmails = new Set(stored.map((signature) => signature.email));
          const lost = acknowledged.filter((email) => !storedEmails.has(email));
          assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged signatures lost`);
          const confirmed = stored.filter((signature) => signature.status === 'confirmed');
          const { count, partnerCount } = await counts(restarted.url);
          assert.deepEqual(
            { count, partnerCount },
            { count: confirmed.length, partnerCount: confirmed.filter((signature) => signature.partner === 'plovdiv').length },
          );
        } finally {
          restarted.child.kill('SIGKILL');
          await restarted.exited;
        }
      } finally {
        await database.destroy();
      }
    });
  });
}

describe('a server stopped with SIGTERM', () => {
  it('answers the request in flight, ends its event streams, takes no new connections, and exits 0 once done', async () => {
    const database = await databases[0]!.create();
    const server = await startServer({ DATABASE_URL: database.url });
    try {
      const stream = new CountStream(`${server.url}${CAMPAIGN_URL}/stream`);
      await stream.until(() => true, 3000);

      // A signature whose body is still arriving when the signal comes, on a keep-alive
      // connection, which must not hold the process up once answered.
      const body = JSON.stringify(signatureBody({ email: 'in.flight@example.org' }));
      const agent = new http.Agent({ keepAlive: true });
      const request = http.request(`${server.url}${CAMPAIGN_URL}/signatures`, {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      });
      const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
        request.on('response', (response) => {
          let text = '';
          response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode!, body: text }));
        });
        request.on('error', reject);
      });
      request.write(body.slice(0, 20));
      await new Promise((resolve) => setTimeout(resolve, 200));

      server.child.kill('SIGTERM');
      await stream.ended;
      // On a connection of its own: fetch would reuse the one it kept alive, which is answered.
      const onNewConnection = new Promise((resolve, reject) =>
        http.get(`${server.url}/healthz`, { agent: false }, resolve).once('error', reject),
      );
      await assert.rejects(onNewConnection, 'no new connections');
      request.end(body.slice(20));
      const answer = await answered;
      assert.equal(answer.status, 201, answer.body);
      const answeredAt = Date.now();
      assert.equal(await server.exited, 0);
      assert.ok(Date.now() - answeredAt < 2000, 'exits without waiting for the grace timeout');
      agent.destroy();
      assert.deepEqual(
        (await database.stored()).map((signature) => signature.email),
        ['in.flight@example.org'],
      );
    } finally {
      server.child.kill('SIGKILL');
      await database.destroy();
    }
  });
});

describe('two server processes on one PostgreSQL database', { skip: skipWithoutPostgres }, () => {
  it('shows a signature made through one on an event stream of the other within a second', async () => {
    const schema = await createTestSchema();
    const [watched, signedAt] = await Promise.all([startServer({ DATABASE_URL: schema.url }), startServer({ DATABASE_URL: schema.url })]);
    try {
      const stream = new CountStream(`${watched.url}${CAMPAIGN_URL}/stream`);
      const before = await stream.until(() => true, 3000);
      // The watching process has to be LISTENing: it starts once its count hub subscribes.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = Date.now();
      assert.equal((await sign(signedAt.url, newSignature().email)).status, 201);
      await stream.until((count) => count === before + 1, 1000);
      assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms`);
      stream.close();
    } finally {
      for (const server of [watched, signedAt]) server.child.kill('SIGKILL');
      await Promise.all([watched.exited, signedAt.exited]);
      await schema.drop();
    }
  });
});
