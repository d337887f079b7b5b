/**
 * The Toss Payments adapter against the fake gateway, over HTTP, on the points checked against Toss's public
 * API documentation (docs/providers.md, "Toss Payments conformance"): how declines, temporary errors and
 * refusals are told apart, idempotency keys, the ABORTED record of a failed approval, and partial cancels.
 */
import type { StartedFake } from '../../fakes/fake-server';
import { type PaymentGatewayState, startPaymentGateway } from '../../fakes/payment-gateway';
import { PaymentGatewayUnavailableError } from '../../workers/payments/payment-gateway';
import { TossPaymentsGateway } from '../../workers/payments/toss-payments-gateway';

describe('Toss Payments adapter against the fake, as Toss documents it', () => {
  let fake: StartedFake<PaymentGatewayState>;
  let gateway: TossPaymentsGateway;
  let sequence = 0;
  const orderId = () => `order-toss-${process.pid}-${(sequence += 1)}`;
  const control = (knobs: object) =>
    fetch(`${fake.url}/__control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(knobs),
    });
  const charge = (id: string, amount = 10_000, idempotencyKey = `charge-${id}`) =>
    gateway.confirm({ orderId: id, paymentKey: `pk-${id}`, amount, idempotencyKey });

  beforeAll(async () => {
    fake = await startPaymentGateway({ port: 0, secretKey: 'test_sk_conformance', idempotencyKeyTtlMs: 300 });
    gateway = new TossPaymentsGateway({
      baseUrl: fake.url,
      secretKey: 'test_sk_conformance',
      timeoutMs: 2000,
    });
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });
  beforeEach(async () => {
    await fetch(`${fake.url}/__reset`, { method: 'POST' });
  });

  it.each([
    'REJECT_CARD_PAYMENT',
    'REJECT_CARD_COMPANY',
    'NOT_FOUND_PAYMENT_SESSION',
    'INVALID_STOPPED_CARD',
  ])(
    'when the card company declines with %s (403/404/400), then the adapter reports a final decline, not a retry',
    async (declineCode) => {
      const id = orderId();
      await control({ declineOrderIds: [id], declineCode });

      const result = await charge(id);

      expect(result).toEqual({ outcome: 'declined', code: declineCode, message: expect.any(String) });
      expect(fake.state.charges).toEqual([]);
    },
  );

  it('when an approval failed, then the lookup by order id finds it ABORTED (not paid), with its failure', async () => {
    const id = orderId();
    await control({ declineOrderIds: [id] });
    await charge(id);

    const payment = await gateway.lookup(id);

    expect(payment).toMatchObject({ status: 'ABORTED', failure: { code: 'REJECT_CARD_PAYMENT' } });
  });

  it('when Toss answers PROVIDER_ERROR (HTTP 400, "try again later"), then a retryable error; the retry charges once', async () => {
    const id = orderId();
    await control({ providerErrorNextCalls: 1 });

    await expect(charge(id)).rejects.toBeInstanceOf(PaymentGatewayUnavailableError);
    expect(fake.state.charges).toEqual([]);
    expect(await charge(id)).toEqual({ outcome: 'charged', paymentKey: `pk-${id}` });
    expect(fake.state.charges).toHaveLength(1);
  });

  it('when the secret key is wrong, then a retryable error naming UNAUTHORIZED_KEY, never a decline', async () => {
    const wrong = new TossPaymentsGateway({ baseUrl: fake.url, secretKey: 'test_sk_wrong', timeoutMs: 2000 });
    try {
      await expect(
        wrong.confirm({ orderId: 'x1', paymentKey: 'pk-x1', amount: 1000, idempotencyKey: 'k' }),
      ).rejects.toThrow(/refused our request: 401 UNAUTHORIZED_KEY/);
    } finally {
      await wrong.close();
    }
  });

  it('when a key is reused for another body within its lifetime, then Toss replays the first answer; after it expires, the key is new', async () => {
    const first = orderId();
    const second = orderId();
    expect(await charge(first, 10_000, 'shared-key')).toEqual({
      outcome: 'charged',
      paymentKey: `pk-${first}`,
    });

    // Scoped to URL and method, not the body: the second order is not charged, the first answer comes back.
    expect(await charge(second, 20_000, 'shared-key')).toEqual({
      outcome: 'charged',
      paymentKey: `pk-${first}`,
    });
    expect(fake.state.charges.map((record) => record.orderId)).toEqual([first]);

    // The fake keeps keys 300 ms here (Toss: 15 days); past that the same key is a new request.
    const deadline = Date.now() + 5000;
    let result = await charge(second, 20_000, 'shared-key');
    while (result.outcome === 'charged' && result.paymentKey === `pk-${first}` && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      result = await charge(second, 20_000, 'shared-key');
    }
    expect(result).toEqual({ outcome: 'charged', paymentKey: `pk-${second}` });
  });

  it('when part of a payment is refunded, then it is PARTIAL_CANCELED; more than the balance is a final refusal (403 NOT_CANCELABLE_AMOUNT)', async () => {
    const id = orderId();
    await charge(id, 10_000);

    expect(
      await gateway.refund({
        paymentKey: `pk-${id}`,
        reason: 'one item',
        idempotencyKey: 'part-1',
        amount: 4000,
      }),
    ).toEqual({ outcome: 'refunded' });
    expect(await gateway.lookup(id)).toMatchObject({ status: 'PARTIAL_CANCELED', balanceAmount: 6000 });
    expect(
      await gateway.refund({
        paymentKey: `pk-${id}`,
        reason: 'too much',
        idempotencyKey: 'part-2',
        amount: 7000,
      }),
    ).toEqual({ outcome: 'refused', code: 'NOT_CANCELABLE_AMOUNT', message: expect.any(String) });
    expect(
      await gateway.refund({ paymentKey: `pk-${id}`, reason: 'the rest', idempotencyKey: 'part-3' }),
    ).toEqual({ outcome: 'refunded' });
    expect(await gateway.lookup(id)).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
    expect(
      await gateway.refund({ paymentKey: `pk-${id}`, reason: 'again', idempotencyKey: 'part-4' }),
    ).toEqual({ outcome: 'already-refunded' });
  });

  it('when an aborted payment is cancelled, then a final refusal (403 NOT_CANCELABLE_PAYMENT), not a retry', async () => {
    const id = orderId();
    await control({ declineOrderIds: [id] });
    await charge(id);

    expect(await gateway.refund({ paymentKey: `pk-${id}`, reason: 'x', idempotencyKey: 'c-1' })).toEqual({
      outcome: 'refused',
      code: 'NOT_CANCELABLE_PAYMENT',
      message: expect.any(String),
    });
  });

  it('when a request carries no Idempotency-Key, then Toss still answers (the header is optional)', async () => {
    const id = orderId();
    const response = await fetch(`${fake.url}/v1/payments/confirm`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('test_sk_conformance:').toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ paymentKey: `pk-${id}`, orderId: id, amount: 1000 }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ orderId: id, status: 'DONE', failure: null });
  });
});
