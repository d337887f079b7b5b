import { createHash } from 'node:crypto';
import { isDuplicateKeyError } from '../../shared/db';
import { ConflictError, NotFoundError, UnprocessableError } from '../../shared/errors';
import { redrive } from '../../queues/define-queue';
import { orderJobId } from '../../queues/order-job-ids';
import { isSettled, type OrderStatus } from '../../shared/orders/order-state-machine';
import { ordersRepository, type OrderItemRow, type OrderRow } from '../../shared/orders/orders.repository';
import { placeholders, rowsOf, statement } from '../../shared/sql-batches';
import { currentRequestId } from '../../shared/tracing';
import type { BffContext } from '../context';
import { enqueue } from '../http/enqueue';
import { decodeIdCursor, pageOf } from '../http/keyset-cursor';
import type { OrderEventsListener } from './order-events.listener';
import type { PlaceOrderInput } from './orders.schemas';

class IdempotencyKeyReusedError extends UnprocessableError {
  override readonly code = 'IDEMPOTENCY_KEY_REUSED';
}
class ProductUnavailableError extends UnprocessableError {
  override readonly code = 'PRODUCT_UNAVAILABLE';
}
class CartEmptyError extends UnprocessableError {
  override readonly code = 'CART_EMPTY';
}
class OrderNotCancellableError extends ConflictError {
  override readonly code = 'ORDER_NOT_CANCELLABLE';
}

export interface OrderItemView {
  productId: number;
  name: string;
  unitPrice: number;
  quantity: number;
  lineTotal: number;
}

/** An order line as the API shows it (the customer's order and the admin's order detail alike). */
export const toItemView = (item: OrderItemRow): OrderItemView => ({
  productId: Number(item.product_id),
  name: item.product_name,
  unitPrice: item.unit_price,
  quantity: item.quantity,
  lineTotal: item.line_total,
});

export interface OrderView {
  id: number;
  status: OrderStatus;
  total: number;
  items: OrderItemView[];
  shippingAddress: unknown;
  paymentMethod: string;
  fromCart: boolean;
  failureReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  confirmedAt: Date | null;
  cancelledAt: Date | null;
  cancelRequestedAt: Date | null;
  links: OrderLinks;
}

export interface OrderLinks {
  self: string;
  events: string;
  cancel: string;
}

export const orderLinks = (id: number): OrderLinks => ({
  self: `/api/orders/${id}`,
  events: `/api/orders/${id}/events`,
  cancel: `/api/orders/${id}/cancel`,
});

/** The 202 answer to an accepted cancel, the customer's (POST /api/orders/:id/cancel) or an admin's. */
export const cancelAnswer = (id: number, order: OrderRow) => ({
  orderId: id,
  status: order.status,
  cancelRequestedAt: order.cancel_requested_at,
  links: orderLinks(id),
});

function toView(order: OrderRow, items: OrderItemRow[]): OrderView {
  return {
    id: Number(order.id),
    status: order.status,
    total: order.total,
    items: items.map(toItemView),
    shippingAddress:
      typeof order.shipping_address === 'string'
        ? JSON.parse(order.shipping_address)
        : order.shipping_address,
    paymentMethod: order.payment_method,
    fromCart: Boolean(order.from_cart),
    failureReason: order.failure_reason,
    createdAt: order.created_at,
    updatedAt: order.updated_at,
    confirmedAt: order.confirmed_at,
    cancelledAt: order.cancelled_at,
    cancelRequestedAt: order.cancel_requested_at,
    links: orderLinks(Number(order.id)),
  };
}

