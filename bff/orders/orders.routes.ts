import { Router } from 'express';
import { isSettled } from '../../shared/orders/order-state-machine';
import { cartService } from '../cart/cart.service';
import type { BffContext } from '../context';
import { requireUser } from '../http/identity';
import { parseInput } from '../http/validate';
import { streamOrderEvents } from './order-events.stream';
import { orderStreamSlots } from './order-stream-slots';
import {
  idempotencyKeyHeader,
  listOrdersQuery,
  orderIdParams,
  placeOrderBody,
  preferredWaitSeconds,
} from './orders.schemas';
import { cancelAnswer, orderLinks, ordersService } from './orders.service';

export function orderRoutes(ctx: BffContext): Router {
  const carts = cartService(ctx);
  const orders = ordersService(ctx, {
    cartLines: (userId) => carts.getLines(userId),
    events: ctx.orderEvents,
  });
  const streamSlots = orderStreamSlots(ctx);
  const router = Router();

  router.post('/api/orders', async (req, res) => {
    const { userId } = requireUser(req);
    const key = parseInput(idempotencyKeyHeader, req.get('idempotency-key'), 'Idempotency-Key header');
    const input = parseInput(placeOrderBody, req.body, 'order');
    const wait = preferredWaitSeconds(req.get('prefer'));
    const { orderId: id, status, replayed } = await orders.place(userId, key, input);
    res.location(`/api/orders/${id}`);
    if (replayed) res.set('Idempotent-Replayed', 'true');
    if (wait !== undefined) {
      res.set('Preference-Applied', `wait=${wait}`);
      const view = await orders.waitUntilSettled(userId, id, wait * 1000);
      const settled = isSettled(view.status);
      res
        .status(settled ? 201 : 202)
        .json({ orderId: id, status: view.status, links: orderLinks(id), order: view });
      return;
    }
    res.status(202).json({ orderId: id, status, links: orderLinks(id) });
  });

  router.get('/api/orders', async (req, res) => {
    const { userId } = requireUser(req);
    res.json(await orders.list(userId, parseInput(listOrdersQuery, req.query, 'query')));
  });

  router.get('/api/orders/:id', async (req, res) => {
    const { userId } = requireUser(req);
    const { id } = parseInput(orderIdParams, req.params, 'order id');
    res.json({ order: await orders.get(userId, id) });
  });

  router.get('/api/orders/:id/events', async (req, res) => {
    const { userId } = requireUser(req);
    const { id } = parseInput(orderIdParams, req.params, 'order id');
    await streamOrderEvents(res, userId, id, { orders, events: ctx.orderEvents, slots: streamSlots });
  });

  router.post('/api/orders/:id/cancel', async (req, res) => {
    const { userId } = requireUser(req);
    const { id } = parseInput(orderIdParams, req.params, 'order id');
    const order = await orders.cancel(userId, id);
    res.status(202).json(cancelAnswer(id, order));
  });

  return router;
}
