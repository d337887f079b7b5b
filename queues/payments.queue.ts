import { HINTED_EXPONENTIAL_BACKOFF, defineQueue, type TracedPayload } from './define-queue';

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
  // The gateway's Retry-After on a 429/503 sets the floor of the next delay (PaymentGatewayUnavailableError).
  backoff: { type: HINTED_EXPONENTIAL_BACKOFF, delay: 1000 },
});
