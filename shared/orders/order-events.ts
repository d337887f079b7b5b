import { appKey, type Redis } from '../redis';
import { isClustered } from '../redis-keys';
import type { OrderStatus } from './order-state-machine';

/** A state change of one order, published by the workers for `Prefer: wait` and the SSE stream. */
export interface OrderEvent {
  orderId: number;
  status: OrderStatus;
  reason: string | null;
  at: string;
}

export const orderEventsChannel = (prefix: string, orderId: number): string =>
  appKey(prefix, 'order-events', orderId);

/** Best effort by design: a lost event only means a waiter falls back to reading the order row. */
export async function publishOrderEvent(
  redis: Redis,
  prefix: string,
  event: Omit<OrderEvent, 'at'>,
): Promise<void> {
  const message: OrderEvent = { ...event, at: new Date().toISOString() };
  const channel = orderEventsChannel(prefix, event.orderId);
  // On a cluster, sharded pub/sub: the message goes to the channel's shard only, not to every node.
  const published = isClustered(redis)
    ? redis.spublish(channel, JSON.stringify(message))
    : redis.publish(channel, JSON.stringify(message));
  await published.catch(() => undefined);
}
