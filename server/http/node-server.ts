/** The HTTP server: the app's listener on a node:http server. main.ts listens with it; tests use it for a real server in the test process. */
import { createServer, type RequestListener, type Server } from 'node:http';

export function createNodeServer(listener: RequestListener): Server {
  return createServer(listener);
}
