import { Queue, type Worker } from 'bullmq';
import { ordersQueue, paymentsQueue, queueDefinitions, statsQueue, stockQueue } from '../queues';
import type { Config } from '../shared/config';
import { createDatabase } from '../shared/db';
import type { Logger } from '../shared/logger';
import { bullPrefix, closeRedis, createRedis } from '../shared/redis';
import { isClustered, queuePrefix } from '../shared/redis-keys';
import { createSqlBatches } from '../shared/sql-batches';
import { withTimeout } from '../shared/shutdown';
import { TossPaymentsGateway } from './payments/toss-payments-gateway';
import type { WorkerContext, WorkerProducers } from './context';
import { createWorkerMetrics, startMetricsServer, workerMetricsPort, type MetricsServer } from './metrics';
import { startDomainWorker } from './run-domain';
import type { DomainPlan } from './worker-plan';
import { keepRepeatableJobsScheduled } from './schedules';

export interface RunningWorkers {
  ctx: WorkerContext;
  workers: Worker[];
  /** This process's Prometheus endpoint (`<url>/metrics`), unless WORKER_METRICS_PORT=off. */
  metrics?: MetricsServer;
  /** Stops taking jobs, waits for active ones up to `timeoutMs`, then releases connections. */
  close(timeoutMs: number): Promise<void>;
}

export async function startWorkers(
  config: Config,
  logger: Logger,
  plan: DomainPlan[],
): Promise<RunningWorkers> {
  const db = createDatabase(config.DATABASE_URL, config.DB_POOL_MAX);
  const sqlBatches = createSqlBatches(config.DATABASE_URL, config.DB_POOL_MAX);
  const onError = (error: Error) => logger.warn({ err: error.message }, 'redis connection error');
  const connection = createRedis(config, 'worker', {}, onError);
  const redis = createRedis(config, 'worker', {}, onError);
  const prefix = bullPrefix(config.REDIS_PREFIX);
  const producers: WorkerProducers = {
    orders: ordersQueue.createProducer(connection, prefix),
    stock: stockQueue.createProducer(connection, prefix),
    payments: paymentsQueue.createProducer(connection, prefix),
    stats: statsQueue.createProducer(connection, prefix),
  };
  const paymentGateway = new TossPaymentsGateway({
    baseUrl: config.PAYMENT_GATEWAY_URL,
    secretKey: config.PAYMENT_GATEWAY_SECRET_KEY,
    timeoutMs: config.PAYMENT_GATEWAY_TIMEOUT_MS,
  });
  const ctx: WorkerContext = {
    config,
    logger,
    db,
    sqlBatches,
    connection,
    redis,
    producers,
    paymentGateway,
  };
  // Read-only handles on this process's queues, for the job-count gauges.
  const gaugedQueues = plan.map(
    ({ domain }) =>
      new Queue(queueDefinitions[domain].name, {
        connection,
        prefix: queuePrefix(prefix, queueDefinitions[domain].name, isClustered(connection)),
      }),
  );
  const metrics = createWorkerMetrics(gaugedQueues, { cacheMs: config.QUEUE_METRICS_CACHE_MS, logger });
  const metricsPort = workerMetricsPort(config);
  let metricsServer: MetricsServer | undefined;
  const startMetrics = (port: number) =>
    startMetricsServer(metrics.registry, config.WORKER_METRICS_HOST, port, logger);
  try {
    if (metricsPort !== null) {
      metricsServer = await startMetrics(metricsPort).catch((error: NodeJS.ErrnoException) => {
        // The default port is taken by another worker process on this host: scaling out by starting more
        // processes must still work, so this one takes a free port (logged) instead of failing.
        if (config.WORKER_METRICS_PORT !== undefined || error.code !== 'EADDRINUSE') throw error;
        logger.warn({ port: metricsPort }, 'default worker metrics port taken; using a free port');
        return startMetrics(0);
      });
    }
  } catch (error) {
    await Promise.all([...gaugedQueues, ...Object.values(producers)].map((queue) => queue.close()));
    await Promise.all([closeRedis(connection), closeRedis(redis), paymentGateway.close()]);
    await Promise.all([db.destroy(), sqlBatches.close()]);
    throw new Error(
      `worker metrics cannot listen on ${config.WORKER_METRICS_HOST}:${metricsPort} (set WORKER_METRICS_PORT, or off)`,
      { cause: error },
    );
  }
  const workers = plan.map(({ domain, concurrency }) => {
    const worker = startDomainWorker(ctx, domain, concurrency, metrics);
    worker.on('error', (error) => logger.error({ err: error, queue: domain }, 'worker error'));
    logger.info({ queue: domain, concurrency }, 'worker started');
    return worker;
  });
  const stopScheduling = await keepRepeatableJobsScheduled(
    ctx,
    plan.map((entry) => entry.domain),
  );
  return {
    ctx,
    workers,
    metrics: metricsServer,
    async close(timeoutMs) {
      stopScheduling();
      // worker.close() waits for active jobs with no deadline; past ours, force-close so the jobs return to
      // the queue through the stall check instead of keeping the process alive.
      await withTimeout(Promise.all(workers.map((worker) => worker.close())), timeoutMs, 'active jobs').catch(
        async (error: unknown) => {
          logger.warn({ err: error }, 'forcing workers closed');
          await Promise.all(workers.map((worker) => worker.close(true)));
        },
      );
      await metricsServer?.close();
      await Promise.all([...gaugedQueues, ...Object.values(producers)].map((queue) => queue.close()));
      await Promise.all([closeRedis(connection), closeRedis(redis), paymentGateway.close()]);
      await Promise.all([db.destroy(), sqlBatches.close()]);
    },
  };
}
