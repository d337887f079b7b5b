import { UnrecoverableError } from 'bullmq';
import type { JobHandlers } from '../../queues/define-queue';
import type { StatsJobs } from '../../queues/stats.queue';
import type { WorkerContext } from '../context';
import { statsService } from './stats.service';

export function statsHandlers(ctx: WorkerContext): JobHandlers<StatsJobs> {
  const stats = statsService(ctx.db, ctx.config.SHOP_TIME_ZONE);
  return {
    'order-confirmed': (job) => stats.countConfirmed(job.data.orderId),
    'order-cancelled': (job) => stats.countCancelled(job.data.orderId),
    // Reconciliation and rebuilds arrive with the admin statistics work; until then they fail visibly.
    reconcile: async () => {
      throw new UnrecoverableError('stats:reconcile is not implemented yet');
    },
    rebuild: async () => {
      throw new UnrecoverableError('stats:rebuild is not implemented yet');
    },
  };
}
