import type { TypedQueue, JobMap } from '../../queues/define-queue';
import { ordersRepository } from '../../shared/orders/orders.repository';
import type { WorkerContext } from '../context';

const LIVE_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/**
 * Adds `name` for the order unless a job for it is still queued or running. The canonical id
 * (`<step>-<orderId>`) may be kept as completed or failed by retention, so a re-run gets its own id.
 */
async function ensureJob<J extends JobMap>(
  producer: TypedQueue<J>,
  name: keyof J & string,
  baseId: string,
  data: J[keyof J & string],
): Promise<boolean> {
  const sweepId = `${baseId}-sweep`;
  for (const id of [baseId, sweepId]) {
    const job = await producer.queue.getJob(id);
    if (job && LIVE_STATES.has(await job.getState())) return false;
  }
  const previous = await producer.queue.getJob(sweepId);
  if (previous) await previous.remove().catch(() => undefined);
  await producer.add(name, data, { jobId: sweepId });
  return true;
}

/**
 * Finds orders left in a working state (an enqueue that failed after the commit, a job that used up its
 * attempts while a provider was down) and puts the step they wait for back on its queue.
 */
export async function sweepStuckOrders(ctx: WorkerContext): Promise<{ requeued: number }> {
  const orders = ordersRepository(ctx.db);
  let requeued = 0;
  const stuck = await orders.findStuck(ctx.config.ORDER_STUCK_AFTER_SECONDS, 500);
  for (const order of stuck) {
    const data = { orderId: order.id, requestId: order.request_id ?? undefined };
    const added =
      order.status === 'PENDING'
        ? await ensureJob(ctx.producers.orders, 'place', `place-${order.id}`, data)
        : order.status === 'STOCK_RESERVED'
          ? await ensureJob(ctx.producers.payments, 'charge', `charge-${order.id}`, data)
          : await ensureJob(ctx.producers.payments, 'refund', `refund-${order.id}`, data);
    if (added) requeued += 1;
  }
  for (const order of await orders.findFailedWithUnreleasedStock(500)) {
    const data = { orderId: order.id, requestId: order.request_id ?? undefined };
    if (await ensureJob(ctx.producers.stock, 'release', `release-${order.id}`, data)) requeued += 1;
  }
  if (requeued > 0) ctx.logger.warn({ requeued }, 'sweeper re-enqueued stuck orders');
  return { requeued };
}
