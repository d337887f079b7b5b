/**
 * The order state machine, defined once: the states, the moves between them, the step each state is owed,
 * which states a customer may cancel and which are final. Every writer of an order's status (the orders
 * repository's statement builders), the sweeper, the BFF's cancel and the admin views ask this module.
 *
 *   PENDING ──reserve──> STOCK_RESERVED ──charge──> CONFIRMED
 *      │                    │    │                     │ cancel
 *      │ no stock           │    │ declined            ▼
 *      ▼                    │    ▼               CANCEL_REQUESTED ──refund, release──> CANCELLED
 *   REJECTED                │  PAYMENT_FAILED (stock released)          ▲
 *                           └── cancel requested: no charge (or a refund) ┘
 *   PENDING ──cancel──> CANCELLED (nothing was taken yet)
 *
 * A cancel is a durable request: the BFF records it on the row (`cancel_requested_at`) in the statement that
 * answers the customer, and the state it leaves the order in says who finishes it (see CANCEL_MOVES).
 * Every move is one conditional UPDATE (`WHERE status IN (<from>)`), so a duplicate job is a no-op; a move
 * this table does not allow is a programming error, thrown when the statement is built.
 */
export const ORDER_STATUSES = [
  'PENDING',
  'STOCK_RESERVED',
  'CONFIRMED',
  'CANCEL_REQUESTED',
  'REJECTED',
  'PAYMENT_FAILED',
  'CANCELLED',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Every allowed move: from → the states it may go to. */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: ['STOCK_RESERVED', 'REJECTED', 'CANCELLED'],
  // CANCEL_REQUESTED: a cancel was asked for while the charge was owed (refunded if a charge went through).
  STOCK_RESERVED: ['CONFIRMED', 'PAYMENT_FAILED', 'CANCEL_REQUESTED'],
  CONFIRMED: ['CANCEL_REQUESTED'],
  CANCEL_REQUESTED: ['CANCELLED'],
  REJECTED: [],
  PAYMENT_FAILED: [],
  CANCELLED: [],
};

/** A move the table above does not allow: a bug in the code that asked for it, never a runtime outcome. */
export class IllegalTransitionError extends Error {
  constructor(from: OrderStatus, to: OrderStatus) {
    super(`illegal order transition ${from} → ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

export const canTransition = (from: OrderStatus, to: OrderStatus): boolean =>
  ORDER_TRANSITIONS[from].includes(to);

/** Throws {@link IllegalTransitionError} unless every `from` may move to `to`. */
export function assertTransition(from: OrderStatus | readonly OrderStatus[], to: OrderStatus): void {
  for (const status of typeof from === 'string' ? [from] : from)
    if (!canTransition(status, to)) throw new IllegalTransitionError(status, to);
}

/** States no move leaves: the order's story is over. */
export const FINAL_STATUSES: readonly OrderStatus[] = ORDER_STATUSES.filter(
  (status) => ORDER_TRANSITIONS[status].length === 0,
);

export const isFinal = (status: OrderStatus): boolean => FINAL_STATUSES.includes(status);

/**
 * States no job moves an order out of by itself: the final ones and CONFIRMED (which moves only on a
 * customer's cancel). `Prefer: wait` and the event stream end here.
 */
export const SETTLED_STATUSES: readonly OrderStatus[] = ['CONFIRMED', ...FINAL_STATUSES];

export const isSettled = (status: OrderStatus): boolean => SETTLED_STATUSES.includes(status);

/** Orders in these states hold stock. */
export const STOCK_HOLDING_STATUSES: readonly OrderStatus[] = [
  'STOCK_RESERVED',
  'CONFIRMED',
  'CANCEL_REQUESTED',
];

/**
 * What accepting a cancel does to an order in each cancellable state, in the same statement that records
 * the request: a PENDING order has taken nothing, so it is CANCELLED at once; a CONFIRMED one is refunded
 * next; a STOCK_RESERVED one stays where it is, and its charge step, seeing the request, charges nothing
 * (or refunds what an earlier attempt took). Asking again changes nothing and re-drives the owed step.
 */
export const CANCEL_MOVES: Readonly<Partial<Record<OrderStatus, OrderStatus>>> = {
  PENDING: 'CANCELLED',
  STOCK_RESERVED: 'STOCK_RESERVED',
  CONFIRMED: 'CANCEL_REQUESTED',
  CANCEL_REQUESTED: 'CANCEL_REQUESTED',
};

export const CANCELLABLE_STATUSES = Object.keys(CANCEL_MOVES) as OrderStatus[];

export const isCancellable = (status: OrderStatus): boolean => CANCEL_MOVES[status] !== undefined;

/** The work an order can be owed; each is one job (queues/order-job-ids.ts builds its id). */
export type OrderStep = 'reserve' | 'charge' | 'refund' | 'release';

/** What the owed step is decided from: the order's row (and, for a failed payment, its stock ledger). */
export interface OrderProgress {
  status: OrderStatus;
  /** A PAYMENT_FAILED order whose reservation has not been given back yet. */
  stockUnreleased?: boolean;
}

/**
 * The step an order still needs, derived from its row alone, so the sweeper can re-drive any order the
 * queue forgot: null when nothing is owed (settled, or waiting for a customer).
 */
export function owedStep(order: OrderProgress): OrderStep | null {
  switch (order.status) {
    case 'PENDING':
      return 'reserve';
    case 'STOCK_RESERVED':
      return 'charge'; // which honours a cancel request
    case 'CANCEL_REQUESTED':
      return 'refund'; // then release
    case 'PAYMENT_FAILED':
      return order.stockUnreleased ? 'release' : null;
    default:
      return null;
  }
}

/** The states the sweeper looks at: those that owe a step. */
export const WORKING_STATUSES: readonly OrderStatus[] = ['PENDING', 'STOCK_RESERVED', 'CANCEL_REQUESTED'];
