/**
 * The HTTP server: the Hono app on a node:http server, through @hono/node-server's listener.
 * main.ts listens with it; tests use it for a real server in the test process.
 */
import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';

export function createNodeServer(app: Pick<Hono, 'fetch'>): Server {
  return createServer(getRequestListener(app.fetch));
}
