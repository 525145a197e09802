/**
 * PostgreSQL that the test can stop and start again for one store alone: a TCP proxy in front of
 * the test server. Stopped, it drops every connection through it and refuses new ones, as a
 * stopped server does; the other tests, on their own connections, see nothing of it.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface PostgresOutage {
  /** `url`, through the proxy. */
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function postgresBehindSwitch(url: string): Promise<PostgresOutage> {
  const target = new URL(url);
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const newProxy = () =>
    createServer((client) => {
      const server = connect(Number(target.port || 5432), target.hostname);
      track(client);
      track(server);
      client.pipe(server).pipe(client);
      client.once('close', () => server.destroy());
      server.once('close', () => client.destroy());
    });
  let proxy: Server = newProxy();
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as { port: number }).port;
  const through = new URL(url);
  through.hostname = '127.0.0.1';
  through.port = String(port);

  const stop = async () => {
    const closed = new Promise((resolve) => proxy.close(resolve));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  return {
    url: through.href,
    stop,
    async start() {
      proxy = newProxy();
      await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
    },
    close: () => (proxy.listening ? stop() : Promise.resolve()),
  };
}
