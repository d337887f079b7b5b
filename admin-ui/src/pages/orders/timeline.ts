/**
 * An order's story as one list sorted by time: state changes, payment attempts (charges and refunds), stock
 * moves and queue jobs. Pure, so the page just renders it.
 */
import type { OrderDetail } from './types';

export type TimelineKind = 'state' | 'payment' | 'stock' | 'job' | 'failure';

export interface TimelineEntry {
  at: string;
  kind: TimelineKind;
  /** A message key suffix (orders.event.<what>) and its values. */
  what: string;
  values: Record<string, string | number>;
  /** Extra text shown as is (an error message, a reason). */
  note?: string | null;
  /** A link into the queue dashboard. */
  href?: string;
  /** The time is read off another record, not stored for this move. */
  approximate?: boolean;
}

export function buildTimeline(detail: OrderDetail): TimelineEntry[] {
  const { order, jobs } = detail;
  const entries: TimelineEntry[] = [];
  const server = detail.timeline?.filter((entry) => entry.type === 'status' || entry.type === 'cancel');
  if (server && server.length > 0) {
    // The API derives each state's time (the reserve ledger row for STOCK_RESERVED, ...): take those.
    for (const entry of server) {
      const status = entry.type === 'cancel' ? 'cancel' : (entry.status ?? '?');
      entries.push({
        at: entry.at,
        kind: status === 'REJECTED' || status === 'PAYMENT_FAILED' ? 'failure' : 'state',
        what: entry.type === 'cancel' ? 'cancel' : status === 'PENDING' ? 'placed' : 'status',
        values: { status },
        note: status === 'REJECTED' || status === 'PAYMENT_FAILED' ? order.failureReason : null,
        approximate: !entry.exact,
      });
    }
  } else {
    // An API without a timeline: the times the order row keeps.
    entries.push({ at: order.createdAt, kind: 'state', what: 'placed', values: { status: 'PENDING' } });
    if (order.confirmedAt)
      entries.push({ at: order.confirmedAt, kind: 'state', what: 'status', values: { status: 'CONFIRMED' } });
    if (order.cancelRequestedAt)
      entries.push({
        at: order.cancelRequestedAt,
        kind: 'state',
        what: 'status',
        values: { status: 'CANCEL_REQUESTED' },
      });
    if (order.cancelledAt)
      entries.push({ at: order.cancelledAt, kind: 'state', what: 'status', values: { status: 'CANCELLED' } });
    const shown = new Set(entries.map((entry) => entry.values.status));
    if (!shown.has(order.status))
      entries.push({
        at: order.updatedAt,
        kind: order.status === 'REJECTED' || order.status === 'PAYMENT_FAILED' ? 'failure' : 'state',
        what: 'status',
        values: { status: order.status },
        note: order.failureReason,
      });
  }
  for (const payment of order.payments) {
    entries.push({
      at: payment.createdAt,
      kind: 'payment',
      what: `${payment.kind}.started`,
      values: { amount: payment.amount },
    });
    if (payment.updatedAt !== payment.createdAt || payment.status !== 'pending')
      entries.push({
        at: payment.updatedAt,
        kind: payment.status === 'failed' ? 'failure' : 'payment',
        what: `${payment.kind}.result`,
        values: { amount: payment.amount, status: payment.status, attempts: payment.attempts },
        note: payment.lastError,
      });
  }
  for (const move of order.stockMoves) {
    entries.push({
      at: move.at,
      kind: 'stock',
      what: 'stock',
      values: { kind: move.kind, productId: move.productId, quantity: move.quantity },
    });
  }
  for (const job of jobs ?? []) {
    const at = job.finishedAt ?? job.processedAt ?? job.createdAt;
    if (!at) continue;
    entries.push({
      at,
      kind: job.state === 'failed' ? 'failure' : 'job',
      what: 'job',
      values: {
        name: job.name,
        queue: job.queue,
        state: job.state,
        attempts: job.attemptsMade,
        maxAttempts: job.maxAttempts,
      },
      note: job.failedReason,
      href: job.dashboard,
    });
  }
  // Oldest first; at the same instant, the state change before what it caused.
  const rank: Record<TimelineKind, number> = { state: 0, failure: 1, stock: 2, payment: 3, job: 4 };
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || rank[a.kind] - rank[b.kind]);
}
