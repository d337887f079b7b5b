import { redrive } from '../../queues/define-queue';
import { orderJobId } from '../../queues/order-job-ids';
import type { OrderStatus, OrderStep } from '../../shared/orders/order-state-machine';
import { publishOrderEvent } from '../../shared/orders/order-events';
import { currentRequestId } from '../../shared/tracing';
import type { WorkerContext } from '../context';

/**
 * Hand-offs between the order's domains. Each next step is enqueued with its order's job id (BullMQ ignores
 * a duplicate id while the job exists), after the step before it committed; a crash between the commit and
 * the enqueue is healed by the job's retry or by the sweeper, which re-drives the step the order's row says
 * it is owed (`redriveStep`).
 */
export function orderSteps(ctx: WorkerContext) {
  const trace = () => ({ requestId: currentRequestId() });
  const { orders, stock, payments, stats } = ctx.producers;
  return {
    reserveStock: (orderId: number) =>
      stock.add('reserve', { orderId, ...trace() }, { jobId: orderJobId('reserve', orderId) }),
    releaseStock: (orderId: number) =>
      stock.add('release', { orderId, ...trace() }, { jobId: orderJobId('release', orderId) }),
    charge: (orderId: number) =>
      payments.add('charge', { orderId, ...trace() }, { jobId: orderJobId('charge', orderId) }),
    refund: (orderId: number) =>
      payments.add('refund', { orderId, ...trace() }, { jobId: orderJobId('refund', orderId) }),
    clearCart: (orderId: number) =>
      orders.add('clear-cart', { orderId, ...trace() }, { jobId: orderJobId('clear-cart', orderId) }),
    countConfirmed: (orderId: number) =>
      stats.add(
        'order-confirmed',
        { orderId, ...trace() },
        { jobId: orderJobId('stats-confirmed', orderId) },
      ),
    countCancelled: (orderId: number) =>
      stats.add(
        'order-cancelled',
        { orderId, ...trace() },
        { jobId: orderJobId('stats-cancelled', orderId) },
      ),
    announce: (orderId: number, status: OrderStatus, reason: string | null = null) =>
      publishOrderEvent(ctx.redis, ctx.config.REDIS_PREFIX, { orderId, status, reason }),

    /**
     * Puts the step the order is owed back on its queue, unless its job is still queued or running; a job
     * that finished or used up its attempts is replaced. With `promote`, one waiting out a retry delay runs
     * now. True when a job was added.
     */
    redriveStep(
      step: OrderStep,
      orderId: number,
      requestId?: string,
      options: { promote?: boolean } = {},
    ): Promise<boolean> {
      const data = { orderId, requestId };
      const jobId = orderJobId(step, orderId);
      switch (step) {
        case 'reserve':
          return redrive(stock, 'reserve', data, jobId, options);
        case 'release':
          return redrive(stock, 'release', data, jobId, options);
        case 'charge':
          return redrive(payments, 'charge', data, jobId, options);
        case 'refund':
          return redrive(payments, 'refund', data, jobId, options);
      }
    },
  };
}

export type OrderSteps = ReturnType<typeof orderSteps>;
