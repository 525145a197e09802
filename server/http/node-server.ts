/**
 * The HTTP server: each request goes to the Node fast path (node-fast-path.ts) if it is one of
 * its routes, and to the Hono app otherwise, through @hono/node-server's listener as before.
 * main.ts listens with it; tests use it for a real server in the test process.
 */
import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { FastPath } from './node-fast-path.js';

export function createNodeServer(app: Pick<Hono, 'fetch'> & { fastPath: FastPath }): Server {
  const hono = getRequestListener(app.fetch);
  return createServer((incoming, outgoing) => {
    if (!app.fastPath(incoming, outgoing)) void hono(incoming, outgoing);
  });
}
