import type { JobHandlers } from '../../queues/define-queue';
import type { OrderJobs } from '../../queues/orders.queue';
import { cartWriter } from '../../shared/carts/cart-writer';
import { owedStep } from '../../shared/orders/order-state-machine';
import { ordersRepository } from '../../shared/orders/orders.repository';
import type { WorkerContext } from '../context';
import { sweepStuckOrders } from './order-sweeper';
import { orderSteps } from './order-steps';

export function orderHandlers(ctx: WorkerContext): JobHandlers<OrderJobs> {
  const orders = ordersRepository(ctx.db);
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

    // The BFF recorded the cancel and made its move (order-state-machine CANCEL_MOVES) before answering;
    // this tells the order's watchers and drives the step the order now owes (a refund, or the charge
    // step, which honours the request). The sweeper does the same for a cancel whose job was lost.
    cancel: async (job) => {
      const { orderId } = job.data;
      const order = await orders.findById(orderId);
      if (!order) return { status: 'missing' };
      await steps.announce(orderId, order.status);
      const step = owedStep(order);
      // A charge waiting out a retry delay runs now, sees the request and charges nothing.
      if (step) await steps.redriveStep(step, orderId, job.data.requestId, { promote: true });
      return { status: order.status, step };
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
