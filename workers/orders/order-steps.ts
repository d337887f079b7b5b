import type { OrderStatus } from '../../shared/orders/order-status';
import { publishOrderEvent } from '../../shared/orders/order-events';
import { currentRequestId } from '../../shared/tracing';
import type { WorkerContext } from '../context';

/**
 * Hand-offs between the order's domains. Each next step is enqueued with a job id derived from the order
 * (BullMQ ignores a duplicate id while the job exists), after the step before it committed; a crash between
 * the commit and the enqueue is healed by the job's retry or by the sweeper.
 */
export function orderSteps(ctx: WorkerContext) {
  const trace = () => ({ requestId: currentRequestId() });
  return {
    reserveStock: (orderId: number) =>
      ctx.producers.stock.add('reserve', { orderId, ...trace() }, { jobId: `reserve-${orderId}` }),
    releaseStock: (orderId: number) =>
      ctx.producers.stock.add('release', { orderId, ...trace() }, { jobId: `release-${orderId}` }),
    charge: (orderId: number) =>
      ctx.producers.payments.add('charge', { orderId, ...trace() }, { jobId: `charge-${orderId}` }),
    refund: (orderId: number) =>
      ctx.producers.payments.add('refund', { orderId, ...trace() }, { jobId: `refund-${orderId}` }),
    clearCart: (orderId: number) =>
      ctx.producers.orders.add('clear-cart', { orderId, ...trace() }, { jobId: `clear-cart-${orderId}` }),
    countConfirmed: (orderId: number) =>
      ctx.producers.stats.add(
        'order-confirmed',
        { orderId, ...trace() },
        { jobId: `stats-confirmed-${orderId}` },
      ),
    countCancelled: (orderId: number) =>
      ctx.producers.stats.add(
        'order-cancelled',
        { orderId, ...trace() },
        { jobId: `stats-cancelled-${orderId}` },
      ),
    announce: (orderId: number, status: OrderStatus, reason: string | null = null) =>
      publishOrderEvent(ctx.redis, ctx.config.REDIS_PREFIX, { orderId, status, reason }),
  };
}

export type OrderSteps = ReturnType<typeof orderSteps>;
