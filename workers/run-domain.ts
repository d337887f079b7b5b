import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import { queueDefinitions, type DomainName } from '../queues';
import type { JobHandlers, JobMap, QueueDefinition, TracedPayload } from '../queues/define-queue';
import { bullPrefix } from '../shared/redis';
import { runWithRequestId } from '../shared/tracing';
import type { WorkerContext } from './context';
import { notificationHandlers } from './notifications/notifications.processor';

/** One factory per domain: the handlers for each of its job names. */
const handlerFactories: { [D in DomainName]: (ctx: WorkerContext) => JobHandlers<JobMap> } = {
  notifications: (ctx) => notificationHandlers(ctx) as unknown as JobHandlers<JobMap>,
  orders: () => notImplemented('orders', ['place', 'cancel', 'sweep']),
  stock: () => notImplemented('stock', ['reserve', 'release']),
  payments: () => notImplemented('payments', ['charge', 'refund']),
  stats: () => notImplemented('stats', ['order-confirmed', 'order-cancelled', 'reconcile', 'rebuild']),
};

/** Domains whose issues have not landed fail their jobs visibly (kept in the dashboard) instead of dropping them. */
function notImplemented(domain: string, jobNames: string[]): JobHandlers<JobMap> {
  return Object.fromEntries(
    jobNames.map((name) => [
      name,
      async () => {
        throw new UnrecoverableError(`${domain}:${name} is not implemented yet`);
      },
    ]),
  );
}

/** Wraps every handler so its log lines carry the job's trace id, and it logs start, end and failure. */
function traced<J extends JobMap>(
  ctx: WorkerContext,
  domain: string,
  handlers: JobHandlers<J>,
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
        log.debug('job started');
        try {
          const result = await handler(job);
          log.info('job done');
          return result;
        } catch (error) {
          log.warn({ err: error }, 'job failed');
          throw error;
        }
      });
  }
  return wrapped as unknown as JobHandlers<J>;
}

export function startDomainWorker(ctx: WorkerContext, domain: DomainName, concurrency: number): Worker {
  const definition = queueDefinitions[domain] as unknown as QueueDefinition<JobMap>;
  const handlers = traced(ctx, domain, handlerFactories[domain](ctx));
  return definition.createWorker(ctx.connection, bullPrefix(ctx.config.REDIS_PREFIX), handlers, {
    concurrency,
  });
}
