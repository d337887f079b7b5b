import type { Response } from 'express';
import { isSettled } from '../../shared/orders/order-state-machine';
import type { OrderView, OrdersService } from './orders.service';
import type { OrderEventsListener } from './order-events.listener';

const HEARTBEAT_MS = 15_000;
const POLL_MS = 5_000;
const MAX_STREAM_MS = 10 * 60_000;

/**
 * Server-Sent Events for one order: the current state at once, then every change, until the order
 * settles (or ten minutes pass). Events come from Redis pub/sub; the row is re-read on each event and every
 * few seconds, so a lost message delays an update but never loses it.
 */
export async function streamOrderEvents(
  res: Response,
  userId: number,
  orderId: number,
  deps: { orders: OrdersService; events: OrderEventsListener },
): Promise<void> {
  await deps.orders.findMine(userId, orderId);
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();

  let lastSent = '';
  let closed = false;
  let checking = Promise.resolve();
  const send = (order: OrderView) => {
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
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const poll = setInterval(check, POLL_MS);
  const deadline = setTimeout(() => finish(), MAX_STREAM_MS);
  function finish() {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    clearInterval(poll);
    clearTimeout(deadline);
    unsubscribe();
    res.end();
  }
  res.on('close', finish);
  check();
}
