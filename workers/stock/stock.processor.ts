import type { JobHandlers } from '../../queues/define-queue';
import type { StockJobs } from '../../queues/stock.queue';
import { invalidateProducts } from '../../shared/product-cache';
import type { WorkerContext } from '../context';
import { orderSteps } from '../orders/order-steps';
import { stockService } from './stock.service';

export function stockHandlers(ctx: WorkerContext): JobHandlers<StockJobs> {
  const stock = stockService(ctx.sqlBatches);
  const steps = orderSteps(ctx);
  const invalidate = (productIds: number[]) =>
    invalidateProducts(ctx.redis, ctx.config.REDIS_PREFIX, productIds);

  return {
    reserve: async (job) => {
      const { orderId } = job.data;
      const outcome = await stock.reserve(orderId);
      if (outcome.kind === 'reserved') {
        // Independent, so sent together: one wait on Redis instead of two.
        await Promise.all([invalidate(outcome.productIds), steps.announce(orderId, 'STOCK_RESERVED')]);
      }
      if (outcome.kind === 'rejected') {
        await steps.announce(orderId, 'REJECTED', outcome.reason);
        return outcome;
      }
      // Reserved now or by an earlier attempt: payment is next either way.
      if (outcome.kind === 'reserved' || outcome.status === 'STOCK_RESERVED') await steps.charge(orderId);
      return outcome;
    },

    release: async (job) => {
      const { orderId } = job.data;
      const outcome = await stock.release(orderId);
      if (outcome.kind === 'released') await invalidate(outcome.productIds);
      if (outcome.cancelled) {
        await steps.announce(orderId, 'CANCELLED');
        await steps.countCancelled(orderId);
      }
      return outcome;
    },
  };
}
