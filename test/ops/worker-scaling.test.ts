import { startPaymentGateway } from '../../fakes/payment-gateway';
import type { StartedFake } from '../../fakes/fake-server';
import { insertProducts, stockPicture } from '../support/products';
import { call, createUserWithToken, startStack, type TestStack } from '../support/stack';
import {
  gatewayRecords,
  pollUntil,
  queueCounts,
  shippingAddress,
  startNodeProcess,
  stopAll,
  waitForLog,
  type NodeProcess,
} from './ops-support';

const ORDERS = 40;
const DOMAINS = ['orders', 'stock', 'payments'] as const;

describe('worker processes scaled out', () => {
  let pg: StartedFake<any>;
  let stack: TestStack;
  const processes: NodeProcess[] = [];

  beforeAll(async () => {
    // 100 ms per charge: payments pile up, so a second process has work to take.
    pg = await startPaymentGateway({ port: 0, seed: 11, latencyMs: 100 });
    stack = await startStack({ label: 'scaling', env: { PAYMENT_GATEWAY_URL: pg.url } });
  }, 120_000);

  afterAll(async () => {
    await stopAll(processes);
    await stack?.close();
    await pg?.close();
  }, 60_000);

  function startWorkerProcess(name: string): NodeProcess {
    return startNodeProcess(
      name,
      'workers/main.ts',
      {
        ...stack.env,
        PAYMENT_GATEWAY_URL: pg.url,
        WORKER_QUEUES: DOMAINS.join(','),
        WORKER_CONCURRENCY: '2',
        LOG_LEVEL: 'info',
      },
      processes,
    );
  }

  it('when two worker processes serve the same queues, then every order is confirmed exactly once and both processes did work', async () => {
    const [productId] = await insertProducts(stack.database.db, [{ price: 12_000, stock: 100 }]);
    const user = await createUserWithToken(stack);
    const workers = [startWorkerProcess('worker-a'), startWorkerProcess('worker-b')];
    await Promise.all(workers.map((worker) => waitForLog(worker, 'workers running', 60_000)));

    const placed = await Promise.all(
      Array.from({ length: ORDERS }, (_, index) =>
        call(stack.url, 'POST', '/api/orders', {
          token: user.token,
          headers: { 'idempotency-key': `scale-${index}-${Date.now()}` },
          body: { items: [{ productId, quantity: 1 }], shippingAddress, paymentMethod: 'card' },
        }),
      ),
    );
    expect(placed.map((response) => response.status)).toEqual(Array(ORDERS).fill(202));
    const ids = placed.map((response) => response.body.orderId as number);

    await pollUntil(
      async () => {
        const confirmed = await stack.database
          .db('orders')
          .whereIn('id', ids)
          .where('status', 'CONFIRMED')
          .count({ n: '*' });
        return Number((confirmed[0] as { n: number }).n) === ORDERS ? true : undefined;
      },
      120_000,
      'every order confirmed',
    );

    // Stopped before counting: an order is confirmed a moment before its job's 'job done' line and its
    // move to completed.
    await stopAll(workers);
    expect(await Promise.all(workers.map((worker) => worker.exited))).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);

    // Exactly once to completion: each step of each order finished in one process, once.
    const done = workers.map((worker) => worker.logged('job done'));
    const finishedJobIds = done.flat().map((entry) => String(entry.jobId));
    for (const id of ids) {
      for (const step of ['place', 'reserve', 'charge']) {
        expect([`${step}-${id}`, finishedJobIds.filter((jobId) => jobId === `${step}-${id}`).length]).toEqual(
          [`${step}-${id}`, 1],
        );
      }
    }
    // One successful charge per order at the payment gateway.
    const { charges } = await gatewayRecords(pg);
    for (const id of ids) {
      expect([id, charges.filter((charge) => charge.orderId === `order-${id}`).length]).toEqual([id, 1]);
    }
    // Both processes took jobs, payments included.
    for (const entries of done) {
      expect(entries.filter((entry) => entry.queue === 'payments').length).toBeGreaterThan(0);
    }
    // Nothing left behind in the queues (delayed holds the sweeper's next repeat).
    const counts = await queueCounts(process.env.REDIS_URL!, stack.env.REDIS_PREFIX!, [...DOMAINS]);
    for (const domain of DOMAINS) {
      const { active, waiting, prioritized, failed } = counts[domain]!;
      expect({ domain, active, waiting, prioritized, failed }).toEqual({
        domain,
        active: 0,
        waiting: 0,
        prioritized: 0,
        failed: 0,
      });
    }
    const picture = await stockPicture(stack.database.db, productId!);
    expect(picture).toEqual({ stock: 100 - ORDERS, held: ORDERS, ledgerTotal: -ORDERS });
  }, 240_000);
});
