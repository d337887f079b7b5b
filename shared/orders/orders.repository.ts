import type { Knex } from 'knex';
import { insertId, placeholders, statement, type SqlBatches, type SqlStatement } from '../sql-batches';
import { CANCEL_MOVES, WORKING_STATUSES, assertTransition, type OrderStatus } from './order-state-machine';

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
  /** When the customer's cancel was accepted: from then on no charge starts (order-state-machine.ts). */
  cancel_requested_at: Date | null;
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
 * The only code that writes orders and order_items: placement (BFF), the customer's cancel request (BFF) and
 * every move of the state machine (workers). Each move is built by a statement builder below, which asks
 * order-state-machine.ts whether the move is allowed and names the status it expects; the builders are
 * also what the batched transactions of the stock and payments domains send (shared/sql-batches), so a
 * move that changes another table in the same statement (`reserveItemsStatement`,
 * `confirmChargeStatement`) is still written here.
 */
export function ordersRepository(db: Knex) {
  return {
    /**
     * Writes the PENDING order and its items in one transaction and one round trip (BEGIN, the order, its
     * items, COMMIT); the items take the order's id from LAST_INSERT_ID(). A duplicate idempotency key
     * fails the order's INSERT, which stops the batch before anything is committed.
     */
    async insertWithItems(order: NewOrder, sql: SqlBatches): Promise<number> {
      const total = order.items.reduce((sum, item) => sum + item.unitPrice * item.quantity, 0);
      const [inserted] = await sql.transaction((tx) =>
        tx.commit(
          statement(
            `INSERT INTO orders (user_id, status, total, idempotency_key, request_hash, shipping_address,
                                 payment_method, from_cart, request_id)
             VALUES (?, 'PENDING', ?, ?, ?, ?, ?, ?, ?)`,
            [
              order.userId,
              total,
              order.idempotencyKey,
              order.requestHash,
              JSON.stringify(order.shippingAddress),
              order.paymentMethod,
              order.fromCart,
              order.requestId,
            ],
          ),
          // Every row of this INSERT sees the id of the order's INSERT before it.
          statement(
            `INSERT INTO order_items (order_id, product_id, product_name, unit_price, quantity, line_total)
             VALUES ${order.items.map(() => '(LAST_INSERT_ID(), ?, ?, ?, ?, ?)').join(', ')}`,
            order.items.flatMap((item) => [
              item.productId,
              item.productName,
              item.unitPrice,
              item.quantity,
              item.unitPrice * item.quantity,
            ]),
          ),
        ),
      );
      return insertId(inserted);
    },

    findById(id: number, trx?: Knex.Transaction): Promise<OrderRow | undefined> {
      return (trx ?? db)('orders').where({ id }).first();
    },

    findByIdempotencyKey(userId: number, key: string): Promise<OrderRow | undefined> {
      return db('orders').where({ user_id: userId, idempotency_key: key }).first();
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
      const { sql, values } = transitionStatement(orderId, from, to, extra);
      const [result] = (await (trx ?? db).raw(sql, values as Knex.RawBinding[])) as [
        { affectedRows: number },
      ];
      return result.affectedRows === 1;
    },

    /** Orders left in a working state longer than `olderThanSeconds`: the sweeper's input. */
    findStuck(
      olderThanSeconds: number,
      limit: number,
    ): Promise<Pick<OrderRow, 'id' | 'status' | 'request_id' | 'cancel_requested_at'>[]> {
      return db('orders')
        .whereIn('status', WORKING_STATUSES)
        .where('updated_at', '<', new Date(Date.now() - olderThanSeconds * 1000))
        .orderBy('id')
        .limit(limit)
        .select('id', 'status', 'request_id', 'cancel_requested_at');
    },

    /**
     * Records the customer's cancel of their order and makes its CANCEL_MOVES, in one statement: the
     * request is durable before the BFF answers. Returns the order as it is now (undefined when it is not
     * the user's); `accepted` is false when it was already in a state that cannot be cancelled.
     */
    async requestCancel(
      userId: number,
      orderId: number,
    ): Promise<{ accepted: boolean; order: OrderRow | undefined }> {
      const { sql, values } = requestCancelStatement(userId, orderId);
      const [result] = (await db.raw(sql, values as Knex.RawBinding[])) as [{ affectedRows: number }];
      const order = (await db('orders').where({ id: orderId, user_id: userId }).first()) as
        OrderRow | undefined;
      return { accepted: result.affectedRows === 1, order };
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

/**
 * The conditional UPDATE behind every transition: it changes the order only while it is in `from`, so one
 * affected row means this caller moved it. A move order-state-machine.ts does not allow throws here.
 */
export function transitionStatement(
  orderId: number,
  from: OrderStatus | readonly OrderStatus[],
  to: OrderStatus,
  extra: { failureReason?: string } = {},
): SqlStatement {
  assertTransition(from, to);
  const now = new Date();
  const set: Record<string, unknown> = { status: to, updated_at: now };
  if (extra.failureReason !== undefined) set.failure_reason = extra.failureReason.slice(0, 500);
  if (to === 'CONFIRMED') set.confirmed_at = now;
  if (to === 'CANCELLED') set.cancelled_at = now;
  const fromList = typeof from === 'string' ? [from] : [...from];
  return statement(
    `UPDATE orders SET ${Object.keys(set)
      .map((column) => `${column} = ?`)
      .join(', ')}
      WHERE id = ? AND status IN (${placeholders(fromList)})`,
    [...Object.values(set), orderId, ...fromList],
  );
}

/**
 * The customer's cancel: records the request (the first time) and moves the order as CANCEL_MOVES says, only
 * while it is cancellable and the user's. MySQL and MariaDB assign a single-table UPDATE's columns left to
 * right, each seeing the ones before: `cancelled_at` reads the old status, so it is set before `status`.
 */
export function requestCancelStatement(userId: number, orderId: number): SqlStatement {
  const moves = Object.entries(CANCEL_MOVES) as [OrderStatus, OrderStatus][];
  for (const [from, to] of moves) if (from !== to) assertTransition(from, to);
  const now = new Date();
  const cancelledNow = moves.filter(([, to]) => to === 'CANCELLED').map(([from]) => from);
  return statement(
    `UPDATE orders
        SET cancelled_at = IF(status IN (${placeholders(cancelledNow)}), ?, cancelled_at),
            cancel_requested_at = COALESCE(cancel_requested_at, ?),
            status = CASE status ${moves.map(() => 'WHEN ? THEN ?').join(' ')} ELSE status END,
            updated_at = ?
      WHERE id = ? AND user_id = ? AND status IN (${placeholders(moves)})`,
    [...cancelledNow, now, now, ...moves.flat(), now, orderId, userId, ...moves.map(([from]) => from)],
  );
}

/**
 * Takes every item of a PENDING order from stock and moves the order to STOCK_RESERVED, in one
 * statement. A product that is not active or has fewer units than its item asks for is left alone (stock
 * never goes below zero), as is everything when the order is no longer PENDING: so the order and each of
 * its products changed only when the affected rows are the item count + 1.
 *
 * The caller holds the locks on the order, its items and their products (`lockWithItemsStatement`), so
 * this only has to touch those rows and no others. STRAIGHT_JOIN and the index hints make it read exactly
 * them: left to itself, the optimizer scans a small products table, locking other orders' products while
 * this one holds its own, which can deadlock. Each row of a multi-table UPDATE changes once.
 */
export function reserveItemsStatement(orderId: number): SqlStatement {
  assertTransition('PENDING', 'STOCK_RESERVED');
  return statement(
    `UPDATE orders o
       STRAIGHT_JOIN order_items i FORCE INDEX (${ORDER_ITEMS_BY_ORDER_KEY})
         ON i.order_id = o.id
       STRAIGHT_JOIN products p FORCE INDEX (PRIMARY) ON p.id = i.product_id
        SET p.stock = p.stock - i.quantity, o.status = ?, o.updated_at = ?
      WHERE o.id = ? AND o.status = ? AND p.status = 'active' AND p.stock >= i.quantity`,
    ['STOCK_RESERVED', new Date(), orderId, 'PENDING'],
  );
}

/**
 * Records a succeeded charge and moves its STOCK_RESERVED order on, in one statement (both rows change or
 * neither): to CONFIRMED, or — when the customer asked to cancel while the charge was under way — to
 * CANCEL_REQUESTED, whose refund follows. `confirmed_at` is set either way: the order was paid, which the
 * statistics count (and count back when it is cancelled). Nothing changes when the order has moved on.
 */
export function confirmChargeStatement(
  paymentId: number,
  orderId: number,
  gatewayPaymentKey: string,
): SqlStatement {
  assertTransition('STOCK_RESERVED', 'CONFIRMED');
  assertTransition('STOCK_RESERVED', 'CANCEL_REQUESTED');
  const now = new Date();
  return statement(
    `UPDATE payments p JOIN orders o ON o.id = p.order_id
        SET p.status = 'succeeded', p.gateway_payment_key = ?, p.last_error = NULL, p.updated_at = ?,
            o.status = IF(o.cancel_requested_at IS NULL, ?, ?), o.confirmed_at = ?, o.updated_at = ?
      WHERE p.id = ? AND o.id = ? AND o.status = ?`,
    [gatewayPaymentKey, now, 'CONFIRMED', 'CANCEL_REQUESTED', now, now, paymentId, orderId, 'STOCK_RESERVED'],
  );
}

/** The order's status and whether its cancel was requested: read after a move, in the same round trip. */
export const statusStatement = (orderId: number): SqlStatement =>
  statement('SELECT status, cancel_requested_at FROM orders WHERE id = ?', [orderId]);

/** An order's item as the stock reservation's locking read found it, with its product's row. */
export interface LockedItem extends Pick<OrderItemRow, 'product_id' | 'product_name' | 'quantity'> {
  /** The product row's stock and status, as locked; null only if the product row is missing. */
  product_stock: number | null;
  product_status: 'active' | 'deleted' | null;
}

/**
 * The order's status, its items and their products in one locking read (order row, item rows and product
 * rows), items by product id: all a stock reservation needs to decide, before it writes. Read its rows
 * with `lockedOrderOf`.
 *
 * Products must be locked in ascending id order, or two orders sharing products could deadlock. The LEFT
 * JOINs fix the join order (order, then items, then products), and the index hints fix how each table is
 * read: items through their (order_id, product_id) key, so in product id order, and each product by
 * primary key as its item comes by, so the product locks follow that same order. Left to itself the
 * optimizer may scan a small table instead: a scan of order_items meets the items in insertion order, a
 * scan of products locks every product.
 */
export const lockWithItemsStatement = (orderId: number): SqlStatement =>
  statement(
    `SELECT o.status, i.product_id, i.product_name, i.quantity,
            p.stock AS product_stock, p.status AS product_status
       FROM orders o
       LEFT JOIN order_items i FORCE INDEX (${ORDER_ITEMS_BY_ORDER_KEY}) ON i.order_id = o.id
       LEFT JOIN products p FORCE INDEX (PRIMARY) ON p.id = i.product_id
      WHERE o.id = ?
      ORDER BY i.product_id
        FOR UPDATE`,
    [orderId],
  );

type LockedRow = Omit<LockedItem, 'product_id' | 'product_name' | 'quantity'> & {
  status: OrderStatus;
  product_id: number | null;
  product_name: string | null;
  quantity: number | null;
};

/** The status (undefined when the order is missing) and items that `lockWithItemsStatement` read. */
export function lockedOrderOf(rows: LockedRow[]): { status: OrderStatus | undefined; items: LockedItem[] } {
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
}
