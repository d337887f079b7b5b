/**
 * A bound on open order-event streams (SSE) per user, through the gateway: extra ones are a 429 JSON error,
 * and a closed stream frees its place.
 */
import { orderStreamsKey } from '../../bff/orders/order-stream-slots';
import { publishOrderEvent } from '../../shared/orders/order-events';
import { insertProducts } from '../support/products';
import { call, createUserWithToken, eventually, startStack, type TestStack } from '../support/stack';

const address = {
  recipient: 'Kim Min-su',
  phone: '010-1234-5678',
  postalCode: '06236',
  address1: '123 Teheran-ro, Gangnam-gu',
};

interface OpenStream {
  status: number;
  close(): void;
}

describe('open order-event streams per user', () => {
  let stack: TestStack;
  let productId: number;
  let orderKey = 0;
  const open: OpenStream[] = [];

  beforeAll(async () => {
    // No workers: orders stay PENDING, so their streams stay open until closed.
    stack = await startStack({ label: 'order-streams' });
    [productId] = (await insertProducts(stack.database.db, [{ price: 1_000, stock: 1_000 }])) as [number];
  });
  afterEach(() => {
    for (const stream of open.splice(0)) stream.close();
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function placeOrder(token: string): Promise<number> {
    const placed = await call(stack.url, 'POST', '/api/orders', {
      token,
      body: { items: [{ productId, quantity: 1 }], shippingAddress: address, paymentMethod: 'card' },
      headers: { 'idempotency-key': `stream-test-key-${Date.now()}-${(orderKey += 1)}` },
    });
    expect(placed.status).toBe(202);
    return placed.body.orderId as number;
  }

  /**
   * Opens the order's event stream and, when it is accepted, waits for its first event (so the stream
   * holds its place); a refusal is read whole.
   */
  async function openStream(
    token: string,
    orderId: number,
  ): Promise<OpenStream & { body?: any; retryAfter: string | null }> {
    const controller = new AbortController();
    const response = await fetch(`${stack.url}/api/orders/${orderId}/events`, {
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    if (response.status !== 200) {
      return {
        status: response.status,
        body: await response.json(),
        retryAfter: response.headers.get('retry-after'),
        close: () => undefined,
      };
    }
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('event: status')) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended before its first event: ${text}`);
      text += decoder.decode(value, { stream: true });
    }
    const stream = { status: 200, retryAfter: null, close: () => controller.abort() };
    open.push(stream);
    return stream;
  }

  it('when a user has five streams open, then a sixth is 429 TOO_MANY_STREAMS with Retry-After, another user is unaffected, and closing one lets a new one open', async () => {
    const user = await createUserWithToken(stack);
    const other = await createUserWithToken(stack);
    const orderId = await placeOrder(user.token);

    const streams = [];
    for (let i = 0; i < 5; i++) streams.push(await openStream(user.token, orderId));
    expect(streams.map((stream) => stream.status)).toEqual([200, 200, 200, 200, 200]);

    const sixth = await openStream(user.token, await placeOrder(user.token));
    expect(sixth.status).toBe(429);
    expect(sixth.body.error).toEqual({
      code: 'TOO_MANY_STREAMS',
      message: expect.any(String),
      requestId: expect.any(String),
    });
    expect(Number(sixth.retryAfter)).toBeGreaterThanOrEqual(1);

    expect((await openStream(other.token, await placeOrder(other.token))).status).toBe(200);

    streams[0]!.close();
    const reopened = await eventually(
      async () => {
        const attempt = await openStream(user.token, orderId);
        return attempt.status === 200 ? attempt : undefined;
      },
      10_000,
      'a new stream after one was closed',
    );
    expect(reopened.status).toBe(200);
    expect((await openStream(user.token, orderId)).status).toBe(429);
  });

  it('when a stream ends because its order settled, then its place is freed', async () => {
    const user = await createUserWithToken(stack);
    const orderId = await placeOrder(user.token);
    await openStream(user.token, orderId);
    const key = orderStreamsKey(stack.env.REDIS_PREFIX!, user.userId);
    expect(await stack.bff.ctx.redis.zcard(key)).toBe(1);

    await stack.database.db('orders').where({ id: orderId }).update({ status: 'REJECTED' });
    await publishOrderEvent(stack.bff.ctx.redis, stack.env.REDIS_PREFIX!, {
      orderId,
      status: 'REJECTED',
      reason: null,
    });
    await eventually(
      async () => ((await stack.bff.ctx.redis.zcard(key)) === 0 ? true : undefined),
      10_000,
      'the settled stream released its place',
    );
  });

  it('when places were left by a BFF that died, then they lapse with their lease, and Retry-After says when', async () => {
    const user = await createUserWithToken(stack);
    const orderId = await placeOrder(user.token);
    const key = orderStreamsKey(stack.env.REDIS_PREFIX!, user.userId);
    const [seconds] = await stack.bff.ctx.redis.time();
    const nowMs = Number(seconds) * 1000;
    // Five places of streams that no process renews any more: four lapsed, one lapsing in about 30 s.
    await stack.bff.ctx.redis.zadd(
      key,
      ...[1, 2, 3, 4].flatMap((i) => [nowMs - i * 1000, `dead-${i}`]),
      nowMs + 30_000,
      'dead-5',
    );

    const streams = [];
    for (let i = 0; i < 4; i++) streams.push((await openStream(user.token, orderId)).status);
    expect(streams).toEqual([200, 200, 200, 200]);
    const refused = await openStream(user.token, orderId);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(20);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(31);
  });
});
