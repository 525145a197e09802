/**
 * The baseline for `npm run bench`: a bare node:http server doing the same HTTP work as ours
 * and nothing else: parse the JSON body and answer; answer the count with an ETag; hold event
 * streams and write one event to all of them.
 */
import { createServer } from 'node:http';

let count = 0;
const streams = new Set();

const server = createServer((request, response) => {
  const { pathname } = new URL(request.url, 'http://x');
  if (request.method === 'POST' && pathname.endsWith('/signatures')) {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      JSON.parse(body);
      count++;
      const reply = JSON.stringify({ status: 'counted', count });
      response.writeHead(201, { 'content-type': 'application/json' }).end(reply);
      // Like our server, a signature moves every open stream.
      const event = `id: ${count}\nevent: count\ndata: {"count":${count}}\n\n`;
      for (const stream of streams) stream.write(event);
    });
    return;
  }
  if (pathname.endsWith('/count')) {
    response.writeHead(200, { 'content-type': 'application/json', etag: `"${count}"`, 'cache-control': 'public, max-age=5' });
    response.end(JSON.stringify({ count }));
    return;
  }
  if (pathname.endsWith('/stream')) {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    response.write(`id: ${count}\nevent: count\ndata: {"count":${count}}\n\n`);
    streams.add(response);
    response.on('close', () => streams.delete(response));
    return;
  }
  if (pathname === '/healthz') {
    response.end('{"status":"ok"}');
    return;
  }
  response.writeHead(404).end();
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
