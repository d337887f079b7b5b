import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startPaymentGateway } from '../../fakes/payment-gateway';
import type { StartedFake } from '../../fakes/fake-server';
import { insertProducts, stockPicture } from '../support/products';
import { call, createUserWithToken, eventually, startStack, type TestStack } from '../support/stack';

const address = {
  recipient: 'Park Seo-yeon',
  phone: '010-5555-1234',
  postalCode: '48058',
  address1: '30 Haeundae-ro, Busan',
};
const SETTLED = ['CONFIRMED', 'REJECTED', 'PAYMENT_FAILED', 'CANCELLED'];

async function control(pg: StartedFake<any>, knobs: Record<string, unknown>): Promise<void> {
  await fetch(`${pg.url}/__control`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(knobs),
  });
}

async function gatewayRecords(pg: StartedFake<any>) {
  return (await (await fetch(`${pg.url}/__charges`)).json()) as {
    charges: { orderId: string }[];
    refunds: { orderId: string }[];
  };
}

/** Every invariant of the order flow, over every order of the test database. */
async function expectInvariants(
  stack: TestStack,
  pg: StartedFake<any>,
  products: { id: number; initial: number }[],
) {
  const db = stack.database.db;
  for (const product of products) {
    const picture = await stockPicture(db, product.id);
    expect(picture.stock).toBeGreaterThanOrEqual(0);
    expect(picture.stock + picture.held).toBe(product.initial);
    expect(picture.ledgerTotal).toBe(picture.stock - product.initial);
  }
  const orders = (await db('orders').select('id', 'status')) as { id: number; status: string }[];
  const { charges, refunds } = await gatewayRecords(pg);
  const count = (records: { orderId: string }[], id: number) =>
    records.filter((record) => record.orderId === `order-${id}`).length;
  for (const order of orders) {
    const charged = count(charges, order.id);
    const refunded = count(refunds, order.id);
    if (order.status === 'CONFIRMED') expect([order.id, charged, refunded]).toEqual([order.id, 1, 0]);
    if (order.status === 'CANCELLED') expect([order.id, refunded]).toEqual([order.id, charged]);
    if (order.status === 'REJECTED' || order.status === 'PAYMENT_FAILED')
      expect([order.id, charged]).toEqual([order.id, 0]);
  }
}

