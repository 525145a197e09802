/**
 * A reverse proxy for the test runner's dev server: requests under `prefix` go, prefix removed,
 * to a real API server. The admin API answers only pages of its own origin (no CORS), and test
 * pages run on the test runner's origin; through this proxy the organiser dashboard, in a test
 * page or as the server's own /admin page in an iframe, reaches the real server as a page of
 * the same origin, the way a deployment behind a reverse proxy does. Requests and responses pass
 * through untouched and streamed (the live counter's Server-Sent Events included).
 */
import { request } from 'node:http';

/** @returns a Koa middleware */
export function sameOriginProxy(prefix, target) {
  return (ctx, next) => {
    if (ctx.path !== prefix && !ctx.path.startsWith(`${prefix}/`)) return next();
    const url = new URL(ctx.url.slice(prefix.length) || '/', target);
    ctx.respond = false;
    return new Promise((resolve) => {
      const upstream = request(url, { method: ctx.method, headers: { ...ctx.req.headers, host: url.host } }, (response) => {
        ctx.res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(ctx.res);
        resolve();
      });
      upstream.on('error', () => {
        if (!ctx.res.headersSent) ctx.res.writeHead(502);
        ctx.res.end();
        resolve();
      });
      // A closed event stream in the browser closes the one to the server.
      ctx.res.on('close', () => upstream.destroy());
      ctx.req.pipe(upstream);
    });
  };
}
