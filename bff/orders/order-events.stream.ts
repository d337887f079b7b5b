import type { Response } from 'express';
import { isSettled } from '../../shared/orders/order-state-machine';
import type { OrderView } from './orders.service';
import type { OrderEventsListener } from './order-events.listener';
import { ORDER_STREAM_LEASE_MS, type OrderStreamSlots } from './order-stream-slots';

// Each heartbeat also renews the stream's place, well within its lease.
const HEARTBEAT_MS = Math.min(15_000, ORDER_STREAM_LEASE_MS / 3);
const POLL_MS = 5_000;
const MAX_STREAM_MS = 10 * 60_000;

/**
 * What a stream reads: `findMine` checks the caller may see the order (404 otherwise), `get` reads its state.
 * The customer's stream passes the orders service; the admin's reads any order.
 */
export interface OrderEventSource {
  findMine(userId: number, orderId: number): Promise<unknown>;
  get(
    userId: number,
    orderId: number,
  ): Promise<Pick<OrderView, 'id' | 'status' | 'failureReason' | 'updatedAt'>>;
}

/**
 * Server-Sent Events for one order: the current state at once, then every change, until the order
 * settles (or ten minutes pass). Events come from Redis pub/sub; the row is re-read on each event and every
 * few seconds, so a lost message delays an update but never loses it. A user holds at most
 * MAX_ORDER_EVENT_STREAMS_PER_USER streams open (429 beyond); a stream's place is freed however it ends.
 */
export async function streamOrderEvents(
  res: Response,
  userId: number,
  orderId: number,
  deps: { orders: OrderEventSource; events: OrderEventsListener; slots: OrderStreamSlots },
): Promise<void> {
  await deps.orders.findMine(userId, orderId);
  const slot = await deps.slots.acquire(userId);
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();

  let lastSent = '';
  let closed = false;
  let checking = Promise.resolve();
  const send = (order: Pick<OrderView, 'id' | 'status' | 'failureReason' | 'updatedAt'>) => {
    const key = `${order.status}|${order.failureReason ?? ''}`;
    if (key === lastSent || closed) return;
    lastSent = key;
    res.write(
      `event: status\nid: ${order.updatedAt.valueOf()}\ndata: ${JSON.stringify({ orderId: order.id, status: order.status, failureReason: order.failureReason, updatedAt: order.updatedAt })}\n\n`,
    );
    // CONFIRMED ends the placement; a later cancellation is a new request with its own stream.
    if (isSettled(order.status)) finish();
  };
  const check = () => {
    checking = checking
      .then(async () => {
        if (!closed) send(await deps.orders.get(userId, orderId));
      })
      .catch(() => finish());
  };

  const unsubscribe = await deps.events.subscribe(orderId, check);
  const heartbeat = setInterval(() => {
    res.write(': keep-alive\n\n');
    slot.renew();
  }, HEARTBEAT_MS);
  const poll = setInterval(check, POLL_MS);
  const deadline = setTimeout(() => finish(), MAX_STREAM_MS);
  function finish() {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    clearInterval(poll);
    clearTimeout(deadline);
    unsubscribe();
    slot.release();
    res.end();
  }
  res.on('close', finish);
  // The client may have gone while this stream subscribed: then 'close' has been and gone.
  if (res.destroyed) finish();
  check();
}
