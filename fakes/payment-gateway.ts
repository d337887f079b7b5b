/**
 * A fake Korean payment gateway shaped like Toss Payments' core API (confirm, lookup by order id, cancel),
 * with idempotency keys and fault knobs so the payments worker can be tested against timeouts, 5xx,
 * declines and the "charged, but the response was lost" case.
 */
import type express from 'express';
import { z } from 'zod';
import { createFakeApp, serveControlRoutes } from './fake-app';
import {
  type CallLogOptions,
  type CallRecord,
  type ListenOptions,
  type StartedFake,
  answerServerError,
  answerThrottled,
  chance,
  createLifecycle,
  createRandom,
  errorJson,
  holdUntilClientLeaves,
  listenFake,
  newId,
  notFoundJson,
  parseOr400,
  newestFirst,
  requestIdOf,
  waitLatency,
} from './fake-server';

export interface PaymentGatewayKnobs {
  /** Delay before every /v1 answer. */
  latencyMs: number;
  /** Probability (0..1) that a confirm is declined (not charged). */
  declineRate: number;
  /** Probability that a /v1 call answers 500 or 503 without doing anything. */
  errorRate: number;
  /** Probability that a /v1 call never answers (nothing done; the socket is held until the client leaves). */
  timeoutRate: number;
  /** Probability that a confirm or cancel is carried out, then the connection is destroyed unanswered. */
  lostResponseRate: number;
  /** Confirms for these order ids are always declined. */
  declineOrderIds: string[];
  /** The next this many /v1 calls answer 429 TOO_MANY_REQUESTS with `Retry-After`, doing nothing. */
  throttleNextCalls: number;
  /** The `Retry-After` seconds of those 429 answers. */
  throttleRetryAfterSeconds: number;
  /** The next this many confirms/cancels answer 400 PROVIDER_ERROR (Toss's "temporary, try again"), doing nothing. */
  providerErrorNextCalls: number;
  /** The code a declined confirm answers with: REJECT_CARD_PAYMENT (403, default) or another documented decline. */
  declineCode: DeclineCode;
}

/** Declines Toss documents for the confirm API, with their HTTP status (docs.tosspayments.com/reference/error-codes). */
export const DECLINES = {
  REJECT_CARD_PAYMENT: { status: 403, message: '한도초과 혹은 잔액부족으로 결제에 실패했습니다.' },
  REJECT_CARD_COMPANY: { status: 403, message: '결제 승인이 거절되었습니다.' },
  INVALID_STOPPED_CARD: { status: 400, message: '정지된 카드 입니다.' },
  EXCEED_MAX_DAILY_PAYMENT_COUNT: { status: 400, message: '하루 결제 가능 횟수를 초과했습니다.' },
  NOT_FOUND_PAYMENT_SESSION: {
    status: 404,
    message: '결제 시간이 만료되어 결제 진행 데이터가 존재하지 않습니다.',
  },
} as const;
export type DeclineCode = keyof typeof DECLINES;

/** Toss keeps an Idempotency-Key for 15 days from its first use. */
export const IDEMPOTENCY_KEY_TTL_MS = 15 * 24 * 3600 * 1000;

export interface PaymentGatewayOptions extends Partial<PaymentGatewayKnobs>, CallLogOptions {
  /** Expected in `Authorization: Basic base64(secretKey + ':')`. Default 'test_sk_voltmall'. */
  secretKey?: string;
  /** PRNG seed for the rate knobs. Default 1. */
  seed?: number;
  /** How long an Idempotency-Key is remembered (Toss: 15 days); tests shorten it. */
  idempotencyKeyTtlMs?: number;
}

/** Toss's statuses a confirm can leave: DONE, or ABORTED when the approval failed; then the cancels. */
export type PaymentStatus = 'DONE' | 'PARTIAL_CANCELED' | 'CANCELED' | 'ABORTED';

export interface PaymentCancel {
  transactionKey: string;
  cancelReason: string;
  cancelAmount: number;
  refundableAmount: number;
  cancelStatus: 'DONE';
  canceledAt: string;
}

