import type { Knex } from 'knex';
import type { OrderStatus } from './order-status';

export interface OrderRow {
  id: number;
  user_id: number;
  status: OrderStatus;
  total: number;
  idempotency_key: string;
  request_hash: string;
  failure_reason: string | null;
  shipping_address: unknown;
  payment_method: string;
  from_cart: number | boolean;
  request_id: string | null;
  created_at: Date;
  updated_at: Date;
  confirmed_at: Date | null;
  cancelled_at: Date | null;
}

export interface OrderItemRow {
  id: number;
  order_id: number;
  product_id: number;
  product_name: string;
  unit_price: number;
  quantity: number;
  line_total: number;
}

export interface NewOrder {
  userId: number;
  idempotencyKey: string;
  requestHash: string;
  shippingAddress: unknown;
  paymentMethod: string;
  fromCart: boolean;
  requestId: string | null;
  items: { productId: number; productName: string; unitPrice: number; quantity: number }[];
}

/**
 * The (order_id, product_id) unique key of order_items, as the orders migration named it: reading an order's
 * items through it meets them in product id order, which the stock reservation's lock order relies on.
 */
export const ORDER_ITEMS_BY_ORDER_KEY = 'order_items_order_id_product_id_unique';

/**
 * Writes orders and order_items: placement (BFF) and transitions (workers); every transition names the
 * status it expects. Two statements elsewhere change an order together with another table, in one
 * statement, with the same rule: the stock reservation (stock.repository takeForOrder) and the confirmed
 * charge (payments.repository succeedAndConfirm).
 */
export function ordersRepository(db: Knex) {
  return {
    async insertWithItems(order: NewOrder, trx: Knex.Transaction): Promise<number> {
      const total = order.items.reduce((sum, item) => sum + item.unitPrice * item.quantity, 0);
      const [orderId] = await trx('orders').insert({
        user_id: order.userId,
        status: 'PENDING',
        total,
        idempotency_key: order.idempotencyKey,
        request_hash: order.requestHash,
        shipping_address: JSON.stringify(order.shippingAddress),
        payment_method: order.paymentMethod,
        from_cart: order.fromCart,
        request_id: order.requestId,
      });
      await trx('order_items').insert(
        order.items.map((item) => ({
          order_id: orderId,
          product_id: item.productId,
          product_name: item.productName,
          unit_price: item.unitPrice,
          quantity: item.quantity,
          line_total: item.unitPrice * item.quantity,
        })),
      );
      return Number(orderId);
    },

    findById(id: number, trx?: Knex.Transaction): Promise<OrderRow | undefined> {
      return (trx ?? db)('orders').where({ id }).first();
    },

    findByIdForUpdate(id: number, trx: Knex.Transaction): Promise<OrderRow | undefined> {
      return trx('orders').where({ id }).forUpdate().first();
    },

    findByIdempotencyKey(userId: number, key: string): Promise<OrderRow | undefined> {
      return db('orders').where({ user_id: userId, idempotency_key: key }).first();
    },

    /**
     * The order's status, its items and their products in one locking read (order row, item rows and
     * product rows), items by product id: all a stock reservation needs to decide, before it writes.
     *
     * Products must be locked in ascending id order, or two orders sharing products could deadlock. The
     * LEFT JOINs fix the join order (order, then items, then products), and the index hints fix how each
     * table is read: items through their (order_id, product_id) key, so in product id order, and each
     * product by primary key as its item comes by, so the product locks follow that same order. Left to
     * itself the optimizer may scan a small table instead: a scan of order_items meets the items in
     * insertion order, a scan of products locks every product.
     */
    async lockWithItems(
      orderId: number,
      trx: Knex.Transaction,
    ): Promise<{
      status: OrderRow['status'] | undefined;
      items: (Pick<OrderItemRow, 'product_id' | 'product_name' | 'quantity'> & {
        /** The product row's stock and status, as locked; null only if the product row is missing. */
        product_stock: number | null;
        product_status: 'active' | 'deleted' | null;
      })[];
    }> {
      const [rows] = (await trx.raw(
        `SELECT o.status, i.product_id, i.product_name, i.quantity,
                p.stock AS product_stock, p.status AS product_status
           FROM orders o
           LEFT JOIN order_items i FORCE INDEX (${ORDER_ITEMS_BY_ORDER_KEY}) ON i.order_id = o.id
           LEFT JOIN products p FORCE INDEX (PRIMARY) ON p.id = i.product_id
          WHERE o.id = ?
          ORDER BY i.product_id
            FOR UPDATE`,
        [orderId],
      )) as [
        {
          status: OrderRow['status'];
          product_id: number | null;
          product_name: string | null;
          quantity: number | null;
          product_stock: number | null;
          product_status: 'active' | 'deleted' | null;
        }[],
      ];
      return {
        status: rows[0]?.status,
        items: rows
          .filter((row) => row.product_id !== null)
          .map((row) => ({
            product_id: Number(row.product_id),
            product_name: row.product_name!,
            quantity: row.quantity!,
            product_stock: row.product_stock,
            product_status: row.product_status,
          })),
      };
    },

    items(orderId: number, trx?: Knex.Transaction): Promise<OrderItemRow[]> {
      return (trx ?? db)('order_items').where({ order_id: orderId }).orderBy('product_id');
    },

    /** Moves an order from `from` to `to`; false when it was not in `from` (someone else moved it). */
    async transition(
      orderId: number,
      from: OrderStatus | readonly OrderStatus[],
      to: OrderStatus,
      extra: { failureReason?: string } = {},
      trx?: Knex.Transaction,
    ): Promise<boolean> {
      const now = new Date();
      const changed = await (trx ?? db)('orders')
        .where({ id: orderId })
        .whereIn('status', typeof from === 'string' ? [from] : [...from])
        .update({
          status: to,
          updated_at: now,
          ...(extra.failureReason === undefined ? {} : { failure_reason: extra.failureReason.slice(0, 500) }),
          ...(to === 'CONFIRMED' ? { confirmed_at: now } : {}),
          ...(to === 'CANCELLED' ? { cancelled_at: now } : {}),
        });
      return changed === 1;
    },

    /** Orders left in a working state longer than `olderThanSeconds`: the sweeper's input. */
    findStuck(
      olderThanSeconds: number,
      limit: number,
    ): Promise<Pick<OrderRow, 'id' | 'status' | 'request_id'>[]> {
      return db('orders')
        .whereIn('status', ['PENDING', 'STOCK_RESERVED', 'CANCEL_REQUESTED'])
        .where('updated_at', '<', new Date(Date.now() - olderThanSeconds * 1000))
        .orderBy('id')
        .limit(limit)
        .select('id', 'status', 'request_id');
    },

    /** Declined orders whose reservation was not yet returned. */
    findFailedWithUnreleasedStock(limit: number): Promise<Pick<OrderRow, 'id' | 'request_id'>[]> {
      return db('orders as o')
        .where('o.status', 'PAYMENT_FAILED')
        .whereExists(db('stock_ledger').whereRaw('order_id = o.id').where('kind', 'reserve'))
        .whereNotExists(db('stock_ledger').whereRaw('order_id = o.id').where('kind', 'release'))
        .orderBy('o.id')
        .limit(limit)
        .select('o.id', 'o.request_id');
    },
  };
}

export type OrdersRepository = ReturnType<typeof ordersRepository>;
