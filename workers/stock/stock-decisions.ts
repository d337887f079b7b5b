import type { OrderStatus } from '../../shared/orders/order-state-machine';
import type { LockedItem } from '../../shared/orders/orders.repository';

/** What the reservation does with a PENDING order, decided from its locked items and products (no I/O). */
export type ReservationDecision =
  /** Every item can be served: take them all, in one statement. */
  | { kind: 'reserve' }
  /** Some item cannot: the order is REJECTED naming those items, and nothing is taken. */
  | { kind: 'reject'; reason: string }
  /** Placement never writes an order without items; should one exist, it has nothing to take. */
  | { kind: 'nothing-to-take' };

export function decideReservation(items: LockedItem[]): ReservationDecision {
  const short = items.filter(isShort);
  if (short.length > 0)
    return { kind: 'reject', reason: `Not enough stock: ${short.map(describeItem).join(', ')}` };
  return items.length === 0 ? { kind: 'nothing-to-take' } : { kind: 'reserve' };
}

/** The product cannot serve the item: it is gone, no longer active, or has fewer units than asked for. */
function isShort(item: LockedItem): boolean {
  return item.product_status !== 'active' || (item.product_stock ?? 0) < item.quantity;
}

/** How a rejection names an item it could not serve. */
function describeItem(item: LockedItem): string {
  return `${item.product_name} (#${item.product_id}) x${item.quantity}`;
}

type PaymentState = 'pending' | 'succeeded' | 'failed' | 'unknown';

/** What the release step does, decided from the locked order's state and its payments (no I/O). */
export type ReleaseDecision =
  /** A declined order: its reservation goes back; it stays PAYMENT_FAILED. */
  | { kind: 'release' }
  /** A cancel whose money is settled (refunded, or never charged): stock back and CANCELLED, together. */
  | { kind: 'release-and-cancel' }
  /** Already CANCELLED by an earlier run: nothing to give back; its hand-offs are sent again. */
  | { kind: 'report-cancelled' }
  /** Not owed a release: a stray or early job changes nothing (stock held by a live order stays held). */
  | { kind: 'skip'; status: OrderStatus | 'missing' };

/**
 * A release is owed only to a declined order, or to a cancelled one once its charge is refunded or was never
 * made. A release job that arrives otherwise — a duplicate, an operator's retry, a refund still retrying —
 * must not give back stock a live order holds, nor end a cancel before its refund.
 */
export function decideRelease(
  status: OrderStatus | undefined,
  payments: { kind: 'charge' | 'refund'; status: PaymentState }[],
): ReleaseDecision {
  if (status === 'PAYMENT_FAILED') return { kind: 'release' };
  if (status === 'CANCELLED') return { kind: 'report-cancelled' };
  if (status !== 'CANCEL_REQUESTED') return { kind: 'skip', status: status ?? 'missing' };
  const charged = payments.some((payment) => payment.kind === 'charge' && payment.status === 'succeeded');
  const refunded = payments.some((payment) => payment.kind === 'refund' && payment.status === 'succeeded');
  return charged && !refunded ? { kind: 'skip', status } : { kind: 'release-and-cancel' };
}
