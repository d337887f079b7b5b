import type { Job, Worker } from 'bullmq';
import { queueDefinitions, type DomainName } from '../queues';
import type { JobHandlers, JobMap, QueueDefinition, TracedPayload } from '../queues/define-queue';
import { bullPrefix } from '../shared/redis';
import { runWithRequestId } from '../shared/tracing';
import type { WorkerContext } from './context';
import type { WorkerMetrics } from './metrics';
import { notificationHandlers } from './notifications/notifications.processor';
import { orderHandlers } from './orders/orders.processor';
import { paymentHandlers } from './payments/payments.processor';
import { statsHandlers } from './stats/stats.processor';
import { stockHandlers } from './stock/stock.processor';

/** One factory per domain: the handlers for each of its job names. */
const handlerFactories: { [D in DomainName]: (ctx: WorkerContext) => JobHandlers<JobMap> } = {
  orders: (ctx) => orderHandlers(ctx) as unknown as JobHandlers<JobMap>,
  stock: (ctx) => stockHandlers(ctx) as unknown as JobHandlers<JobMap>,
  payments: (ctx) => paymentHandlers(ctx) as unknown as JobHandlers<JobMap>,
  stats: (ctx) => statsHandlers(ctx) as unknown as JobHandlers<JobMap>,
  notifications: (ctx) => notificationHandlers(ctx) as unknown as JobHandlers<JobMap>,
};

/**
 * Wraps every handler so its log lines carry the job's trace id, and it logs (and, with `metrics`, measures)
 * the end or the failure.
 */
function traced<J extends JobMap>(
  ctx: WorkerContext,
  domain: string,
  handlers: JobHandlers<J>,
  metrics?: WorkerMetrics,
): JobHandlers<J> {
  const wrapped: Record<string, (job: Job) => Promise<unknown>> = {};
  for (const [name, handler] of Object.entries(handlers) as [string, (job: Job) => Promise<unknown>][]) {
    wrapped[name] = (job: Job) =>
      runWithRequestId((job.data as TracedPayload).requestId, async () => {
        const log = ctx.logger.child({
          queue: domain,
          job: name,
          jobId: job.id,
          attempt: job.attemptsMade + 1,
        });
        const started = process.hrtime.bigint();
        const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
        try {
          const result = await handler(job);
          metrics?.observeJob(domain, job, seconds());
          log.info({ result }, 'job done');
          return result;
        } catch (error) {
          metrics?.observeJob(domain, job, seconds(), error);
          log.warn({ err: error }, 'job failed');
          throw error;
        }
      });
  }
  return wrapped as unknown as JobHandlers<J>;
}

export function startDomainWorker(
  ctx: WorkerContext,
  domain: DomainName,
  concurrency: number,
  metrics?: WorkerMetrics,
): Worker {
  const definition = queueDefinitions[domain] as unknown as QueueDefinition<JobMap>;
  const handlers = traced(ctx, domain, handlerFactories[domain](ctx), metrics);
  return definition.createWorker(ctx.connection, bullPrefix(ctx.config.REDIS_PREFIX), handlers, {
    concurrency,
    // A job whose worker died is retried after its lock lapses and the stall check sees it.
    lockDuration: ctx.config.WORKER_LOCK_DURATION_MS,
    stalledInterval: ctx.config.WORKER_STALLED_INTERVAL_MS,
  });
}
