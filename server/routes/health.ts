import { Hono } from 'hono';
import type { SignatureStore } from '../store/signature-store.js';
import { apiError } from '../http/api-error.js';

/** For load balancers and the test harness: up only while the store answers. */
export function healthRoutes({ store }: { store: SignatureStore }) {
  return new Hono().get('/healthz', async (c) => {
    c.header('Cache-Control', 'no-store');
    if (await store.healthy().catch(() => false)) return c.json({ status: 'ok' });
    return apiError(c, 503, 'store_unavailable', 'The signature store is not answering.');
  });
}