describe('orders under faults', () => {
  let pg: StartedFake<any>;

  beforeAll(async () => {
    pg = await startPaymentGateway({ port: 0, seed: 7 });
  });
  afterAll(async () => {
    await pg?.close();
  });

  describe('a flaky payment gateway', () => {
    let stack: TestStack;

    beforeAll(async () => {
      await fetch(`${pg.url}/__reset`, { method: 'POST' });
      stack = await startStack({
        label: 'faults',
        workerDomains: ['orders', 'stock', 'payments', 'stats'],
        env: { PAYMENT_GATEWAY_URL: pg.url, PAYMENT_GATEWAY_TIMEOUT_MS: '300' },
      });
    });
    afterAll(async () => {
      await stack?.close();
    });

    it('when 30% of gateway calls fail, time out or lose their answer, then every order settles with no double charge', async () => {
      const products = await insertProducts(stack.database.db, [
        { price: 10_000, stock: 40 },
        { price: 25_000, stock: 15 },
      ]);
      await control(pg, { errorRate: 0.1, timeoutRate: 0.1, lostResponseRate: 0.1 });
      const users = await Promise.all(Array.from({ length: 5 }, () => createUserWithToken(stack)));
      const placed = await Promise.all(
        Array.from({ length: 60 }, (_, index) =>
          call(stack.url, 'POST', '/api/orders', {
            token: users[index % users.length]!.token,
            headers: { 'idempotency-key': `faults-${index}-${Date.now()}` },
            body: {
              items: [{ productId: products[index % 2]!, quantity: 1 }],
              shippingAddress: address,
              paymentMethod: 'card',
            },
          }),
        ),
      );
      expect(placed.every((response) => response.status === 202)).toBe(true);
      const ids = placed.map((response) => response.body.orderId as number);
      const owner = new Map(ids.map((id, index) => [id, users[index % users.length]!]));

      // Cancel a few once they are confirmed: refunds go through the same flaky gateway.
      const confirmed = await eventually(async () => {
        const rows = (await stack.database
          .db('orders')
          .whereIn('id', ids)
          .where('status', 'CONFIRMED')
          .pluck('id')) as number[];
        return rows.length >= 8 ? rows.slice(0, 8) : undefined;
      }, 60_000);
      for (const id of confirmed) {
        const cancel = await call(stack.url, 'POST', `/api/orders/${id}/cancel`, {
          token: owner.get(id)!.token,
        });
        expect(cancel.status).toBe(202);
      }

      await eventually(
        async () => {
          const rows = (await stack.database.db('orders').whereIn('id', ids).select('id', 'status')) as {
            id: number;
            status: string;
          }[];
          const cancelledDone = confirmed.every(
            (id) => rows.find((row) => row.id === id)?.status === 'CANCELLED',
          );
          return rows.every((row) => SETTLED.includes(row.status)) && cancelledDone ? rows : undefined;
        },
        120_000,
        'every order settled',
      );
      await control(pg, { errorRate: 0, timeoutRate: 0, lostResponseRate: 0 });
      await expectInvariants(stack, pg, [
        { id: products[0]!, initial: 40 },
        { id: products[1]!, initial: 15 },
      ]);
    });

    it('when the gateway answers 429 with Retry-After, then the charge waits that long before its next call', async () => {
      const [productId] = await insertProducts(stack.database.db, [{ price: 12_000, stock: 5 }]);
      const user = await createUserWithToken(stack);
      const since = new Date().toISOString();
      await control(pg, { throttleNextCalls: 1, throttleRetryAfterSeconds: 3 });
      const placed = await call(stack.url, 'POST', '/api/orders', {
        token: user.token,
        headers: { 'idempotency-key': `throttled-${Date.now()}` },
        body: { items: [{ productId, quantity: 1 }], shippingAddress: address, paymentMethod: 'card' },
      });
      expect(placed.status).toBe(202);
      await eventually(
        async () => {
          const row = await stack.database.db('orders').where('id', placed.body.orderId).first('status');
          return row?.status === 'CONFIRMED' ? row : undefined;
        },
        30_000,
        'the throttled order confirmed',
      );
      const { calls } = (await (await fetch(`${pg.url}/__calls`)).json()) as {
        calls: { path: string; status: number | null; at: string }[];
      };
      const recent = calls.filter((record) => record.path.startsWith('/v1/') && record.at >= since);
      const throttled = recent.findIndex((record) => record.status === 429);
      expect(throttled).toBeGreaterThanOrEqual(0);
      const next = recent[throttled + 1]!;
      expect(Date.parse(next.at) - Date.parse(recent[throttled]!.at)).toBeGreaterThanOrEqual(2_900);
    });
  });

  describe('a worker process killed mid-job', () => {
    let stack: TestStack;
    const children: ChildProcess[] = [];

    function startWorkerProcess(): ChildProcess {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(__dirname, '../../workers/main.ts')],
        {
          env: {
            ...process.env,
            ...stack.env,
            PAYMENT_GATEWAY_URL: pg.url,
            WORKER_QUEUES: 'orders,stock,payments,stats',
            WORKER_CONCURRENCY: '8',
            WORKER_LOCK_DURATION_MS: '2000',
            WORKER_STALLED_INTERVAL_MS: '1000',
            ORDER_STUCK_AFTER_SECONDS: '5',
            ORDER_SWEEP_INTERVAL_MS: '2000',
            LOG_LEVEL: 'warn',
          },
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      );
      children.push(child);
      return child;
    }

    beforeAll(async () => {
      await fetch(`${pg.url}/__reset`, { method: 'POST' });
      stack = await startStack({ label: 'sigkill', env: { PAYMENT_GATEWAY_URL: pg.url } });
    });
    afterAll(async () => {
      for (const child of children)
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await stack?.close();
    });

    it('when the worker dies with SIGKILL mid-job, then after a restart every order settles and the invariants hold', async () => {
      const [productId] = await insertProducts(stack.database.db, [{ price: 33_000, stock: 25 }]);
      await control(pg, { latencyMs: 150 });
      const user = await createUserWithToken(stack);
      const first = startWorkerProcess();
      const placed = await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          call(stack.url, 'POST', '/api/orders', {
            token: user.token,
            headers: { 'idempotency-key': `sigkill-${index}-${Date.now()}` },
            body: { items: [{ productId, quantity: 1 }], shippingAddress: address, paymentMethod: 'card' },
          }),
        ),
      );
      const ids = placed.map((response) => response.body.orderId as number);

      // Kill once work is under way but not finished.
      await eventually(async () => {
        const done = await stack.database
          .db('orders')
          .whereIn('id', ids)
          .whereIn('status', SETTLED)
          .count({ n: '*' });
        const n = Number((done[0] as { n: number }).n);
        return n >= 3 && n < ids.length ? n : undefined;
      }, 60_000);
      first.kill('SIGKILL');
      await new Promise((resolve) => first.once('exit', resolve));
      await control(pg, { latencyMs: 0 });
      startWorkerProcess();

      await eventually(
        async () => {
          const rows = (await stack.database.db('orders').whereIn('id', ids).select('status')) as {
            status: string;
          }[];
          return rows.every((row) => SETTLED.includes(row.status)) ? rows : undefined;
        },
        90_000,
        'every order settled after the restart',
      );
      await expectInvariants(stack, pg, [{ id: productId!, initial: 25 }]);
      const confirmed = await stack.database
        .db('orders')
        .whereIn('id', ids)
        .where('status', 'CONFIRMED')
        .count({ n: '*' });
      expect(Number((confirmed[0] as { n: number }).n)).toBe(25);
    });
  });
});
