import type { Knex } from 'knex';
import type { OrderStatus } from '../../shared/orders/order-status';
import { affectedRows, rowsOf, statement, type SqlBatches } from '../../shared/sql-batches';

export interface PaymentRow {
  id: number;
  order_id: number;
  kind: 'charge' | 'refund';
  gateway_key: string;
  gateway_payment_key: string | null;
  status: 'pending' | 'succeeded' | 'failed' | 'unknown';
  amount: number;
  attempts: number;
  last_error: string | null;
}

/** An attempt on an existing (order, kind) row is counted, unless the row is settled (it keeps its count). */
const COUNT_ANOTHER_ATTEMPT = `ON DUPLICATE KEY UPDATE
  attempts = IF(payments.status IN ('pending', 'unknown'), payments.attempts + 1, payments.attempts)`;

/** What starting a charge found: the order (undefined when missing) and its charge row, if it has one. */
export interface ChargeStart {
  order: { id: number; status: OrderStatus; total: number; from_cart: number | boolean } | undefined;
  payment: PaymentRow | undefined;
}

/** The only code that writes payments: one row per (order, kind), whatever the number of attempts. */
export function paymentsRepository(db: Knex, sqlBatches: SqlBatches) {
  return {
    /** The row for (order, kind), created on first use; counts this attempt. */
    async beginAttempt(
      orderId: number,
      kind: 'charge' | 'refund',
      amount: number,
      gatewayKey: string,
    ): Promise<PaymentRow> {
      // One statement creates the row or counts another attempt on it (settled rows keep their count).
      await db.raw(
        `INSERT INTO payments (order_id, kind, amount, gateway_key, status, attempts) VALUES (?, ?, ?, ?, 'pending', 1)
         ${COUNT_ANOTHER_ATTEMPT}`,
        [orderId, kind, amount, gatewayKey],
      );
      return db('payments').where({ order_id: orderId, kind }).first();
    },

    /**
     * Starts a charge attempt in two statements and one round trip: the (order, 'charge') row is created,
     * or another attempt counted on it, only while the order is STOCK_RESERVED (one conditional INSERT …
     * SELECT); then the order and the row are read together. An order in any other state gets no payment
     * row.
     */
    async beginCharge(orderId: number, gatewayKey: string): Promise<ChargeStart> {
      const [, read] = await sqlBatches.run(
        statement(
          `INSERT INTO payments (order_id, kind, amount, gateway_key, status, attempts)
           SELECT o.id, 'charge', o.total, ?, 'pending', 1 FROM orders o WHERE o.id = ? AND o.status = 'STOCK_RESERVED'
           ${COUNT_ANOTHER_ATTEMPT}`,
          [gatewayKey, orderId],
        ),
        statement(
          `SELECT o.id AS o_id, o.status AS o_status, o.total AS o_total, o.from_cart AS o_from_cart, p.*
             FROM orders o LEFT JOIN payments p ON p.order_id = o.id AND p.kind = 'charge'
            WHERE o.id = ?`,
          [orderId],
        ),
      );
      type Row = PaymentRow & { o_id: number; o_status: OrderStatus; o_total: number; o_from_cart: number };
      const row = rowsOf<Row>(read)[0];
      if (!row) return { order: undefined, payment: undefined };
      const { o_id, o_status, o_total, o_from_cart, ...payment } = row;
      return {
        order: { id: Number(o_id), status: o_status, total: Number(o_total), from_cart: o_from_cart },
        payment: payment.id === null ? undefined : payment,
      };
    },

    async markSucceeded(id: number, gatewayPaymentKey: string, trx?: Knex.Transaction): Promise<void> {
      await (trx ?? db)('payments').where({ id }).update({
        status: 'succeeded',
        gateway_payment_key: gatewayPaymentKey,
        last_error: null,
        updated_at: new Date(),
      });
    },

    /**
     * Records the charge and confirms the order in one statement (both rows change together or neither);
     * false when the order was no longer STOCK_RESERVED, in which case nothing was written.
     */
    async succeedAndConfirm(paymentId: number, orderId: number, gatewayPaymentKey: string): Promise<boolean> {
      const now = new Date();
      const [result] = await sqlBatches.run(
        statement(
          `UPDATE payments p JOIN orders o ON o.id = p.order_id
              SET p.status = 'succeeded', p.gateway_payment_key = ?, p.last_error = NULL, p.updated_at = ?,
                  o.status = 'CONFIRMED', o.confirmed_at = ?, o.updated_at = ?
            WHERE p.id = ? AND o.id = ? AND o.status = 'STOCK_RESERVED'`,
          [gatewayPaymentKey, now, now, now, paymentId, orderId],
        ),
      );
      return affectedRows(result) > 0;
    },

    async markFailed(id: number, reason: string, trx?: Knex.Transaction): Promise<void> {
      await (trx ?? db)('payments')
        .where({ id })
        .update({ status: 'failed', last_error: reason.slice(0, 500), updated_at: new Date() });
    },

    async markUnknown(id: number, error: string): Promise<void> {
      await db('payments')
        .where({ id })
        .whereIn('status', ['pending', 'unknown'])
        .update({ status: 'unknown', last_error: error.slice(0, 500), updated_at: new Date() });
    },

    find(orderId: number, kind: 'charge' | 'refund'): Promise<PaymentRow | undefined> {
      return db('payments').where({ order_id: orderId, kind }).first();
    },
  };
}
