import type { OrderStatus } from '../../shared/orders/order-state-machine';
import type { ChargeStart, PaymentRow } from './payments.repository';

/**
 * What the charge step does, decided from the order and its charge row alone (no I/O, so every case is a
 * unit test): payments.service carries the decision out.
 */
export type ChargeDecision =
  /** The order is not waiting for a charge (settled, cancelled, missing): nothing to do. */
  | { kind: 'skip'; status: OrderStatus | 'missing' }
  /** An earlier attempt charged and moved the order, then failed before its hand-offs: send them again. */
  | { kind: 'report'; outcome: 'confirmed' | 'cancel-requested' }
  /** The order became STOCK_RESERVED between the two statements that start an attempt: retry. */
  | { kind: 'retry' }
  /** The gateway took the payment but the order was not moved yet: move it. */
  | { kind: 'record-success' }
  /** The gateway declined (recorded earlier): end the order PAYMENT_FAILED. */
  | { kind: 'record-decline' }
  /** The customer asked to cancel and nothing was ever sent to the gateway: cancel without charging. */
  | { kind: 'cancel-without-charge' }
  /** An earlier attempt's outcome is unknown: ask the gateway before anything else. */
  | { kind: 'look-up-first'; cancelRequested: boolean }
  | { kind: 'charge' };

export function decideCharge({ order, payment }: ChargeStart): ChargeDecision {
  if (order && payment?.status === 'succeeded') {
    if (order.status === 'CONFIRMED') return { kind: 'report', outcome: 'confirmed' };
    if (order.status === 'CANCEL_REQUESTED') return { kind: 'report', outcome: 'cancel-requested' };
  }
  if (!order || order.status !== 'STOCK_RESERVED')
    return { kind: 'skip', status: order?.status ?? 'missing' };
  if (!payment) return { kind: 'retry' };
  if (payment.status === 'succeeded') return { kind: 'record-success' };
  if (payment.status === 'failed') return { kind: 'record-decline' };
  // This attempt is counted in `attempts`: more than one means an earlier one may have reached the gateway.
  if (payment.attempts > 1) return { kind: 'look-up-first', cancelRequested: order.cancelRequested };
  return order.cancelRequested ? { kind: 'cancel-without-charge' } : { kind: 'charge' };
}

/** What the refund step does for a cancelled order, decided from its status and its charge row. */
export type RefundDecision =
  | { kind: 'skip'; status: OrderStatus | 'missing' }
  /** No charge went through: nothing to refund, the stock goes back. */
  | { kind: 'not-charged' }
  /** A charge attempt's outcome is unknown: ask the gateway whether it took the money. */
  | { kind: 'look-up-first' }
  | { kind: 'refund'; paymentKey: string };

export function decideRefund(
  orderStatus: OrderStatus | undefined,
  charge: Pick<PaymentRow, 'status' | 'gateway_payment_key'> | undefined,
): RefundDecision {
  if (orderStatus !== 'CANCEL_REQUESTED') return { kind: 'skip', status: orderStatus ?? 'missing' };
  if (!charge || charge.status === 'failed') return { kind: 'not-charged' };
  if (charge.status === 'succeeded' && charge.gateway_payment_key)
    return { kind: 'refund', paymentKey: charge.gateway_payment_key };
  return { kind: 'look-up-first' };
}
