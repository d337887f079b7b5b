import { Router } from 'express';
import type { BffContext } from '../context';
import { checkReadiness } from './health.service';

/**
 * Liveness answers while the process runs; readiness only when MySQL and Redis answer and the event loop
 * does not lag beyond READY_MAX_EVENT_LOOP_LAG_MS.
 */
export function healthRoutes(ctx: BffContext): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const readiness = await checkReadiness(ctx);
    res.status(readiness.ready ? 200 : 503).json(readiness);
  });
  return router;
}
