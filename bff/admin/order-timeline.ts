import type { OrderStatus } from '../../shared/orders/order-state-machine';

/** One line of an order's story for the console, oldest first. */
export interface TimelineEntry {
  at: string;
  type: 'status' | 'cancel' | 'payment' | 'stock' | 'job';
  /** For `status` entries: the state the order entered. */
  status?: OrderStatus;
  summary: string;
  /**
   * False when the time is read off another record rather than stored for the move itself: STOCK_RESERVED
   * takes its reserve ledger row's time (same transaction), REJECTED and PAYMENT_FAILED the order's last
   * update (nothing changes a final order after it).
   */
  exact: boolean;
}

export interface TimelineInput {
  order: {
    status: OrderStatus;
    failureReason: string | null;
    createdAt: Date;
    updatedAt: Date;
    confirmedAt: Date | null;
    cancelRequestedAt: Date | null;
    cancelledAt: Date | null;
  };
  payments: {
    kind: 'charge' | 'refund';
    status: string;
    amount: number;
    attempts: number;
    lastError: string | null;
    createdAt: Date;
    updatedAt: Date;
  }[];
  stockMoves: { productId: number; kind: string; quantity: number; at: Date }[];
  jobs: {
    name: string;
    state: string;
    attemptsMade: number;
    failedReason: string | null;
    createdAt: string | null;
    finishedAt: string | null;
  }[];
}

const TYPE_ORDER: Record<TimelineEntry['type'], number> = {
  status: 0,
  cancel: 1,
  stock: 2,
  payment: 3,
  job: 4,
};

/**
 * The order's story from what the database and the queues keep: its own timestamps (created, confirmed,
 * cancel requested, cancelled), the stock ledger, the payment attempts and the jobs. Orders keep no
 * separate history table; each state's time is derived as {@link TimelineEntry.exact} says.
 */
export function orderTimeline({ order, payments, stockMoves, jobs }: TimelineInput): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const status = (at: Date, to: OrderStatus, summary: string, exact = true) =>
    entries.push({ at: at.toISOString(), type: 'status', status: to, summary, exact });

  status(order.createdAt, 'PENDING', 'Order placed');
  const reserved = stockMoves.find((move) => move.kind === 'reserve');
  if (reserved) status(reserved.at, 'STOCK_RESERVED', 'Stock reserved', false);
  if (order.confirmedAt) status(order.confirmedAt, 'CONFIRMED', 'Payment succeeded: order confirmed');
  if (order.cancelRequestedAt)
    entries.push({
      at: order.cancelRequestedAt.toISOString(),
      type: 'cancel',
      summary: 'Cancellation requested',
      exact: true,
    });
  if (order.status === 'CANCEL_REQUESTED' && order.cancelRequestedAt)
    status(order.cancelRequestedAt, 'CANCEL_REQUESTED', 'Waiting for the refund and the stock release');
  if (order.cancelledAt) status(order.cancelledAt, 'CANCELLED', 'Order cancelled');
  if (order.status === 'REJECTED' || order.status === 'PAYMENT_FAILED')
    status(
      order.updatedAt,
      order.status,
      order.status === 'REJECTED'
        ? `Rejected${order.failureReason ? `: ${order.failureReason}` : ''}`
        : `Payment failed${order.failureReason ? `: ${order.failureReason}` : ''}`,
      false,
    );

  for (const move of stockMoves)
    entries.push({
      at: move.at.toISOString(),
      type: 'stock',
      summary: `Stock ${move.kind} of product ${move.productId}: ${move.quantity > 0 ? '+' : ''}${move.quantity}`,
      exact: true,
    });

  for (const payment of payments) {
    entries.push({
      at: payment.createdAt.toISOString(),
      type: 'payment',
      summary: `${payment.kind === 'charge' ? 'Charge' : 'Refund'} of ${payment.amount} won started`,
      exact: true,
    });
    if (payment.status !== 'pending')
      entries.push({
        at: payment.updatedAt.toISOString(),
        type: 'payment',
        summary:
          `${payment.kind === 'charge' ? 'Charge' : 'Refund'} ${payment.status} after ` +
          `${payment.attempts} attempt${payment.attempts === 1 ? '' : 's'}` +
          (payment.lastError ? ` (${payment.lastError})` : ''),
        exact: true,
      });
  }

  for (const job of jobs) {
    const at = job.finishedAt ?? job.createdAt;
    if (!at) continue;
    entries.push({
      at,
      type: 'job',
      summary:
        `Job ${job.name} ${job.state} (${job.attemptsMade} attempt${job.attemptsMade === 1 ? '' : 's'})` +
        (job.failedReason ? `: ${job.failedReason}` : ''),
      exact: true,
    });
  }

  return entries
    .map((entry, index) => ({ entry, index }))
    .sort(
      (a, b) =>
        a.entry.at.localeCompare(b.entry.at) ||
        TYPE_ORDER[a.entry.type] - TYPE_ORDER[b.entry.type] ||
        a.index - b.index,
    )
    .map(({ entry }) => entry);
}
