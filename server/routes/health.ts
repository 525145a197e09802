import { Hono } from 'hono';
import type { SignatureStore } from '../store/signature-store.js';
import { send, storeUnavailable } from '../http/api-reply.js';

/**
 * For load balancers and the test harness: up only while the store can serve. After a fault that
 * passes, each call tries a write, so it is up again as soon as the disk or the database is back.
 */
export function healthRoutes({ store }: { store: SignatureStore }) {
  return new Hono().get('/healthz', async (c) => {
    c.header('Cache-Control', 'no-store');
    if (await store.healthy().catch(() => false)) return c.json({ status: 'ok' });
    return send(c, storeUnavailable);
  });
}
