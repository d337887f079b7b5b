import { UnrecoverableError } from 'bullmq';
import type { JobHandlers } from '../../queues/define-queue';
import type { StatsJobs } from '../../queues/stats.queue';
import { FIRST_SHOP_DAY, LAST_SHOP_DAY, daysBetween, isShopDay } from '../../shared/shop-time';
import type { WorkerContext } from '../context';
import { microBatcher } from '../../shared/micro-batch';
import { MAX_REBUILD_DAYS, statsService } from './stats.service';

/** The most confirmations counted in one transaction. */
const CONFIRMATION_BATCH_SIZE = 200;

export function statsHandlers(ctx: WorkerContext): JobHandlers<StatsJobs> {
  const stats = statsService(ctx.db, ctx.sqlBatches, ctx.config.SHOP_TIME_ZONE);
  // Confirmations are the stats worker's bulk: those that arrive together are counted in one transaction.
  const countConfirmed = microBatcher({
    maxSize: CONFIRMATION_BATCH_SIZE,
    runBatch: stats.countConfirmedMany,
    runOne: stats.countConfirmed,
  });
  return {
    'order-confirmed': (job) => countConfirmed(job.data.orderId),
    'order-cancelled': (job) => stats.countCancelled(job.data.orderId),
    reconcile: async () => {
      const outcome = await stats.reconcile(ctx.config.STATS_RECONCILE_DAYS);
      if (outcome.changedDays.length > 0 || outcome.changedProductRows > 0)
        ctx.logger.warn(
          { changedDays: outcome.changedDays, changedProductRows: outcome.changedProductRows },
          'statistics drift corrected',
        );
      return outcome;
    },
    rebuild: async (job) => {
      const { from, to } = job.data;
      const span = isShopDay(from) && isShopDay(to) ? daysBetween(from, to) + 1 : Number.NaN;
      // A malformed range will never succeed: fail at once instead of retrying.
      if (!(span >= 1 && span <= MAX_REBUILD_DAYS))
        throw new UnrecoverableError(
          `rebuild range ${String(from).slice(0, 40)}..${String(to).slice(0, 40)} is not 1 to ${MAX_REBUILD_DAYS} days from ${FIRST_SHOP_DAY} to ${LAST_SHOP_DAY}`,
        );
      return stats.rebuild(from, to);
    },
  };
}
