/**
 * An app behind a listening server in the test process, for what only real HTTP shows: bodies
 * as Node reads them (with a Content-Length, or in chunks), what is left of a refused body,
 * HEAD, URLs with escapes, headers as they go on the wire. One kept-alive connection carries
 * every request, so a test can tell whether the server kept it.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeServer } from '../../../server/http/node-server.js';
import type { TestApp } from './test-app.js';

export interface Sent {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent as it is, with its Content-Length; an object is sent as JSON. */
  body?: string | object;
  /** Sent in these pieces instead, without a Content-Length (chunked). */
  chunks?: string[];
}

export interface Answer {
  status: number;
  /** Lower-case names, as Node gives them. */
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON; undefined when empty or not JSON. */
  body: unknown;
}

export class LiveServer {
  /** Connections the server accepted so far. */
  connections = 0;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  private constructor(
    private readonly server: http.Server,
    private readonly port: number,
  ) {
    server.on('connection', () => this.connections++);
  }

  static async start(t: TestApp): Promise<LiveServer> {
    const server = createNodeServer(t.app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new LiveServer(server, (server.address() as AddressInfo).port);
  }

  send({ method = 'GET', path, headers = {}, body, chunks }: Sent): Promise<Answer> {
    const text = body === undefined || typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      // The path goes out as it is: a URL string would be normalised on the way.
      const request = http.request({ host: '127.0.0.1', port: this.port, path, method, agent: this.agent, headers }, (response) => {
        let received = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
        response.on('end', () => {
          const json = received !== '' && response.headers['content-type']?.startsWith('application/json');
          resolve({
            status: response.statusCode!,
            headers: response.headers,
            text: received,
            body: json ? JSON.parse(received) : undefined,
          });
        });
      });
      request.on('error', reject);
      for (const chunk of chunks ?? []) request.write(chunk);
      request.end(text);
    });
  }

  async close() {
    this.agent.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
