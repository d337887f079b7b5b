import { defineQueue, type TracedPayload } from './define-queue';

/** Sales aggregates: per-order events, the repeatable reconciliation and on-demand rebuilds. */
export type StatsJobs = {
  'order-confirmed': StatsOrderEvent;
  'order-cancelled': StatsOrderEvent;
  reconcile: TracedPayload;
  rebuild: StatsRebuild;
};

export interface StatsOrderEvent extends TracedPayload {
  orderId: number;
}

export interface StatsRebuild extends TracedPayload {
  /** Inclusive days in the shop's time zone, YYYY-MM-DD. */
  from: string;
  to: string;
}

export const statsQueue = defineQueue<StatsJobs>('stats', {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
});
