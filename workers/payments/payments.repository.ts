import type { Knex } from 'knex';

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

/** The only code that writes payments: one row per (order, kind), whatever the number of attempts. */
export function paymentsRepository(db: Knex) {
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
         ON DUPLICATE KEY UPDATE attempts = IF(status IN ('pending', 'unknown'), attempts + 1, attempts)`,
        [orderId, kind, amount, gatewayKey],
      );
      return db('payments').where({ order_id: orderId, kind }).first();
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
      const [result] = (await db.raw(
        `UPDATE payments p JOIN orders o ON o.id = p.order_id
            SET p.status = 'succeeded', p.gateway_payment_key = ?, p.last_error = NULL, p.updated_at = ?,
                o.status = 'CONFIRMED', o.confirmed_at = ?, o.updated_at = ?
          WHERE p.id = ? AND o.id = ? AND o.status = 'STOCK_RESERVED'`,
        [gatewayPaymentKey, now, now, now, paymentId, orderId],
      )) as [{ affectedRows: number }];
      return result.affectedRows > 0;
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
