import { defineQueue, type TracedPayload } from './define-queue';

/** Stock reservation and release for orders, applied once per (order, product, kind) by the ledger. */
export type StockJobs = {
  reserve: StockOrderRef;
  release: StockOrderRef;
};

export interface StockOrderRef extends TracedPayload {
  orderId: number;
}

export const stockQueue = defineQueue<StockJobs>('stock', {
  attempts: 8,
  backoff: { type: 'exponential', delay: 500 },
});
