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
    if (status >= 500 || status === 429 || status === 409) {
      throw new PaymentGatewayUnavailableError(
        `payment gateway answered ${status}`,
        retryAfterMs(response.headers['retry-after']),
      );
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
    if (status === 401 || status === 403 || status === 422) {
      // Our own misconfiguration or a key-reuse bug: not the customer's decline, so keep it retryable and loud.
      throw new PaymentGatewayUnavailableError(
        `payment gateway refused our request: ${status} ${error.code ?? ''}`,
      );
    }
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
  }): Promise<RefundResult> {
    const { status, json } = await this.send(
      'POST',
      `/v1/payments/${encodeURIComponent(request.paymentKey)}/cancel`,
      { cancelReason: request.reason },
      request.idempotencyKey,
    );
    if (status === 200) return { outcome: 'refunded' };
    const error = (json ?? {}) as TossError;
    if (error.code === 'ALREADY_CANCELED_PAYMENT') return { outcome: 'already-refunded' };
    if (status === 401 || status === 403 || status === 422) {
      throw new PaymentGatewayUnavailableError(
        `payment gateway refused our request: ${status} ${error.code ?? ''}`,
      );
    }
    return { outcome: 'refused', code: error.code ?? `HTTP_${status}`, message: error.message ?? 'refused' };
  }
}
