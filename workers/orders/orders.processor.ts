import type { JobHandlers } from '../../queues/define-queue';
import type { OrderJobs } from '../../queues/orders.queue';
import { cartWriter } from '../../shared/carts/cart-writer';
import { ordersRepository } from '../../shared/orders/orders.repository';
import type { WorkerContext } from '../context';
import { sweepStuckOrders } from './order-sweeper';
import { orderSteps } from './order-steps';
import { ordersService } from './orders.service';

/** Thrown while an order is between steps; BullMQ retries the cancel with backoff until it settles. */
class OrderInProgressError extends Error {}

export function orderHandlers(ctx: WorkerContext): JobHandlers<OrderJobs> {
  const orders = ordersRepository(ctx.db);
  const service = ordersService(ctx.db);
  const steps = orderSteps(ctx);
  const carts = cartWriter({
    db: ctx.db,
    redis: ctx.redis,
    prefix: ctx.config.REDIS_PREFIX,
    logger: ctx.logger,
  });

  return {
    // The reservation reads and locks the order itself (and hands an already reserved order on to
    // payment), so placing only enqueues it: no read here.
    place: async (job) => {
      await steps.reserveStock(job.data.orderId);
      return { next: 'reserve' };
    },

    cancel: async (job) => {
      const { orderId } = job.data;
      const outcome = await service.cancel(orderId);
      if (outcome.kind === 'cancelled') await steps.announce(orderId, 'CANCELLED');
      if (outcome.kind === 'refund-needed') {
        await steps.announce(orderId, 'CANCEL_REQUESTED');
        await steps.refund(orderId);
      }
      if (outcome.kind === 'in-progress')
        throw new OrderInProgressError(`order ${orderId} is being processed`);
      return outcome;
    },

    sweep: () => sweepStuckOrders(ctx),

    // The lines bought leave the cart only once the order is confirmed: a rejected or failed order keeps them.
    'clear-cart': async (job) => {
      const order = await orders.findById(job.data.orderId);
      if (!order?.from_cart || order.status !== 'CONFIRMED') return { cleared: 0 };
      const productIds = (await orders.items(Number(order.id))).map((item) => Number(item.product_id));
      await carts.removeUserLines(Number(order.user_id), productIds);
      return { cleared: productIds.length };
    },
  };
}
