import type { DomainName } from './index';

/**
 * Every job an order can have, by queue. A job's id is `<kind>-<orderId>` (BullMQ ids may not be purely
 * numeric nor contain ':'): an idempotency key, so a step handed off twice while its job exists runs once,
 * and the admin's order view finds each job with one lookup.
 */
export const ORDER_JOB_KINDS = {
  orders: ['place', 'cancel', 'clear-cart'],
  stock: ['reserve', 'release'],
  payments: ['charge', 'refund'],
  stats: ['stats-confirmed', 'stats-cancelled'],
} as const satisfies Partial<Record<DomainName, readonly string[]>>;

export type OrderJobKind = (typeof ORDER_JOB_KINDS)[keyof typeof ORDER_JOB_KINDS][number];

/** The id of the order's job of this kind: built here only. */
export const orderJobId = (kind: OrderJobKind, orderId: number): string => `${kind}-${orderId}`;
