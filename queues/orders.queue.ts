import { defineQueue, type TracedPayload } from './define-queue';

/** The order state machine's driver: placement, cancellation and the sweeper for stuck orders. */
export type OrderJobs = {
  place: OrderRef;
  cancel: OrderRef;
  sweep: TracedPayload;
  /** Removes a confirmed cart order's purchased lines from the user's cart. */
  'clear-cart': OrderRef;
};

export interface OrderRef extends TracedPayload {
  orderId: number;
}

export const ordersQueue = defineQueue<OrderJobs>('orders', {
  attempts: 8,
  backoff: { type: 'exponential', delay: 500 },
});
