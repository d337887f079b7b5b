import type { Knex } from 'knex';
import type { OrderStatus } from '../../shared/orders/order-state-machine';
import { confirmChargeStatement, statusStatement } from '../../shared/orders/orders.repository';
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
  order:
    | {
        id: number;
        status: OrderStatus;
        total: number;
        from_cart: number | boolean;
        /** The customer asked to cancel: no charge may start (order-state-machine.ts). */
        cancelRequested: boolean;
      }
    | undefined;
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
          `SELECT o.id AS o_id, o.status AS o_status, o.total AS o_total, o.from_cart AS o_from_cart,
                  o.cancel_requested_at AS o_cancel_requested_at, p.*
             FROM orders o LEFT JOIN payments p ON p.order_id = o.id AND p.kind = 'charge'
            WHERE o.id = ?`,
          [orderId],
        ),
      );
      type Row = PaymentRow & {
        o_id: number;
        o_status: OrderStatus;
        o_total: number;
        o_from_cart: number;
        o_cancel_requested_at: Date | null;
      };
      const row = rowsOf<Row>(read)[0];
      if (!row) return { order: undefined, payment: undefined };
      const { o_id, o_status, o_total, o_from_cart, o_cancel_requested_at, ...payment } = row;
      return {
        order: {
          id: Number(o_id),
          status: o_status,
          total: Number(o_total),
          from_cart: o_from_cart,
          cancelRequested: o_cancel_requested_at !== null,
        },
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
     * Records the charge and moves its STOCK_RESERVED order on (to CONFIRMED, or to CANCEL_REQUESTED when a
     * cancel was asked for meanwhile) in one statement, then reads the order's status, in one round trip.
     * `moved` is false when the order was no longer STOCK_RESERVED, in which case nothing was written.
     */
    async recordChargeAndMoveOrder(
      paymentId: number,
      orderId: number,
      gatewayPaymentKey: string,
    ): Promise<{ moved: boolean; status: OrderStatus | undefined }> {
      const [result, read] = await sqlBatches.run(
        confirmChargeStatement(paymentId, orderId, gatewayPaymentKey),
        statusStatement(orderId),
      );
      return { moved: affectedRows(result) > 0, status: rowsOf<{ status: OrderStatus }>(read)[0]?.status };
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
