import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { Config } from '../shared/config';
import type { Logger } from '../shared/logger';
import { createMetricsRegistry, registerQueueGauges } from '../shared/metrics';

/** The metrics a worker process reports about the jobs it runs. */
export interface WorkerMetrics {
  registry: Registry;
  /** Records one attempt of `job` on `queue` that took `seconds` and succeeded (`error` undefined) or failed. */
  observeJob(queue: string, job: Job, seconds: number, error?: unknown): void;
}

/**
 * Job durations and failures per queue and job name, the job counts of this process's queues, and the
 * process metrics, in a registry of this process's own.
 */
export function createWorkerMetrics(
  queues: readonly Queue[],
  options: { cacheMs: number; logger: Logger },
): WorkerMetrics {
  const registry = createMetricsRegistry();
  registerQueueGauges(registry, queues, {
    cacheMs: options.cacheMs,
    onError: (error) => options.logger.warn({ err: error }, 'queue metrics unavailable'),
  });
  const duration = new Histogram({
    name: 'voltmall_job_duration_seconds',
    help: 'Time one attempt of a job took in its handler, by queue, job name and outcome',
    labelNames: ['queue', 'job', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'voltmall_job_failures_total',
    help: 'Failed job attempts by queue and job name; final="true" when no retry is left (the job is now failed)',
    labelNames: ['queue', 'job', 'final'] as const,
    registers: [registry],
  });
  return {
    registry,
    observeJob(queue, job, seconds, error) {
      duration.observe(
        { queue, job: job.name, status: error === undefined ? 'completed' : 'failed' },
        seconds,
      );
      if (error === undefined) return;
      const attempts = job.opts.attempts ?? 1;
      const final = error instanceof UnrecoverableError || job.attemptsMade + 1 >= attempts;
      failures.inc({ queue, job: job.name, final: String(final) });
    },
  };
}

export interface MetricsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The port a worker's metrics server listens on: WORKER_METRICS_PORT, `off` for none, and when unset 9464,
 * or a random one under NODE_ENV=test so that test files running side by side never collide.
 */
export function workerMetricsPort(config: Pick<Config, 'WORKER_METRICS_PORT' | 'NODE_ENV'>): number | null {
  if (config.WORKER_METRICS_PORT === 'off') return null;
  return config.WORKER_METRICS_PORT ?? (config.NODE_ENV === 'test' ? 0 : 9464);
}

/** Serves `GET /metrics` (Prometheus text format) from `registry`; anything else is a 404. */
export async function startMetricsServer(
  registry: Registry,
  host: string,
  port: number,
  logger: Logger,
): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"NOT_FOUND"}}');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) => {
        logger.error({ err: error }, 'metrics collection failed');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  logger.info({ host, port: bound }, 'worker metrics listening');
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    port: bound,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
