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
      // A sweep that found nothing is not worth a row in the dashboard's completed list for a day.
      { name: 'sweep', data: {}, opts: { removeOnComplete: { age: 3600, count: 10 } } },
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

/**
 * Registers the repeatable jobs now, then again every sweep interval for as long as the process runs: the
 * schedules live in Redis, so a Redis that lost its data (a restart without persistence, a flush, a
 * failover to a replica that was behind) loses them for at most one interval, not until a worker restarts.
 * A failed re-registration is logged and tried again at the next tick. Returns the function that stops it.
 */
export async function keepRepeatableJobsScheduled(
  ctx: WorkerContext,
  domains: DomainName[],
): Promise<() => void> {
  await scheduleRepeatableJobs(ctx, domains);
  const timer = setInterval(() => {
    scheduleRepeatableJobs(ctx, domains).catch((error: unknown) =>
      ctx.logger.warn(
        { err: error },
        'could not re-register the repeatable jobs; trying again next interval',
      ),
    );
  }, ctx.config.ORDER_SWEEP_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
