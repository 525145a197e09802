/**
 * Slow clients: how long a request may take to arrive, and how many connections one client may
 * hold open. Without these, a client sending a body a byte at a time holds a connection for
 * Node's default five minutes, and one that sends nothing holds it for ever.
 *
 * The timeouts are measured against the slowest visitor we serve: a phone on 2G (GPRS sends
 * about 20 kbit/s, i.e. 2.5 KB/s, with round trips near a second).
 * - Headers: about 1 KiB, 0.4 s, plus a round trip or two: under 2 s. HEADERS_TIMEOUT_MS gives 5x.
 * - The whole request: headers and the largest body (MAX_BODY_BYTES, 8 KiB), 9 KiB: 3.7 s,
 *   plus round trips (it fits in TCP's first window): about 5 s. REQUEST_TIMEOUT_MS gives 6x,
 *   for a lossy link that resends.
 * Node measures the headers from their first byte; a connection that has sent no request yet
 * gets HEADERS_TIMEOUT_MS of silence before it is closed.
 *
 * Open connections per client (RATE_LIMIT on): counted by the address the socket comes from, as
 * the rate limits count (clientKey). Behind a proxy (TRUST_PROXY) every connection comes from
 * the proxy and the client is known only from each request's headers, so connections are not
 * counted: holding slow clients off is then the proxy's part (nginx, for one, reads a whole body
 * before passing it on).
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { clientKey } from '../http/client-address.js';
import type { Logger } from '../logger.js';

export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
/**
 * Room for STREAMS_PER_CLIENT open pages behind one address (an office, a school), each with its
 * event stream and the browser's one or two connections more for its requests.
 */
export const CONNECTIONS_PER_CLIENT = 64;

export interface ClientTimeouts {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

export interface ConnectionLimitOptions {
  /** Whether to cap the connections each client has open: RATE_LIMIT on, and no trusted proxy in front. */
  capPerClient: boolean;
  logger: Logger;
  /** Tests pass shorter ones. */
  timeouts?: ClientTimeouts;
}

/** Sets the limits on `server`, before it listens. */
export function limitConnections(
  server: Server,
  {
    capPerClient,
    logger,
    timeouts = { headersTimeoutMs: HEADERS_TIMEOUT_MS, requestTimeoutMs: REQUEST_TIMEOUT_MS },
  }: ConnectionLimitOptions,
): void {
  if (server.listening) throw new Error('limitConnections() must be called before the server listens');
  const { headersTimeoutMs, requestTimeoutMs } = timeouts;
  server.headersTimeout = headersTimeoutMs;
  server.requestTimeout = requestTimeoutMs;
  // How often Node looks for requests past their time: by default every 30 s, which would add
  // up to that much to each timeout. Read when the server starts listening, as the createServer
  // option of that name (createNodeServer makes the server).
  Object.assign(server, { connectionsCheckingInterval: Math.max(10, Math.round(headersTimeoutMs / 10)) });

  // A connection's first request ends its silence timer; Node's own timeouts take over.
  const waiting = new WeakSet<Socket>();
  server.prependListener('request', (request) => {
    if (waiting.delete(request.socket)) request.socket.setTimeout(0);
  });

  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    if (capPerClient) {
      const client = clientKey(socket.remoteAddress);
      const count = open.get(client) ?? 0;
      if (count >= CONNECTIONS_PER_CLIENT) {
        logger.info('rate_limited', { limit: 'connections_per_client' });
        socket.destroy();
        return;
      }
      open.set(client, count + 1);
      socket.once('close', () => {
        const left = open.get(client)! - 1;
        if (left) open.set(client, left);
        else open.delete(client);
      });
    }
    // A timed-out socket nobody listens for is destroyed by Node's server.
    waiting.add(socket);
    socket.setTimeout(headersTimeoutMs);
  });
}
