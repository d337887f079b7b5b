import { defineQueue, type TracedPayload } from './define-queue';

/** Charges and refunds through the external payment gateway, keyed by order id. */
export type PaymentJobs = {
  charge: PaymentOrderRef;
  refund: PaymentOrderRef;
};

export interface PaymentOrderRef extends TracedPayload {
  orderId: number;
}

export const paymentsQueue = defineQueue<PaymentJobs>('payments', {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1000 },
});
