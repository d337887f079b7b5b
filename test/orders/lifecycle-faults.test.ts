import { Queue, Worker } from 'bullmq';
import { startPaymentGateway } from '../../fakes/payment-gateway';
import type { StartedFake } from '../../fakes/fake-server';
import { orderJobId } from '../../queues/order-job-ids';
import { loadConfig } from '../../shared/config';
import { createLogger } from '../../shared/logger';
import { bullPrefix } from '../../shared/redis';
import { startWorkers, type RunningWorkers } from '../../workers/bootstrap';
import { insertProducts, stockPicture } from '../support/products';
import { deleteRedisPrefix } from '../support/redis';
import { call, createUserWithToken, eventually, startStack, type TestStack } from '../support/stack';

const address = {
  recipient: 'Choi Ji-woo',
  phone: '010-2222-3333',
  postalCode: '04524',
  address1: '1 Sejong-daero, Jung-gu',
};

/** The faults of the order lifecycle that once lost accepted work: each is reproduced here, then healed. */
describe('the order lifecycle under lost jobs', () => {
  let pg: StartedFake<any>;
  let stack: TestStack;
  let workers: RunningWorkers | undefined;
  const fast = { ORDER_STUCK_AFTER_SECONDS: '1', ORDER_SWEEP_INTERVAL_MS: '1000' };

  const control = (knobs: Record<string, unknown>) =>
    fetch(`${pg.url}/__control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(knobs),
    });
  const gatewayRecords = async (orderId: number) =>
    (await (await fetch(`${pg.url}/__charges?orderId=order-${orderId}`)).json()) as {
      charges: unknown[];
      refunds: unknown[];
    };
  const orderRow = (orderId: number) => stack.database.db('orders').where({ id: orderId }).first();
  const statusBecomes = (orderId: number, status: string, timeoutMs = 30_000) =>
    eventually(
      async () => {
        const row = await orderRow(orderId);
        return row?.status === status ? row : undefined;
      },
      timeoutMs,
      `order ${orderId} ${status}`,
    );
  const startTestWorkers = async () => {
    const config = loadConfig({ ...process.env, ...stack.env });
    workers = await startWorkers(
      config,
      createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', name: 'workers-test' }),
      (['orders', 'stock', 'payments', 'stats'] as const).map((domain) => ({ domain, concurrency: 4 })),
    );
  };
  const place = async (token: string, productId: number) => {
    const placed = await call(stack.url, 'POST', '/api/orders', {
      token,
      headers: { 'idempotency-key': `lifecycle-${productId}-${Date.now()}` },
      body: { items: [{ productId, quantity: 1 }], shippingAddress: address, paymentMethod: 'card' },
    });
    expect(placed.status).toBe(202);
    return placed.body.orderId as number;
  };

  beforeAll(async () => {
    pg = await startPaymentGateway({ port: 0 });
    stack = await startStack({
      label: 'lifecycle',
      env: { ...fast, PAYMENT_GATEWAY_URL: pg.url, PAYMENT_GATEWAY_TIMEOUT_MS: '500' },
    });
  });
  afterEach(async () => {
    await workers?.close(5000);
    workers = undefined;
    await control({ errorRate: 0 });
  });
  afterAll(async () => {
    await stack?.close();
    await pg?.close();
  });

  it('when a cancel is accepted while the charge keeps failing and then every job is lost, then the order still ends CANCELLED with no charge', async () => {
    await startTestWorkers();
    const [productId] = await insertProducts(stack.database.db, [{ price: 30_000, stock: 3 }]);
    const user = await createUserWithToken(stack);
    await control({ errorRate: 1 });
    const orderId = await place(user.token, productId!);
    await statusBecomes(orderId, 'STOCK_RESERVED');

    const cancel = await call(stack.url, 'POST', `/api/orders/${orderId}/cancel`, { token: user.token });
    expect(cancel.status).toBe(202);
    // The answer tells the truth: the cancel is recorded, the order is not CONFIRMED.
    expect(cancel.body).toEqual({
      orderId,
      status: 'STOCK_RESERVED',
      cancelRequestedAt: expect.any(String),
      links: expect.any(Object),
    });
    expect((await orderRow(orderId)).cancel_requested_at).not.toBeNull();

    // Redis loses everything: the charge's retries, the cancel's job and the sweeper's schedule.
    await deleteRedisPrefix(process.env.REDIS_URL!, stack.env.REDIS_PREFIX!);
    await control({ errorRate: 0 });

    const final = await statusBecomes(orderId, 'CANCELLED');
    expect(final.cancelled_at).not.toBeNull();
    const { charges, refunds } = await gatewayRecords(orderId);
    expect(refunds.length).toBe(charges.length);
    expect(await stockPicture(stack.database.db, productId!)).toEqual({ stock: 3, held: 0, ledgerTotal: 0 });

    // Too late now: 409 with the order's state.
    const again = await call(stack.url, 'POST', `/api/orders/${orderId}/cancel`, { token: user.token });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: 'ORDER_NOT_CANCELLABLE',
      details: { status: 'CANCELLED' },
    });
  });

  it('when a cancel arrives while the charge waits out a long Retry-After, then it is honoured without waiting', async () => {
    await startTestWorkers();
    const [productId] = await insertProducts(stack.database.db, [{ price: 21_000, stock: 2 }]);
    const user = await createUserWithToken(stack);
    // The gateway asks for two minutes' patience: the charge job is delayed that long.
    await control({ throttleNextCalls: 1, throttleRetryAfterSeconds: 120 });
    const orderId = await place(user.token, productId!);
    await eventually(async () => {
      const calls = (await (await fetch(`${pg.url}/__calls`)).json()) as { calls: { status: number }[] };
      return calls.calls.some((record) => record.status === 429) ? true : undefined;
    });

    const cancel = await call(stack.url, 'POST', `/api/orders/${orderId}/cancel`, { token: user.token });
    expect(cancel.status).toBe(202);
    await statusBecomes(orderId, 'CANCELLED', 20_000);
    expect((await gatewayRecords(orderId)).charges).toHaveLength(0);
    expect(await stockPicture(stack.database.db, productId!)).toEqual({ stock: 2, held: 0, ledgerTotal: 0 });
  });

  it('when a step’s job used up its attempts, then the sweeper drives the order past it anyway', async () => {
    const [productId] = await insertProducts(stack.database.db, [{ price: 15_000, stock: 2 }]);
    const user = await createUserWithToken(stack);
    const orderId = await place(user.token, productId!);

    // The reservation failed for good while the database was out: its job id is held by a failed job.
    const connection = { url: process.env.REDIS_URL!, maxRetriesPerRequest: null };
    const prefix = bullPrefix(stack.env.REDIS_PREFIX!);
    const stock = new Queue('stock', { connection, prefix });
    await stock.add('reserve', { orderId }, { jobId: orderJobId('reserve', orderId), attempts: 1 });
    const failing = new Worker(
      'stock',
      async () => {
        throw new Error('database unreachable');
      },
      { connection, prefix },
    );
    await eventually(async () =>
      (await stock.getJobState(orderJobId('reserve', orderId))) === 'failed' ? true : undefined,
    );
    await failing.close();
    await stock.close();

    await startTestWorkers();
    await statusBecomes(orderId, 'CONFIRMED');
    expect((await gatewayRecords(orderId)).charges).toHaveLength(1);
  });

  it('when Redis loses the sweeper’s schedule, then running workers put it back and a forgotten order is still confirmed', async () => {
    await startTestWorkers();
    await deleteRedisPrefix(process.env.REDIS_URL!, stack.env.REDIS_PREFIX!);
    // An order whose enqueue was lost: only the sweeper knows about it.
    const [productId] = await insertProducts(stack.database.db, [{ price: 9_000, stock: 2 }]);
    const user = await createUserWithToken(stack);
    const [orderId] = await stack.database.db('orders').insert({
      user_id: user.userId,
      status: 'PENDING',
      total: 9_000,
      idempotency_key: `forgotten-${Date.now()}`,
      request_hash: 'x'.repeat(64),
      shipping_address: JSON.stringify(address),
      payment_method: 'card',
    });
    await stack.database.db('order_items').insert({
      order_id: orderId,
      product_id: productId,
      product_name: 'Test product',
      unit_price: 9_000,
      quantity: 1,
      line_total: 9_000,
    });
    await statusBecomes(orderId!, 'CONFIRMED');
  });
});
