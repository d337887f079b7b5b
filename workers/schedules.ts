import type { DomainName } from '../queues';
import type { WorkerContext } from './context';

/**
 * Repeatable jobs, registered idempotently by every worker process that runs their domain (BullMQ keeps one
 * scheduler per id however many processes upsert it).
 */
export async function scheduleRepeatableJobs(ctx: WorkerContext, domains: DomainName[]): Promise<void> {
  if (domains.includes('orders')) {
    await ctx.producers.orders.queue.upsertJobScheduler(
      'orders-sweep',
      { every: ctx.config.ORDER_SWEEP_INTERVAL_MS },
      { name: 'sweep', data: {} },
    );
  }
}
