/**
 * Stopping the HTTP server without resetting a connection a client is using. A keep-alive client
 * learns that the server is going only from an answer's `Connection: close`; a connection closed
 * while its next request is on the way is reset, and that request gets an error, not an answer.
 *
 * So, once closing: no new connections; every answer not yet started says `Connection: close`
 * (Node closes its connection once it is sent); a connection idle at that moment gets
 * IDLE_LINGER_MS to bring the request it may already have sent, and is closed after that.
 * Node's own `server.close()` closes idle connections at once: the resets this avoids.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';

/** How long a connection idle at shutdown may still bring a request that was already on its way. */
export const IDLE_LINGER_MS = 1000;
/** After the linger, how often connections that turned idle since are closed. */
const IDLE_SWEEP_MS = 50;

/** Prepares `server` for a graceful close; call the result to close it. It resolves once every connection has ended. */
export function gracefulClose(server: Server, lingerMs = IDLE_LINGER_MS): () => Promise<void> {
  let closing = false;
  const unanswered = new Set<ServerResponse>();
  // Ahead of the app's listener, so the header is set before anything is written.
  server.prependListener('request', (_request: IncomingMessage, response: ServerResponse) => {
    if (closing) {
      response.setHeader('Connection', 'close');
      return;
    }
    unanswered.add(response);
    response.once('close', () => unanswered.delete(response));
  });

  return () => {
    if (closing) return Promise.resolve();
    closing = true;
    for (const response of unanswered) if (!response.headersSent) response.setHeader('Connection', 'close');
    // Stops accepting without http.Server's closing of idle connections (see above).
    const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
    // After the linger, the idle ones; then, every so often, those idle since: connections whose
    // answer had started before the close, and so could not say `Connection: close`.
    setTimeout(() => {
      server.closeIdleConnections();
      setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS).unref();
    }, lingerMs).unref();
    return closed;
  };
}