/** The payment object, as Toss returns it (only the fields this shop uses). */
export interface Payment {
  mId: string;
  version: string;
  type: 'NORMAL';
  country: 'KR';
  lastTransactionKey: string | null;
  paymentKey: string;
  orderId: string;
  status: PaymentStatus;
  isPartialCancelable: boolean;
  /** Why the approval failed (ABORTED), as Toss shows it on the payment; null otherwise. */
  failure: { code: string; message: string } | null;
  method: string;
  currency: 'KRW';
  totalAmount: number;
  balanceAmount: number;
  requestedAt: string;
  approvedAt: string | null;
  cancels: PaymentCancel[] | null;
}

export interface ChargeRecord {
  orderId: string;
  paymentKey: string;
  amount: number;
  idempotencyKey: string;
  requestId: string | null;
  at: string;
}

export interface RefundRecord {
  orderId: string;
  paymentKey: string;
  amount: number;
  cancelReason: string;
  idempotencyKey: string;
  requestId: string | null;
  at: string;
}

interface StoredResponse {
  status: number;
  body: object;
  expiresAt: number;
}

export interface PaymentGatewayState {
  knobs: PaymentGatewayKnobs;
  charges: ChargeRecord[];
  refunds: RefundRecord[];
  /** By paymentKey. */
  payments: Map<string, Payment>;
  paymentKeyByOrderId: Map<string, string>;
  /** By `METHOD path idempotency-key`: Toss scopes a key to its API key, URL and method. */
  idempotentResponses: Map<string, StoredResponse>;
  calls: CallRecord[];
}

const rateSchema = z.number().min(0).max(1);
const knobsSchema = z.strictObject({
  latencyMs: z.int().min(0).max(600_000).optional(),
  declineRate: rateSchema.optional(),
  errorRate: rateSchema.optional(),
  timeoutRate: rateSchema.optional(),
  lostResponseRate: rateSchema.optional(),
  declineOrderIds: z.array(z.string().min(1)).optional(),
  throttleNextCalls: z.int().min(0).max(1_000_000).optional(),
  throttleRetryAfterSeconds: z.int().min(1).max(3600).optional(),
  providerErrorNextCalls: z.int().min(0).max(1_000_000).optional(),
  declineCode: z.enum(Object.keys(DECLINES) as [DeclineCode, ...DeclineCode[]]).optional(),
  seed: z.int().optional(),
});

// Toss limits: orderId 6..64 of [A-Za-z0-9_-] (we allow shorter ids such as database keys), paymentKey ≤ 200.
const orderIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'orderId may hold only letters, digits, - and _');
const paymentKeySchema = z.string().min(1).max(200);
const amountSchema = z.int().positive().max(Number.MAX_SAFE_INTEGER);
const idempotencyKeySchema = z.string().min(1).max(300);

const confirmBodySchema = z.object({
  paymentKey: paymentKeySchema,
  orderId: orderIdSchema,
  amount: amountSchema,
});
const cancelBodySchema = z.object({
  cancelReason: z.string().min(1).max(200),
  cancelAmount: amountSchema.optional(),
});

type Outcome = { status: number; body: object };

const tossError = (code: string) => (message: string) => ({ code, message });
const invalidRequest = tossError('INVALID_REQUEST');

