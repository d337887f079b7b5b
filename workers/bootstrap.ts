import type { Worker } from 'bullmq';
import type { Config } from '../shared/config';
import { createDatabase } from '../shared/db';
import type { Logger } from '../shared/logger';
import { closeRedis, createRedis } from '../shared/redis';
import { withTimeout } from '../shared/shutdown';
import type { WorkerContext } from './context';
import { startDomainWorker } from './run-domain';
import type { DomainPlan } from './worker-plan';

export interface RunningWorkers {
  ctx: WorkerContext;
  workers: Worker[];
  /** Stops taking jobs, waits for active ones up to `timeoutMs`, then releases connections. */
  close(timeoutMs: number): Promise<void>;
}

export function startWorkers(config: Config, logger: Logger, plan: DomainPlan[]): RunningWorkers {
  const db = createDatabase(config.DATABASE_URL, config.DB_POOL_MAX);
  const connection = createRedis(config.REDIS_URL, 'worker', {}, (error) =>
    logger.warn({ err: error.message }, 'redis connection error'),
  );
  const ctx: WorkerContext = { config, logger, db, connection };
  const workers = plan.map(({ domain, concurrency }) => {
    const worker = startDomainWorker(ctx, domain, concurrency);
    worker.on('error', (error) => logger.error({ err: error, queue: domain }, 'worker error'));
    logger.info({ queue: domain, concurrency }, 'worker started');
    return worker;
  });
  return {
    ctx,
    workers,
    async close(timeoutMs) {
      // worker.close() waits for active jobs with no deadline; past ours, force-close so jobs return to
      // the queue through the stall check instead of keeping the process alive.
      await withTimeout(Promise.all(workers.map((worker) => worker.close())), timeoutMs, 'active jobs').catch(
        async (error: unknown) => {
          logger.warn({ err: error }, 'forcing workers closed');
          await Promise.all(workers.map((worker) => worker.close(true)));
        },
      );
      await closeRedis(connection);
      await db.destroy();
    },
  };
}
