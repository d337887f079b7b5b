/**
 * The order state machine:
 *   PENDING → STOCK_RESERVED → CONFIRMED → CANCEL_REQUESTED → CANCELLED
 *   PENDING → REJECTED (not enough stock) · PENDING → CANCELLED (cancelled before reservation)
 *   STOCK_RESERVED → PAYMENT_FAILED (declined; stock released)
 * Every transition is a conditional update on the expected status, so a duplicate job is a no-op.
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

/** States no job will move an order out of (CONFIRMED only moves on a customer's cancel). */
export const SETTLED_STATUSES: readonly OrderStatus[] = [
  'CONFIRMED',
  'REJECTED',
  'PAYMENT_FAILED',
  'CANCELLED',
];

export const isSettled = (status: OrderStatus): boolean => SETTLED_STATUSES.includes(status);

/** Orders in these states hold stock. */
export const STOCK_HOLDING_STATUSES: readonly OrderStatus[] = [
  'STOCK_RESERVED',
  'CONFIRMED',
  'CANCEL_REQUESTED',
];
