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
  if (domains.includes('stats')) {
    // The cron reads in the shop's zone, like the days it reconciles ("0 4 * * *" is 04:00 in Seoul).
    await ctx.producers.stats.queue.upsertJobScheduler(
      'stats-reconcile',
      { pattern: ctx.config.STATS_RECONCILE_CRON, tz: ctx.config.SHOP_TIME_ZONE },
      { name: 'reconcile', data: {} },
    );
  }
}