/** A stable fingerprint of the placing request: the same key with another body is a client bug (422). */
function requestHash(input: PlaceOrderInput): string {
  const canonical = {
    items: input.items ? [...input.items].sort((a, b) => a.productId - b.productId) : null,
    fromCart: input.fromCart ?? false,
    shippingAddress: Object.fromEntries(
      Object.entries(input.shippingAddress).sort(([a], [b]) => a.localeCompare(b)),
    ),
    paymentMethod: input.paymentMethod,
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

export interface PlaceResult {
  orderId: number;
  status: OrderStatus;
  replayed: boolean;
}

/**
 * Placing orders (priced from MySQL, never from the client; written PENDING with its items in one
 * transaction; handed to the orders worker) and reading a user's own orders.
 */
export function ordersService(
  ctx: Pick<BffContext, 'db' | 'sqlBatches' | 'producers' | 'logger'>,
  deps: {
    cartLines: (userId: number) => Promise<{ productId: number; quantity: number }[]>;
    events: OrderEventsListener;
  },
) {
  const orders = ordersRepository(ctx.db);

  async function findMine(userId: number, orderId: number): Promise<OrderRow> {
    const order = await orders.findById(orderId);
    // Another user's order is indistinguishable from a missing one.
    if (!order || Number(order.user_id) !== userId) throw new NotFoundError('Order not found');
    return order;
  }

  function sameRequest(existing: OrderRow, hash: string): PlaceResult {
    if (existing.request_hash !== hash) {
      throw new IdempotencyKeyReusedError('This Idempotency-Key was already used with a different request');
    }
    return { orderId: Number(existing.id), status: existing.status, replayed: true };
  }

  async function priceLines(lines: { productId: number; quantity: number }[]) {
    const ids = lines.map((line) => line.productId);
    const [found] = await ctx.sqlBatches.run(
      statement(
        `SELECT id, name, price FROM products WHERE id IN (${placeholders(ids)}) AND status = 'active'`,
        ids,
      ),
    );
    const rows = rowsOf<{ id: number; name: string; price: number }>(found);
    const byId = new Map(rows.map((row) => [Number(row.id), row]));
    const unavailable = lines.filter((line) => !byId.has(line.productId)).map((line) => line.productId);
    if (unavailable.length > 0) {
      throw new ProductUnavailableError('Some products are not for sale', {
        details: { productIds: unavailable },
      });
    }
    return lines.map((line) => {
      const product = byId.get(line.productId)!;
      return {
        productId: line.productId,
        productName: product.name,
        unitPrice: product.price,
        quantity: line.quantity,
      };
    });
  }

  return {
    async place(userId: number, idempotencyKey: string, input: PlaceOrderInput): Promise<PlaceResult> {
      const hash = requestHash(input);
      // A replay is found when it cannot be placed anew: the key's unique index refuses the insert, or its
      // cart has been emptied or its products withdrawn since. So a new order pays no lookup.
      const replayOr = async (error: unknown): Promise<PlaceResult> => {
        const existing = await orders.findByIdempotencyKey(userId, idempotencyKey);
        if (!existing) throw error;
        return sameRequest(existing, hash);
      };

      const lines = input.fromCart ? await deps.cartLines(userId) : (input.items ?? []);
      if (lines.length === 0) return replayOr(new CartEmptyError('The cart is empty'));
      let items: Awaited<ReturnType<typeof priceLines>>;
      try {
        items = await priceLines(lines);
      } catch (error) {
        return replayOr(error);
      }

      let orderId: number;
      try {
        orderId = await orders.insertWithItems(
          {
            userId,
            idempotencyKey,
            requestHash: hash,
            shippingAddress: input.shippingAddress,
            paymentMethod: input.paymentMethod,
            fromCart: input.fromCart === true,
            requestId: currentRequestId() ?? null,
            items,
          },
          ctx.sqlBatches,
        );
      } catch (error) {
        // The key was used before (a replay, or the same key racing in from another request).
        if (!isDuplicateKeyError(error)) throw error;
        return replayOr(error);
      }

      // The order is committed: a failed or timed-out enqueue leaves it PENDING for the sweeper, never lost.
      await enqueue(() =>
        ctx.producers.orders.add(
          'place',
          { orderId, requestId: currentRequestId() },
          { jobId: orderJobId('place', orderId) },
        ),
      ).catch((error: unknown) =>
        ctx.logger.warn({ err: error, orderId }, 'enqueue failed; the sweeper will pick the order up'),
      );
      return { orderId, status: 'PENDING', replayed: false };
    },

    async get(userId: number, orderId: number): Promise<OrderView> {
      const order = await findMine(userId, orderId);
      return toView(order, await orders.items(orderId));
    },

    async list(userId: number, query: { status?: OrderStatus; limit: number; cursor?: string }) {
      const builder = ctx
        .db('orders')
        .where({ user_id: userId })
        .orderBy('id', 'desc')
        .limit(query.limit + 1);
      if (query.status) builder.where({ status: query.status });
      if (query.cursor) builder.where('id', '<', decodeIdCursor(query.cursor));
      const rows = (await builder.select(
        'id',
        'status',
        'total',
        'failure_reason',
        'created_at',
        'updated_at',
      )) as Pick<OrderRow, 'id' | 'status' | 'total' | 'failure_reason' | 'created_at' | 'updated_at'>[];
      const { page, nextCursor } = pageOf(rows, query.limit);
      const counts = page.length
        ? ((await ctx
            .db('order_items')
            .whereIn(
              'order_id',
              page.map((row) => row.id),
            )
            .groupBy('order_id')
            .select('order_id')
            .sum({ units: 'quantity' })) as { order_id: number; units: string | number }[])
        : [];
      const units = new Map(counts.map((row) => [Number(row.order_id), Number(row.units)]));
      return {
        items: page.map((row) => ({
          id: Number(row.id),
          status: row.status,
          total: row.total,
          units: units.get(Number(row.id)) ?? 0,
          failureReason: row.failure_reason,
          createdAt: row.created_at,
          updatedAt: row.updated_at,
          links: orderLinks(Number(row.id)),
        })),
        nextCursor,
      };
    },

    /**
     * Records the customer's cancel on the order in one statement (the order-state-machine's CANCEL_MOVES),
     * then asks the workers to finish it. The request is durable before the answer: a lost job is re-driven
     * by the sweeper, and asking again re-drives it at once. An order already final is a 409 naming its state.
     */
    async cancel(userId: number, orderId: number): Promise<OrderRow> {
      const { accepted, order } = await orders.requestCancel(userId, orderId);
      if (!order) throw new NotFoundError('Order not found');
      if (!accepted) {
        throw new OrderNotCancellableError(`An order in status ${order.status} cannot be cancelled`, {
          details: { status: order.status },
        });
      }
      await enqueue(() =>
        redrive(
          ctx.producers.orders,
          'cancel',
          { orderId, requestId: currentRequestId() },
          orderJobId('cancel', orderId),
        ),
      ).catch((error: unknown) =>
        ctx.logger.warn({ err: error, orderId }, 'cancel enqueue failed; the sweeper will finish the cancel'),
      );
      return order;
    },

    /**
     * Waits, at most `timeoutMs`, for the order to settle: subscribe first, then read the row (so no change
     * falls between the two), then read again on every event and every second.
     */
    async waitUntilSettled(userId: number, orderId: number, timeoutMs: number): Promise<OrderView> {
      await findMine(userId, orderId);
      let wake: () => void = () => undefined;
      const unsubscribe = await deps.events.subscribe(orderId, () => wake());
      const deadline = Date.now() + timeoutMs;
      try {
        for (;;) {
          const order = (await orders.findById(orderId))!;
          const remaining = deadline - Date.now();
          if (isSettled(order.status) || remaining <= 0) return toView(order, await orders.items(orderId));
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, Math.min(remaining, 1000));
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      } finally {
        unsubscribe();
      }
    },

    findMine,
    toView: async (order: OrderRow) => toView(order, await orders.items(Number(order.id))),
  };
}

export type OrdersService = ReturnType<typeof ordersService>;
