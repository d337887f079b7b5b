/**
 * What the payments worker needs from a payment provider. `TossPaymentsGateway` implements it over
 * Toss Payments' REST API (confirm / lookup by order id / cancel); the project's fake speaks the same API,
 * so local runs and tests exercise the real adapter.
 */
export interface PaymentGateway {
  /** Charges once per idempotency key. */
  confirm(request: {
    orderId: string;
    paymentKey: string;
    amount: number;
    idempotencyKey: string;
  }): Promise<ChargeResult>;
  /** The provider's record of the order's payment, or null when it has none. */
  lookup(orderId: string): Promise<ProviderPayment | null>;
  /** Refunds the whole payment (or `amount` of it) once per idempotency key. */
  refund(request: {
    paymentKey: string;
    reason: string;
    idempotencyKey: string;
    amount?: number;
  }): Promise<RefundResult>;
  /** Closes the client's connections (worker shutdown). */
  close(): Promise<void>;
}

export interface ProviderPayment {
  paymentKey: string;
  /** DONE (paid), CANCELED / PARTIAL_CANCELED (refunded), ABORTED (the approval failed), EXPIRED, ... */
  status: 'DONE' | 'CANCELED' | 'PARTIAL_CANCELED' | 'ABORTED' | 'EXPIRED' | string;
  totalAmount: number;
  balanceAmount?: number;
}

export type ChargeResult =
  | { outcome: 'charged'; paymentKey: string }
  /** The provider refused the payment: final, never retried. */
  | { outcome: 'declined'; code: string; message: string }
  /** The same order was already paid (under another key); look it up. */
  | { outcome: 'already-processed' };

export type RefundResult =
  | { outcome: 'refunded' }
  | { outcome: 'already-refunded' }
  | { outcome: 'refused'; code: string; message: string };

/** The attempt's outcome is unknown (timeout, connection lost, 5xx, 429): retry after a lookup. */
export class PaymentGatewayUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'PaymentGatewayUnavailableError';
  }
}
