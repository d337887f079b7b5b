import type { Knex } from 'knex';
import { isDuplicateKeyError, withTransaction } from '../../shared/db';
import { shopDay } from '../../shared/shop-time';

export type StatsOutcome = { applied: boolean; day?: string };

/** Thrown when a cancellation arrives before its confirmation was counted: retried until it was. */
class ConfirmationNotCountedYetError extends Error {}

/**
 * Incremental sales aggregates. Each order event is counted once: the (order, kind) row in
 * stats_applied_events is written in the same transaction as the counters, so a replay finds it and stops.
 */
export function statsService(db: Knex, timeZone: string) {
  async function markApplied(
    trx: Knex.Transaction,
    orderId: number,
    kind: 'confirmed' | 'cancelled',
  ): Promise<boolean> {
    try {
      await trx('stats_applied_events').insert({ order_id: orderId, kind });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  return {
    async countConfirmed(orderId: number): Promise<StatsOutcome> {
      return withTransaction(db, async (trx) => {
        const order = await trx('orders').where({ id: orderId }).first('total', 'confirmed_at');
        if (!order?.confirmed_at) return { applied: false };
        if (!(await markApplied(trx, orderId, 'confirmed'))) return { applied: false };
        const items = (await trx('order_items')
          .where({ order_id: orderId })
          .select('product_id', 'quantity', 'line_total')) as {
          product_id: number;
          quantity: number;
          line_total: number;
        }[];
        const day = shopDay(order.confirmed_at as Date, timeZone);
        const units = items.reduce((sum, item) => sum + item.quantity, 0);
        await trx.raw(
          `INSERT INTO daily_sales_stats (day, orders, units, revenue) VALUES (?, 1, ?, ?)
           ON DUPLICATE KEY UPDATE orders = orders + 1, units = units + VALUES(units), revenue = revenue + VALUES(revenue), updated_at = CURRENT_TIMESTAMP(3)`,
          [day, units, order.total],
        );
        for (const item of items) {
          await trx.raw(
            `INSERT INTO product_sales_stats (day, product_id, units, revenue) VALUES (?, ?, ?, ?)
             ON DUPLICATE KEY UPDATE units = units + VALUES(units), revenue = revenue + VALUES(revenue)`,
            [day, item.product_id, item.quantity, item.line_total],
          );
        }
        return { applied: true, day };
      });
    },

    /** A cancelled paid order counts as a refund on the day it was cancelled. */
    async countCancelled(orderId: number): Promise<StatsOutcome> {
      return withTransaction(db, async (trx) => {
        const order = await trx('orders')
          .where({ id: orderId })
          .first('total', 'confirmed_at', 'cancelled_at');
        if (!order?.confirmed_at || !order.cancelled_at) return { applied: false };
        const confirmedCounted = await trx('stats_applied_events')
          .where({ order_id: orderId, kind: 'confirmed' })
          .first();
        if (!confirmedCounted)
          throw new ConfirmationNotCountedYetError(`order ${orderId}: confirmation not counted yet`);
        if (!(await markApplied(trx, orderId, 'cancelled'))) return { applied: false };
        const day = shopDay(order.cancelled_at as Date, timeZone);
        await trx.raw(
          `INSERT INTO daily_sales_stats (day, refunded_orders, refunds) VALUES (?, 1, ?)
           ON DUPLICATE KEY UPDATE refunded_orders = refunded_orders + 1, refunds = refunds + VALUES(refunds), updated_at = CURRENT_TIMESTAMP(3)`,
          [day, order.total],
        );
        return { applied: true, day };
      });
    },
  };
}
