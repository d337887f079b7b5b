import { Pool, type Dispatcher } from 'undici';
import { retryAfterMs } from '../../shared/retry-after';
import { currentRequestId } from '../../shared/tracing';
import {
  PaymentGatewayUnavailableError,
  type ChargeResult,
  type PaymentGateway,
  type ProviderPayment,
  type RefundResult,
} from './payment-gateway';

interface TossError {
  code?: string;
  message?: string;
}

export { retryAfterMs };

/**
 * Codes Toss documents as temporary ("잠시 후 다시 시도해주세요") or as its own failure: the outcome is
 * unknown or nothing happened, so the job retries (after a lookup). PROVIDER_ERROR comes with HTTP 400 and
 * FORBIDDEN_CONSECUTIVE_REQUEST with 403, so the status alone cannot tell them from a decline.
 */
const RETRYABLE_CODES = new Set([
  'PROVIDER_ERROR',
  'CARD_PROCESSING_ERROR',
  'FORBIDDEN_CONSECUTIVE_REQUEST',
  'FAILED_PAYMENT_INTERNAL_SYSTEM_PROCESSING',
  'FAILED_INTERNAL_SYSTEM_PROCESSING',
  'UNKNOWN_PAYMENT_ERROR',
  'COMMON_ERROR',
  'FAILED_REFUND_PROCESS',
  'FAILED_METHOD_HANDLING_CANCEL',
]);

/** Our secret key or its use is wrong: not the customer's decline; retried (and loud) until someone fixes it. */
const MISCONFIGURED_CODES = new Set([
  'UNAUTHORIZED_KEY',
  'INVALID_API_KEY',
  'INCORRECT_BASIC_AUTH_FORMAT',
  'FORBIDDEN_REQUEST',
]);

/**
 * What an error answer from Toss means for the caller, decided by its code first and its HTTP status second:
 * `retry` (temporary or unknown outcome), `misconfigured` (our key: retry loudly), or `final` (a decline or a
 * refusal that the same request will meet again, e.g. REJECT_CARD_COMPANY with 403, NOT_CANCELABLE_AMOUNT).
 */
export function classifyTossError(
  status: number,
  code: string | undefined,
): 'retry' | 'misconfigured' | 'final' {
  if (code !== undefined && RETRYABLE_CODES.has(code)) return 'retry';
  if (code !== undefined && MISCONFIGURED_CODES.has(code)) return 'misconfigured';
  if (status >= 500 || status === 429 || status === 409) return 'retry';
  if (status === 401 || status === 422) return 'misconfigured';
  return 'final';
}

/** Toss Payments over HTTP: Basic auth with the secret key, the order's trace id on every call. */
export class TossPaymentsGateway implements PaymentGateway {
  /** One keep-alive connection pool to the gateway's origin: undici's request costs far less CPU than fetch. */
  private readonly pool: Pool;
  private readonly authorization: string;

  constructor(private readonly options: { baseUrl: string; secretKey: string; timeoutMs: number }) {
    this.pool = new Pool(new URL(options.baseUrl).origin, { connections: 32, pipelining: 1 });
    this.authorization = `Basic ${Buffer.from(`${options.secretKey}:`).toString('base64')}`;
  }

  private async send(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<{ status: number; json: unknown }> {
    let response: Dispatcher.ResponseData;
    try {
      response = await this.pool.request({
        method,
        path: new URL(path, this.options.baseUrl).pathname,
        headers: {
          authorization: this.authorization,
          'x-request-id': currentRequestId() ?? '',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        // undici's own timers (no AbortSignal per call): the answer's headers, then each gap in its body.
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
    } catch (error) {
      throw new PaymentGatewayUnavailableError(`payment gateway unreachable: ${(error as Error).message}`);
    }
    let json: unknown;
    try {
      json = await response.body.json();
    } catch {
      // Not JSON, or the body was cut off (timeout): the status decides below.
      json = undefined;
    }
    const status = response.statusCode;
    if (status >= 400) {
      const code = (json as TossError | undefined)?.code;
      const kind = classifyTossError(status, code);
      if (kind === 'retry') {
        throw new PaymentGatewayUnavailableError(
          `payment gateway answered ${status} ${code ?? ''}`.trim(),
          retryAfterMs(response.headers['retry-after']),
        );
      }
      if (kind === 'misconfigured') {
        throw new PaymentGatewayUnavailableError(
          `payment gateway refused our request: ${status} ${code ?? ''}`,
        );
      }
    }
    return { status, json };
  }

  /** Drops the pool's connections. Called once the jobs are done or forced: nothing is waited for. */
  async close(): Promise<void> {
    await this.pool.destroy();
  }

  async confirm(request: {
    orderId: string;
    paymentKey: string;
    amount: number;
    idempotencyKey: string;
  }): Promise<ChargeResult> {
    const { status, json } = await this.send(
      'POST',
      '/v1/payments/confirm',
      { paymentKey: request.paymentKey, orderId: request.orderId, amount: request.amount },
      request.idempotencyKey,
    );
    if (status === 200) return { outcome: 'charged', paymentKey: (json as ProviderPayment).paymentKey };
    const error = (json ?? {}) as TossError;
    if (error.code === 'ALREADY_PROCESSED_PAYMENT') return { outcome: 'already-processed' };
    return {
      outcome: 'declined',
      code: error.code ?? `HTTP_${status}`,
      message: error.message ?? 'declined',
    };
  }

  async lookup(orderId: string): Promise<ProviderPayment | null> {
    const { status, json } = await this.send('GET', `/v1/payments/orders/${encodeURIComponent(orderId)}`);
    if (status === 404) return null;
    if (status !== 200) throw new PaymentGatewayUnavailableError(`payment lookup answered ${status}`);
    return json as ProviderPayment;
  }

  async refund(request: {
    paymentKey: string;
    reason: string;
    idempotencyKey: string;
    amount?: number;
  }): Promise<RefundResult> {
    const { status, json } = await this.send(
      'POST',
      `/v1/payments/${encodeURIComponent(request.paymentKey)}/cancel`,
      // Toss cancels the whole balance without cancelAmount, part of it with one (PARTIAL_CANCELED).
      {
        cancelReason: request.reason.slice(0, 200),
        ...(request.amount === undefined ? {} : { cancelAmount: request.amount }),
      },
      request.idempotencyKey,
    );
    if (status === 200) return { outcome: 'refunded' };
    const error = (json ?? {}) as TossError;
    if (error.code === 'ALREADY_CANCELED_PAYMENT') return { outcome: 'already-refunded' };
    return { outcome: 'refused', code: error.code ?? `HTTP_${status}`, message: error.message ?? 'refused' };
  }
}
