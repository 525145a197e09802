import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Logger } from '../logger.js';

/**
 * One log line per request: method, route pattern, status, duration. The pattern, not the URL:
 * URLs may carry tokens or an email typed into a query, and patterns group well.
 */
export function logRequest(logger: Logger, method: string, route: string, status: number, start: number) {
  logger.info('request', { method, route, status, ms: Math.round((performance.now() - start) * 10) / 10 });
}

/** The request log of the routes Hono serves. */
export function requestLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const start = performance.now();
    await next();
    logRequest(logger, c.req.method, routePattern(c), c.res.status, start);
  };
}

/** The pattern of the handler that answered (middleware is registered for ALL methods). */
export function routePattern(c: Context): string {
  return matchedRoutes(c).findLast((route) => route.method !== 'ALL')?.path ?? '(no route)';
}
