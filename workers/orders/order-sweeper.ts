import { owedStep } from '../../shared/orders/order-state-machine';
import { ordersRepository } from '../../shared/orders/orders.repository';
import type { WorkerContext } from '../context';
import { orderSteps } from './order-steps';

/**
 * Finds orders left in a working state (an enqueue that failed after the commit, a job that used up its
 * attempts while a provider or the database was down, a queue that lost its jobs) and re-drives the step
 * each one's row says it is owed (order-state-machine.ts `owedStep`). A step whose job is still queued or
 * running is left alone; an exhausted one is replaced, so nothing accepted is ever abandoned.
 */
export async function sweepStuckOrders(ctx: WorkerContext): Promise<{ requeued: number }> {
  const orders = ordersRepository(ctx.db);
  const steps = orderSteps(ctx);
  let requeued = 0;
  const owing = [
    ...(await orders.findStuck(ctx.config.ORDER_STUCK_AFTER_SECONDS, 500)),
    ...(await orders.findFailedWithUnreleasedStock(500)).map((order) => ({
      ...order,
      status: 'PAYMENT_FAILED' as const,
      stockUnreleased: true,
    })),
  ];
  for (const order of owing) {
    const step = owedStep(order);
    if (step && (await steps.redriveStep(step, Number(order.id), order.request_id ?? undefined)))
      requeued += 1;
  }
  if (requeued > 0) ctx.logger.warn({ requeued }, 'sweeper re-enqueued stuck orders');
  return { requeued };
}
