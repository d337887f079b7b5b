import { Router, type Request, type RequestHandler } from 'express';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { createMetricsRegistry, registerQueueGauges } from '../../shared/metrics';
import type { BffContext } from '../context';

/** The BFF's metrics: the middleware that measures requests and the router that serves /metrics. */
export interface BffMetrics {
  registry: Registry;
  measureRequests: RequestHandler;
  routes: Router;
}

/**
 * The route label of a request: the matched route's pattern under its router's base, never the raw URL
 * (ids in paths would make one series per id). Requests no route matched share one label.
 */
export function routeLabel(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  if (pattern !== undefined)
    return `${req.baseUrl}${Array.isArray(pattern) ? pattern.join('|') : String(pattern)}`;
  // Mounted sub-apps that serve files without routes (the dashboard's static assets) keep their base.
  return req.baseUrl ? `${req.baseUrl}/*` : 'unmatched';
}

/**
 * `voltmall_db_reads_total{pool}`: lag-tolerant reads by the pool that answered them (replica or primary), and
 * `voltmall_db_replica_lag_seconds` / `voltmall_db_replica_in_use` while a replica is configured.
 */
function registerReadReplicaMetrics(registry: Registry, reads: BffContext['reads']): void {
  new Counter({
    name: 'voltmall_db_reads_total',
    help: 'Lag-tolerant reads (catalogue listings) by the database pool that answered them',
    labelNames: ['pool'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const { reads: served } = reads.status();
      this.inc({ pool: 'replica' }, served.replica);
      this.inc({ pool: 'primary' }, served.primary);
    },
  });
  if (!reads.hasReplica) return;
  new Gauge({
    name: 'voltmall_db_replica_lag_seconds',
    help: 'How far behind the primary the read replica is known to be (heartbeat; -1 until measured)',
    registers: [registry],
    collect() {
      const { lagMs } = reads.status();
      this.set(lagMs === null ? -1 : lagMs / 1000);
    },
  });
  new Gauge({
    name: 'voltmall_db_replica_in_use',
    help: '1 while lag-tolerant reads go to the read replica, 0 while they go to the primary',
    registers: [registry],
    collect() {
      this.set(reads.status().using === 'replica' ? 1 : 0);
    },
  });
}

/**
 * HTTP request durations by method, route pattern and status; job counts per queue and state (read when
 * scraped, cached briefly); process metrics. One registry per app, so several apps can share a process.
 * `/metrics` is served before the gateway check, like /healthz: nginx does not route it (it answers 404),
 * so only what reaches the BFF's port directly (Prometheus in the same network) can scrape it.
 */
export function bffMetrics(ctx: Pick<BffContext, 'queues' | 'reads' | 'config' | 'logger'>): BffMetrics {
  const registry = createMetricsRegistry();
  registerReadReplicaMetrics(registry, ctx.reads);
  registerQueueGauges(registry, ctx.queues.all(), {
    cacheMs: ctx.config.QUEUE_METRICS_CACHE_MS,
    onError: (error) => ctx.logger.warn({ err: error }, 'queue metrics unavailable'),
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests served by the BFF, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const measureRequests: RequestHandler = (req, res, next) => {
    if (req.path === '/metrics') {
      next();
      return;
    }
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      duration.observe(
        { method: req.method, route: routeLabel(req), status_code: String(res.statusCode) },
        seconds,
      );
    });
    next();
  };

  const routes = Router();
  routes.get('/metrics', async (_req, res) => {
    const text = await registry.metrics();
    res.type(registry.contentType).send(text);
  });

  return { registry, measureRequests, routes };
}
