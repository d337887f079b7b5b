/**
 * Admin order pages through nginx, with real workers and the fake payment gateway: the list with its filters
 * and pages, and one order's items, payment attempts and job history from BullMQ.
 */
import type { StartedFake } from '../../fakes/fake-server';
import { startPaymentGateway } from '../../fakes/payment-gateway';
import { insertProducts } from '../support/products';
import { call, createUserWithToken, eventually, startStack, type TestStack } from '../support/stack';
import { insertOrder } from '../stats/order-fixtures';

const address = {
  recipient: 'Lee Ji-eun',
  phone: '010-2222-3333',
  postalCode: '04524',
  address1: '1 Sejong-daero, Jung-gu',
};

describe('admin orders', () => {
  let stack: TestStack;
  let pg: StartedFake<any>;
  let admin: { userId: number; token: string };
  let customer: { userId: number; token: string; email: string };

  beforeAll(async () => {
    pg = await startPaymentGateway({ port: 0 });
    stack = await startStack({
      label: 'admin_orders',
      workerDomains: ['orders', 'stock', 'payments', 'stats'],
      env: { PAYMENT_GATEWAY_URL: pg.url, PAYMENT_GATEWAY_TIMEOUT_MS: '1000' },
    });
    admin = await createUserWithToken(stack, 'admin');
    customer = await createUserWithToken(stack, 'user');
  });
  afterAll(async () => {
    await stack?.close();
    await pg?.close();
  });

  const get = (path: string, token = admin.token) => call(stack.url, 'GET', path, { token });

  it('when an order went through the workers, then its detail shows items, the charge and every job of it', async () => {
    const [productId] = await insertProducts(stack.database.db, [
      { name: 'Galaxy Tab', price: 700_000, stock: 5 },
    ]);
    const placed = await call(stack.url, 'POST', '/api/orders', {
      token: customer.token,
      body: { items: [{ productId, quantity: 2 }], shippingAddress: address, paymentMethod: 'card' },
      headers: { 'idempotency-key': `admin-orders-${Date.now()}`, prefer: 'wait=10' },
    });
    expect(placed.body.status).toBe('CONFIRMED');
    const orderId = placed.body.orderId as number;
    // The stats job runs after the confirmation: wait until BullMQ reports it completed.
    const detail = await eventually(async () => {
      const read = await get(`/api/admin/orders/${orderId}`);
      const statsJob = read.body.jobs?.find((job: any) => job.id === `stats-confirmed-${orderId}`);
      return statsJob?.state === 'completed' ? read : undefined;
    });

    expect(detail.status).toBe(200);
    expect(detail.body.order).toMatchObject({
      id: orderId,
      user: { id: customer.userId, email: customer.email },
      status: 'CONFIRMED',
      total: 1_400_000,
      paymentMethod: 'card',
      shippingAddress: address,
      items: [{ productId, name: 'Galaxy Tab', unitPrice: 700_000, quantity: 2, lineTotal: 1_400_000 }],
      payments: [
        {
          kind: 'charge',
          status: 'succeeded',
          amount: 1_400_000,
          attempts: 1,
          lastError: null,
          gatewayKey: `charge-${orderId}`,
          gatewayPaymentKey: expect.any(String),
        },
      ],
      stockMoves: [{ productId, kind: 'reserve', quantity: -2 }],
    });
    const jobs = detail.body.jobs.map((job: any) => [
      job.queue,
      job.id,
      job.name,
      job.state,
      job.attemptsMade,
    ]);
    expect(jobs).toEqual(
      expect.arrayContaining([
        ['orders', `place-${orderId}`, 'place', 'completed', 1],
        ['stock', `reserve-${orderId}`, 'reserve', 'completed', 1],
        ['payments', `charge-${orderId}`, 'charge', 'completed', 1],
        ['stats', `stats-confirmed-${orderId}`, 'order-confirmed', 'completed', 1],
      ]),
    );
    expect(jobs).toHaveLength(4);
    expect(detail.body.jobs[0]).toEqual({
      queue: 'orders',
      id: `place-${orderId}`,
      name: 'place',
      state: 'completed',
      attemptsMade: 1,
      maxAttempts: 8,
      failedReason: null,
      createdAt: expect.any(String),
      processedAt: expect.any(String),
      finishedAt: expect.any(String),
      dashboard: `/admin/queues/queue/orders/place-${orderId}`,
    });
  });

  it('when listing with filters and a cursor, then only matching orders come, newest first, each once', async () => {
    const other = await createUserWithToken(stack, 'user');
    const [productId] = await insertProducts(stack.database.db, [{ price: 1_000, stock: 100 }]);
    const items = [{ productId: productId!, quantity: 1, unitPrice: 1_000 }];
    const march1 = new Date('2026-03-01T03:00:00Z');
    const ids: number[] = [];
    for (const status of ['CONFIRMED', 'REJECTED', 'CONFIRMED', 'CANCELLED', 'CONFIRMED'] as const)
      ids.push(
        await insertOrder(stack.database.db, { userId: other.userId, status, items, createdAt: march1 }),
      );
    const late = await insertOrder(stack.database.db, {
      userId: other.userId,
      status: 'CONFIRMED',
      items,
      createdAt: new Date('2026-03-01T15:00:00Z'), // 2026-03-02 in Seoul
    });

    const list = await get(`/api/admin/orders?userId=${other.userId}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((order: any) => order.id)).toEqual([late, ...[...ids].reverse()]);
    expect(list.body.items[0]).toEqual({
      id: late,
      user: { id: other.userId, email: expect.any(String) },
      status: 'CONFIRMED',
      total: 1_000,
      paymentMethod: 'card',
      failureReason: null,
      createdAt: '2026-03-01T15:00:00.000Z',
      updatedAt: expect.any(String),
      confirmedAt: null,
      cancelledAt: null,
      links: { self: `/api/admin/orders/${late}` },
    });

    const confirmedOnFirst = await get(
      `/api/admin/orders?userId=${other.userId}&status=CONFIRMED&from=2026-03-01&to=2026-03-01&limit=2`,
    );
    expect(confirmedOnFirst.body.items.map((order: any) => order.id)).toEqual([ids[4], ids[2]]);
    const next = await get(
      `/api/admin/orders?userId=${other.userId}&status=CONFIRMED&from=2026-03-01&to=2026-03-01&limit=2&cursor=${confirmedOnFirst.body.nextCursor}`,
    );
    expect(next.body).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });

    expect((await get('/api/admin/orders?status=LOST')).status).toBe(400);
    expect((await get('/api/admin/orders/999999999')).status).toBe(404);
    expect((await get('/api/admin/orders', customer.token)).status).toBe(403);
  });
});
