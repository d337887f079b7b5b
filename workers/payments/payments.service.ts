import type { Knex } from 'knex';
import { withTransaction } from '../../shared/db';
import { ordersRepository } from '../../shared/orders/orders.repository';
import type { SqlBatches } from '../../shared/sql-batches';
import type { PaymentGateway } from './payment-gateway';
import { paymentsRepository, type ChargeStart, type PaymentRow } from './payments.repository';

/** The gateway's order id and idempotency keys are derived from our order id, so every retry reuses them. */
export const gatewayOrderId = (orderId: number): string => `order-${orderId}`;
export const chargeKey = (orderId: number): string => `charge-${orderId}`;
export const refundKey = (orderId: number): string => `refund-${orderId}`;
/** Toss issues payment keys from its client widget; this backend-only shop derives one per order. */
export const paymentKeyFor = (orderId: number): string => `vm_pay_${orderId}`;

export type ChargeOutcome =
  | { kind: 'confirmed'; fromCart: boolean }
  | { kind: 'declined'; reason: string }
  | { kind: 'skipped'; status: string };

export type RefundOutcome =
  { kind: 'refunded' } | { kind: 'not-charged' } | { kind: 'skipped'; status: string };

/**
 * Charging and refunding with at-most-once effect at the gateway: the same idempotency key on every
 * attempt, and before any retry of an attempt whose outcome is unknown, a lookup of what the gateway holds.
 * Errors of unknown outcome are rethrown for BullMQ to retry with backoff.
 */
export function paymentsService(db: Knex, sqlBatches: SqlBatches, gateway: PaymentGateway) {
  const orders = ordersRepository(db);
  const payments = paymentsRepository(db, sqlBatches);

  async function confirmOrder(
    payment: PaymentRow,
    order: NonNullable<ChargeStart['order']>,
    paymentKey: string,
  ): Promise<ChargeOutcome> {
    const orderId = Number(order.id);
    // One statement in the usual case; an order that moved on meanwhile still gets its payment recorded.
    if (!(await payments.succeedAndConfirm(payment.id, orderId, paymentKey))) {
      await withTransaction(db, async (trx) => {
        await payments.markSucceeded(payment.id, paymentKey, trx);
        await orders.transition(orderId, 'STOCK_RESERVED', 'CONFIRMED', {}, trx);
      });
    }
    return { kind: 'confirmed', fromCart: Boolean(order.from_cart) };
  }

  async function declineOrder(payment: PaymentRow, orderId: number, reason: string): Promise<ChargeOutcome> {
    await withTransaction(db, async (trx) => {
      await payments.markFailed(payment.id, reason, trx);
      await orders.transition(orderId, 'STOCK_RESERVED', 'PAYMENT_FAILED', { failureReason: reason }, trx);
    });
    return { kind: 'declined', reason };
  }

  return {
    async charge(orderId: number): Promise<ChargeOutcome> {
      const { order, payment } = await payments.beginCharge(orderId, chargeKey(orderId));
      // Confirmed by an earlier attempt that may have failed before its hand-offs (state event, statistics,
      // cart) were all sent: report it again so the retry sends them; each is idempotent. No new charge.
      if (order?.status === 'CONFIRMED' && payment?.status === 'succeeded')
        return { kind: 'confirmed', fromCart: Boolean(order.from_cart) };
      if (!order || order.status !== 'STOCK_RESERVED')
        return { kind: 'skipped', status: order?.status ?? 'missing' };
      // The order became STOCK_RESERVED between the two statements: the retry starts the attempt.
      if (!payment) throw new Error(`order ${orderId}: charge attempt not started yet`);
      if (payment.status === 'succeeded')
        return confirmOrder(payment, order, payment.gateway_payment_key ?? '');
      if (payment.status === 'failed')
        return declineOrder(payment, orderId, payment.last_error ?? 'Payment declined');

      try {
        if (payment.attempts > 1) {
          const existing = await gateway.lookup(gatewayOrderId(orderId));
          if (existing && existing.status === 'DONE')
            return confirmOrder(payment, order, existing.paymentKey);
        }
        const result = await gateway.confirm({
          orderId: gatewayOrderId(orderId),
          paymentKey: paymentKeyFor(orderId),
          amount: order.total,
          idempotencyKey: chargeKey(orderId),
        });
        if (result.outcome === 'charged') return confirmOrder(payment, order, result.paymentKey);
        if (result.outcome === 'declined') {
          return declineOrder(payment, orderId, `Payment declined: ${result.message} (${result.code})`);
        }
        const existing = await gateway.lookup(gatewayOrderId(orderId));
        if (existing && existing.status === 'DONE') return confirmOrder(payment, order, existing.paymentKey);
        throw new Error('gateway says the order was processed but has no completed payment for it');
      } catch (error) {
        await payments.markUnknown(payment.id, (error as Error).message);
        throw error;
      }
    },

    /** Refunds a cancelled order's charge; an order that was never charged needs no refund. */
    async refund(orderId: number): Promise<RefundOutcome> {
      const order = await orders.findById(orderId);
      if (!order || order.status !== 'CANCEL_REQUESTED')
        return { kind: 'skipped', status: order?.status ?? 'missing' };
      const charge = await payments.find(orderId, 'charge');
      if (!charge || charge.status !== 'succeeded' || !charge.gateway_payment_key)
        return { kind: 'not-charged' };
      const refund = await payments.beginAttempt(orderId, 'refund', charge.amount, refundKey(orderId));
      if (refund.status === 'succeeded') return { kind: 'refunded' };
      try {
        const result = await gateway.refund({
          paymentKey: charge.gateway_payment_key,
          reason: 'Customer cancelled the order',
          idempotencyKey: refundKey(orderId),
        });
        if (result.outcome === 'refused')
          throw new Error(`refund refused: ${result.message} (${result.code})`);
        await payments.markSucceeded(refund.id, charge.gateway_payment_key);
        return { kind: 'refunded' };
      } catch (error) {
        await payments.markUnknown(refund.id, (error as Error).message);
        throw error;
      }
    },
  };
}
