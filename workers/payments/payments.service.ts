import type { Knex } from 'knex';
import { withTransaction } from '../../shared/db';
import { ordersRepository } from '../../shared/orders/orders.repository';
import type { SqlBatches } from '../../shared/sql-batches';
import { decideCharge, decideRefund } from './payment-decisions';
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
  /** The customer asked to cancel: the refund step is next (`charged`: a charge went through first). */
  | { kind: 'cancel-requested'; charged: boolean }
  | { kind: 'declined'; reason: string }
  | { kind: 'skipped'; status: string };

export type RefundOutcome =
  { kind: 'refunded' } | { kind: 'not-charged' } | { kind: 'skipped'; status: string };

/**
 * Charging and refunding with at-most-once effect at the gateway: the same idempotency key on every
 * attempt, and before any retry of an attempt whose outcome is unknown, a lookup of what the gateway holds.
 * A cancel the customer asked for is honoured here: no charge starts once it is recorded, and a charge
 * that went through first is refunded. What to do is decided by payment-decisions.ts; errors of unknown
 * outcome are rethrown for BullMQ to retry with backoff.
 */
export function paymentsService(db: Knex, sqlBatches: SqlBatches, gateway: PaymentGateway) {
  const orders = ordersRepository(db);
  const payments = paymentsRepository(db, sqlBatches);

  /** Records the succeeded charge and moves the order on: CONFIRMED, or CANCEL_REQUESTED if asked meanwhile. */
  async function recordSuccess(
    payment: PaymentRow,
    order: NonNullable<ChargeStart['order']>,
    paymentKey: string,
  ): Promise<ChargeOutcome> {
    const orderId = Number(order.id);
    const { moved, status } = await payments.recordChargeAndMoveOrder(payment.id, orderId, paymentKey);
    // Not moved: the order left STOCK_RESERVED meanwhile; the payment is still recorded, for the refund.
    if (!moved) await payments.markSucceeded(payment.id, paymentKey);
    if (status === 'CANCEL_REQUESTED') return { kind: 'cancel-requested', charged: true };
    return { kind: 'confirmed', fromCart: Boolean(order.from_cart) };
  }

  async function declineOrder(payment: PaymentRow, orderId: number, reason: string): Promise<ChargeOutcome> {
    await withTransaction(db, async (trx) => {
      await payments.markFailed(payment.id, reason, trx);
      await orders.transition(orderId, 'STOCK_RESERVED', 'PAYMENT_FAILED', { failureReason: reason }, trx);
    });
    return { kind: 'declined', reason };
  }

  async function cancelWithoutCharge(payment: PaymentRow, orderId: number): Promise<ChargeOutcome> {
    await withTransaction(db, async (trx) => {
      await payments.markFailed(payment.id, 'Not charged: the customer cancelled the order first', trx);
      await orders.transition(orderId, 'STOCK_RESERVED', 'CANCEL_REQUESTED', {}, trx);
    });
    return { kind: 'cancel-requested', charged: false };
  }

  return {
    async charge(orderId: number): Promise<ChargeOutcome> {
      const start = await payments.beginCharge(orderId, chargeKey(orderId));
      const decision = decideCharge(start);
      const { order, payment } = start;
      switch (decision.kind) {
        case 'skip':
          return { kind: 'skipped', status: decision.status };
        case 'report':
          // Each hand-off is idempotent; sending them again heals one lost after the commit.
          return decision.outcome === 'confirmed'
            ? { kind: 'confirmed', fromCart: Boolean(order!.from_cart) }
            : { kind: 'cancel-requested', charged: true };
        case 'retry':
          throw new Error(`order ${orderId}: charge attempt not started yet`);
        case 'record-success':
          return recordSuccess(payment!, order!, payment!.gateway_payment_key ?? '');
        case 'record-decline':
          return declineOrder(payment!, orderId, payment!.last_error ?? 'Payment declined');
        case 'cancel-without-charge':
          return cancelWithoutCharge(payment!, orderId);
        case 'look-up-first':
        case 'charge':
          break;
      }
      const reserved = order!;
      const attempt = payment!;
      try {
        if (decision.kind === 'look-up-first') {
          const existing = await gateway.lookup(gatewayOrderId(orderId));
          if (existing && existing.status === 'DONE')
            return recordSuccess(attempt, reserved, existing.paymentKey);
          if (decision.cancelRequested) return cancelWithoutCharge(attempt, orderId);
        }
        const result = await gateway.confirm({
          orderId: gatewayOrderId(orderId),
          paymentKey: paymentKeyFor(orderId),
          amount: reserved.total,
          idempotencyKey: chargeKey(orderId),
        });
        if (result.outcome === 'charged') return recordSuccess(attempt, reserved, result.paymentKey);
        if (result.outcome === 'declined') {
          return declineOrder(attempt, orderId, `Payment declined: ${result.message} (${result.code})`);
        }
        const existing = await gateway.lookup(gatewayOrderId(orderId));
        if (existing && existing.status === 'DONE')
          return recordSuccess(attempt, reserved, existing.paymentKey);
        throw new Error('gateway says the order was processed but has no completed payment for it');
      } catch (error) {
        await payments.markUnknown(attempt.id, (error as Error).message);
        throw error;
      }
    },

    /**
     * Refunds a cancelled order's charge; an order that was never charged needs no refund. A charge whose
     * outcome is unknown is looked up first, so money taken by a lost answer is found and given back.
     */
    async refund(orderId: number): Promise<RefundOutcome> {
      const order = await orders.findById(orderId);
      const charge = await payments.find(orderId, 'charge');
      let decision = decideRefund(order?.status, charge);
      if (decision.kind === 'skip') return { kind: 'skipped', status: decision.status };
      if (decision.kind === 'not-charged') return { kind: 'not-charged' };
      if (decision.kind === 'look-up-first') {
        const existing = await gateway.lookup(gatewayOrderId(orderId));
        if (!existing || existing.status !== 'DONE') {
          await payments.markFailed(charge!.id, 'Not charged: the order was cancelled');
          return { kind: 'not-charged' };
        }
        await payments.markSucceeded(charge!.id, existing.paymentKey);
        decision = { kind: 'refund', paymentKey: existing.paymentKey };
      }
      const refund = await payments.beginAttempt(orderId, 'refund', charge!.amount, refundKey(orderId));
      if (refund.status === 'succeeded') return { kind: 'refunded' };
      try {
        const result = await gateway.refund({
          paymentKey: decision.paymentKey,
          reason: 'Customer cancelled the order',
          idempotencyKey: refundKey(orderId),
        });
        if (result.outcome === 'refused')
          throw new Error(`refund refused: ${result.message} (${result.code})`);
        await payments.markSucceeded(refund.id, decision.paymentKey);
        return { kind: 'refunded' };
      } catch (error) {
        await payments.markUnknown(refund.id, (error as Error).message);
        throw error;
      }
    },
  };
}