/** Toss prints times in KST with an explicit offset, e.g. 2024-05-01T13:45:00+09:00. */
function kstTimestamp(date: Date): string {
  return new Date(date.getTime() + 9 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+09:00');
}

export function createPaymentGatewayApp(options: PaymentGatewayOptions = {}): {
  app: express.Express;
  state: PaymentGatewayState;
  dispose(): void;
} {
  const secretKey = options.secretKey ?? 'test_sk_voltmall';
  const idempotencyKeyTtlMs = options.idempotencyKeyTtlMs ?? IDEMPOTENCY_KEY_TTL_MS;
  const initialKnobs: PaymentGatewayKnobs = {
    latencyMs: options.latencyMs ?? 0,
    declineRate: options.declineRate ?? 0,
    errorRate: options.errorRate ?? 0,
    timeoutRate: options.timeoutRate ?? 0,
    lostResponseRate: options.lostResponseRate ?? 0,
    throttleNextCalls: options.throttleNextCalls ?? 0,
    throttleRetryAfterSeconds: options.throttleRetryAfterSeconds ?? 1,
    providerErrorNextCalls: options.providerErrorNextCalls ?? 0,
    declineCode: options.declineCode ?? 'REJECT_CARD_PAYMENT',
    declineOrderIds: [...(options.declineOrderIds ?? [])],
  };
  knobsSchema.parse({ ...initialKnobs, seed: options.seed });
  const initialSeed = options.seed ?? 1;
  let random = createRandom(initialSeed);
  const lifecycle = createLifecycle();

  const state: PaymentGatewayState = {
    knobs: structuredClone(initialKnobs),
    charges: [],
    refunds: [],
    payments: new Map(),
    paymentKeyByOrderId: new Map(),
    idempotentResponses: new Map(),
    calls: [],
  };

  function confirmPayment(
    body: z.infer<typeof confirmBodySchema>,
    idempotencyKey: string | null,
    requestId: string | null,
  ): Outcome {
    const processed = (paymentKey: string | undefined) => {
      const payment = paymentKey === undefined ? undefined : state.payments.get(paymentKey);
      return payment !== undefined && payment.status !== 'ABORTED';
    };
    if (processed(state.paymentKeyByOrderId.get(body.orderId)) || processed(body.paymentKey)) {
      return {
        status: 400,
        body: { code: 'ALREADY_PROCESSED_PAYMENT', message: '이미 처리된 결제 입니다.' },
      };
    }
    const now = new Date();
    const base = {
      mId: 'voltmall',
      version: '2022-11-16',
      type: 'NORMAL',
      country: 'KR',
      paymentKey: body.paymentKey,
      orderId: body.orderId,
      isPartialCancelable: true,
      method: '카드',
      currency: 'KRW',
      totalAmount: body.amount,
      balanceAmount: body.amount,
      requestedAt: kstTimestamp(now),
      cancels: null,
    } as const;
    if (state.knobs.declineOrderIds.includes(body.orderId) || chance(random, state.knobs.declineRate)) {
      // Toss keeps the failed approval: a lookup by order id shows it ABORTED, with the failure.
      const code = state.knobs.declineCode;
      const { status, message } = DECLINES[code];
      const aborted: Payment = {
        ...base,
        status: 'ABORTED',
        lastTransactionKey: null,
        approvedAt: null,
        failure: { code, message },
      };
      state.payments.set(aborted.paymentKey, aborted);
      state.paymentKeyByOrderId.set(aborted.orderId, aborted.paymentKey);
      return { status, body: { code, message } };
    }
    const payment: Payment = {
      ...base,
      status: 'DONE',
      lastTransactionKey: newId('tx'),
      approvedAt: kstTimestamp(now),
      failure: null,
    };
    state.payments.set(payment.paymentKey, payment);
    state.paymentKeyByOrderId.set(payment.orderId, payment.paymentKey);
    state.charges.push({
      orderId: payment.orderId,
      paymentKey: payment.paymentKey,
      amount: payment.totalAmount,
      idempotencyKey: idempotencyKey ?? '',
      requestId,
      at: now.toISOString(),
    });
    return { status: 200, body: structuredClone(payment) };
  }

  function cancelPayment(
    paymentKey: string,
    body: z.infer<typeof cancelBodySchema>,
    idempotencyKey: string | null,
    requestId: string | null,
  ): Outcome {
    const payment = state.payments.get(paymentKey);
    if (payment === undefined) {
      return { status: 404, body: { code: 'NOT_FOUND_PAYMENT', message: '존재하지 않는 결제 정보 입니다.' } };
    }
    if (payment.status === 'ABORTED') {
      return {
        status: 403,
        body: { code: 'NOT_CANCELABLE_PAYMENT', message: '취소 할 수 없는 결제 입니다.' },
      };
    }
    if (payment.status === 'CANCELED') {
      return { status: 400, body: { code: 'ALREADY_CANCELED_PAYMENT', message: '이미 취소된 결제 입니다.' } };
    }
    const cancelAmount = body.cancelAmount ?? payment.balanceAmount;
    if (cancelAmount > payment.balanceAmount) {
      return {
        status: 403,
        body: { code: 'NOT_CANCELABLE_AMOUNT', message: '취소 할 수 없는 금액 입니다.' },
      };
    }
    const now = new Date();
    const transactionKey = newId('tx');
    payment.lastTransactionKey = transactionKey;
    payment.balanceAmount -= cancelAmount;
    payment.status = payment.balanceAmount === 0 ? 'CANCELED' : 'PARTIAL_CANCELED';
    payment.cancels = [
      ...(payment.cancels ?? []),
      {
        transactionKey,
        cancelReason: body.cancelReason,
        cancelAmount,
        refundableAmount: payment.balanceAmount,
        cancelStatus: 'DONE',
        canceledAt: kstTimestamp(now),
      },
    ];
    state.refunds.push({
      orderId: payment.orderId,
      paymentKey,
      amount: cancelAmount,
      cancelReason: body.cancelReason,
      idempotencyKey: idempotencyKey ?? '',
      requestId,
      at: now.toISOString(),
    });
    return { status: 200, body: structuredClone(payment) };
  }

  /**
   * Runs `operation` once per (method, path, Idempotency-Key), as Toss does: its key is scoped to the API key,
   * the URL and the method — not the body — and kept 15 days, so a repeat within them gets the first answer
   * back, whatever its body. Without the (optional) header every request is carried out.
   */
  function idempotent(
    operation: (
      req: express.Request,
      res: express.Response,
      idempotencyKey: string | null,
    ) => Outcome | undefined,
  ) {
    return (req: express.Request, res: express.Response): void => {
      const header = req.get('idempotency-key');
      const idempotencyKey =
        header === undefined
          ? null
          : parseOr400(idempotencyKeySchema, header, res, (message) =>
              invalidRequest(`Idempotency-Key must be 1..300 characters: ${message}`),
            );
      if (idempotencyKey === undefined) return;
      const scope = idempotencyKey === null ? undefined : `${req.method} ${req.path} ${idempotencyKey}`;
      const now = Date.now();
      let stored = scope === undefined ? undefined : state.idempotentResponses.get(scope);
      if (stored !== undefined && stored.expiresAt <= now) stored = undefined;
      if (stored === undefined) {
        if (state.knobs.providerErrorNextCalls > 0) {
          state.knobs.providerErrorNextCalls -= 1;
          res.status(400).json({
            code: 'PROVIDER_ERROR',
            message: '일시적인 오류가 발생했습니다. 잠시 후 다시 시도해주세요.',
          });
          return;
        }
        const outcome = operation(req, res, idempotencyKey);
        if (outcome === undefined) return; // the operation answered a validation error itself
        stored = { ...outcome, expiresAt: now + idempotencyKeyTtlMs };
        if (scope !== undefined) state.idempotentResponses.set(scope, stored);
      } else {
        res.set('Idempotent-Replayed', 'true');
      }
      if (chance(random, state.knobs.lostResponseRate)) {
        req.socket.destroy();
        return;
      }
      res.status(stored.status).json(stored.body);
    };
  }

  const app = createFakeApp({ calls: state.calls, onCallEnd: options.onCallEnd, jsonLimit: '100kb' });

  app.use('/v1', async (req, res, next) => {
    const expected = `Basic ${Buffer.from(`${secretKey}:`).toString('base64')}`;
    if (req.get('authorization') !== expected) {
      res.status(401).json({
        code: 'UNAUTHORIZED_KEY',
        message: '인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.',
      });
      return;
    }
    if (!(await waitLatency(req, state.knobs.latencyMs, lifecycle.shutdownSignal))) return;
    const throttled = {
      code: 'TOO_MANY_REQUESTS',
      message: '요청량이 초과되었습니다. 잠시 후 다시 시도해주세요.',
    };
    if (answerThrottled(res, state.knobs, throttled)) return;
    if (chance(random, state.knobs.timeoutRate)) {
      await holdUntilClientLeaves(req, lifecycle.shutdownSignal);
      return;
    }
    const serverErrors = {
      unavailable: { code: 'SERVICE_UNAVAILABLE', message: '일시적으로 서비스를 이용할 수 없습니다.' },
      internal: {
        code: 'FAILED_INTERNAL_SYSTEM_PROCESSING',
        message: '내부 시스템 처리 작업이 실패했습니다.',
      },
    };
    if (answerServerError(res, random, state.knobs.errorRate, serverErrors)) return;
    next();
  });

  app.post(
    '/v1/payments/confirm',
    idempotent((req, res, idempotencyKey) => {
      const body = parseOr400(confirmBodySchema, req.body, res, invalidRequest);
      return body && confirmPayment(body, idempotencyKey, requestIdOf(req));
    }),
  );

  app.get('/v1/payments/orders/:orderId', (req, res) => {
    const paymentKey = state.paymentKeyByOrderId.get(req.params.orderId);
    const payment = paymentKey === undefined ? undefined : state.payments.get(paymentKey);
    if (payment === undefined) {
      res.status(404).json({ code: 'NOT_FOUND_PAYMENT', message: '존재하지 않는 결제 정보 입니다.' });
      return;
    }
    res.json(payment);
  });

  app.get('/v1/payments/:paymentKey', (req, res) => {
    const payment = state.payments.get(req.params.paymentKey);
    if (payment === undefined) {
      res.status(404).json({ code: 'NOT_FOUND_PAYMENT', message: '존재하지 않는 결제 정보 입니다.' });
      return;
    }
    res.json(payment);
  });

  app.post(
    '/v1/payments/:paymentKey/cancel',
    idempotent((req, res, idempotencyKey) => {
      const body = parseOr400(cancelBodySchema, req.body, res, invalidRequest);
      const paymentKey = String(req.params.paymentKey);
      return body && cancelPayment(paymentKey, body, idempotencyKey, requestIdOf(req));
    }),
  );

  serveControlRoutes(app, {
    schema: knobsSchema,
    errorBody: invalidRequest,
    view: () => state.knobs,
    apply({ seed, ...knobs }) {
      if (seed !== undefined) random = createRandom(seed);
      Object.assign(state.knobs, knobs);
    },
    reset() {
      state.knobs = structuredClone(initialKnobs);
      state.charges.length = 0;
      state.refunds.length = 0;
      state.payments.clear();
      state.paymentKeyByOrderId.clear();
      state.idempotentResponses.clear();
      random = createRandom(initialSeed);
    },
    calls: state.calls,
  });

  app.get('/__charges', (req, res) => {
    const orderId = typeof req.query.orderId === 'string' ? req.query.orderId : undefined;
    const matches = (record: { orderId: string }) => orderId === undefined || record.orderId === orderId;
    res.json({ charges: state.charges.filter(matches), refunds: state.refunds.filter(matches) });
  });

  // For a developer: the latest charges and refunds, newest first (orders appear as `order-<id>`).
  app.get('/__inbox', (_req, res) => {
    res.json({ charges: newestFirst(state.charges), refunds: newestFirst(state.refunds) });
  });

  app.use(notFoundJson(tossError('NOT_FOUND')));
  app.use(errorJson(invalidRequest));

  return { app, state, dispose: lifecycle.dispose };
}

export async function startPaymentGateway(
  options: PaymentGatewayOptions & ListenOptions = {},
): Promise<StartedFake<PaymentGatewayState>> {
  const { port, host, ...gatewayOptions } = options;
  const { app, state, dispose } = createPaymentGatewayApp(gatewayOptions);
  return listenFake(app, dispose, state, { port, host });
}
