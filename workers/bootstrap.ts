import type { Worker } from 'bullmq';
import { ordersQueue, paymentsQueue, statsQueue, stockQueue } from '../queues';
import type { Config } from '../shared/config';
import { createDatabase } from '../shared/db';
import type { Logger } from '../shared/logger';
import { bullPrefix, closeRedis, createRedis } from '../shared/redis';
import { withTimeout } from '../shared/shutdown';
import type { WorkerContext, WorkerProducers } from './context';
import { startDomainWorker } from './run-domain';
import type { DomainPlan } from './worker-plan';
import { scheduleRepeatableJobs } from './schedules';

export interface RunningWorkers {
  ctx: WorkerContext;
  workers: Worker[];
  /** Stops taking jobs, waits for active ones up to `timeoutMs`, then releases connections. */
  close(timeoutMs: number): Promise<void>;
}

export async function startWorkers(
  config: Config,
  logger: Logger,
  plan: DomainPlan[],
): Promise<RunningWorkers> {
  const db = createDatabase(config.DATABASE_URL, config.DB_POOL_MAX);
  const onError = (error: Error) => logger.warn({ err: error.message }, 'redis connection error');
  const connection = createRedis(config.REDIS_URL, 'worker', {}, onError);
  const redis = createRedis(config.REDIS_URL, 'worker', {}, onError);
  const prefix = bullPrefix(config.REDIS_PREFIX);
  const producers: WorkerProducers = {
    orders: ordersQueue.createProducer(connection, prefix),
    stock: stockQueue.createProducer(connection, prefix),
    payments: paymentsQueue.createProducer(connection, prefix),
    stats: statsQueue.createProducer(connection, prefix),
  };
  const ctx: WorkerContext = { config, logger, db, connection, redis, producers };
  const workers = plan.map(({ domain, concurrency }) => {
    const worker = startDomainWorker(ctx, domain, concurrency);
    worker.on('error', (error) => logger.error({ err: error, queue: domain }, 'worker error'));
    logger.info({ queue: domain, concurrency }, 'worker started');
    return worker;
  });
  await scheduleRepeatableJobs(
    ctx,
    plan.map((entry) => entry.domain),
  );
  return {
    ctx,
    workers,
    async close(timeoutMs) {
      // worker.close() waits for active jobs with no deadline; past ours, force-close so the jobs return to
      // the queue through the stall check instead of keeping the process alive.
      await withTimeout(Promise.all(workers.map((worker) => worker.close())), timeoutMs, 'active jobs').catch(
        async (error: unknown) => {
          logger.warn({ err: error }, 'forcing workers closed');
          await Promise.all(workers.map((worker) => worker.close(true)));
        },
      );
      await Promise.all(Object.values(producers).map((producer) => producer.close()));
      await Promise.all([closeRedis(connection), closeRedis(redis)]);
      await db.destroy();
    },
  };
}
