/**
 * Sales statistics end to end: events through the real stats worker (replays included), the admin stats
 * endpoints through nginx, and a rebuild requested over HTTP.
 */
import { addDays } from '../../shared/shop-time';
import { insertProducts } from '../support/products';
import { call, createUserWithToken, eventually, startStack, type TestStack } from '../support/stack';
import { insertOrder, insertUser, readAggregates, recomputeWithSql } from './order-fixtures';

describe('sales statistics over HTTP', () => {
  let stack: TestStack;
  let admin: { userId: number; token: string };
  let customer: number;
  let products: number[];

  beforeAll(async () => {
    stack = await startStack({ label: 'stats_http', workerDomains: ['stats'] });
    admin = await createUserWithToken(stack, 'admin');
    customer = await insertUser(stack.database.db);
    products = await insertProducts(stack.database.db, [
      { name: 'Pixel Buds', price: 200_000, stock: 100 },
      { name: 'USB-C Cable', price: 9_000, stock: 100 },
      { name: 'OLED TV', price: 2_500_000, stock: 100 },
    ]);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const get = (path: string) => call(stack.url, 'GET', path, { token: admin.token });
  const statsQueue = () => stack.bff.ctx.queues.get('stats');

  async function settled(jobId: string, state: 'completed' | 'failed' = 'completed') {
    return eventually(
      async () => {
        const job = await statsQueue().getJob(jobId);
        return job && (await job.getState()) === state ? job : undefined;
      },
      20_000,
      `job ${jobId} ${state}`,
    );
  }

  /** Enqueues an event as the orders worker does, plus a replay of it under another job id. */
  async function countThroughWorker(kind: 'confirmed' | 'cancelled', orderId: number) {
    const name = kind === 'confirmed' ? 'order-confirmed' : 'order-cancelled';
    for (const jobId of [`stats-${kind}-${orderId}`, `stats-${kind}-${orderId}-replay`]) {
      await stack.bff.ctx.producers.stats.add(name, { orderId }, { jobId });
      await settled(jobId);
    }
  }

  const sale = (productIndex: number, quantity: number, unitPrice: number) => ({
    productId: products[productIndex]!,
    quantity,
    unitPrice,
  });

  it('when events are replayed through the worker and the stats endpoints are read, then each order counts once in its Seoul day', async () => {
    // Seoul days: 2026-03-01 is a Sunday (ISO week 9), 03-02 a Monday (week 10).
    const orders = [
      { at: '2026-03-01T14:59:59Z', items: [sale(0, 1, 200_000)] }, // Seoul 03-01 23:59:59
      { at: '2026-03-01T15:00:00Z', items: [sale(1, 3, 9_000), sale(0, 1, 200_000)] }, // Seoul 03-02 00:00
      { at: '2026-03-09T01:00:00Z', items: [sale(2, 1, 2_500_000)] }, // Seoul 03-09, week 11
      { at: '2026-04-01T00:30:00Z', items: [sale(1, 10, 9_000)] }, // Seoul 04-01
    ];
    const ids: number[] = [];
    for (const order of orders)
      ids.push(
        await insertOrder(stack.database.db, {
          userId: customer,
          status: 'CONFIRMED',
          items: order.items,
          confirmedAt: new Date(order.at),
        }),
      );
    // The TV is cancelled (refunded) on Seoul 03-10.
    await stack.database
      .db('orders')
      .where({ id: ids[2] })
      .update({ status: 'CANCELLED', cancelled_at: new Date('2026-03-10T02:00:00Z') });
    for (const id of ids) await countThroughWorker('confirmed', id);
    await countThroughWorker('cancelled', ids[2]!);
    expect(await readAggregates(stack.database.db)).toEqual(await recomputeWithSql(stack.database.db));

    const daily = await get('/api/admin/stats/sales?from=2026-03-01&to=2026-04-02&granularity=day');
    expect(daily.status).toBe(200);
    expect(daily.body.buckets).toHaveLength(33);
    expect(daily.body.buckets[0]).toEqual({
      period: '2026-03-01',
      start: '2026-03-01',
      end: '2026-03-01',
      orders: 1,
      units: 1,
      revenue: 200_000,
      refunds: 0,
      refundedOrders: 0,
      net: 200_000,
    });
    expect(daily.body.buckets[1]).toMatchObject({
      period: '2026-03-02',
      orders: 1,
      units: 4,
      revenue: 227_000,
    });
    expect(daily.body.buckets[2]).toMatchObject({ period: '2026-03-03', orders: 0, revenue: 0, net: 0 });
    expect(daily.body.buckets[9]).toMatchObject({
      period: '2026-03-10',
      orders: 0,
      refunds: 2_500_000,
      refundedOrders: 1,
      net: -2_500_000,
    });
    expect(daily.body.totals).toEqual({
      orders: 4,
      units: 16,
      revenue: 3_017_000,
      refunds: 2_500_000,
      refundedOrders: 1,
      net: 517_000,
    });
    expect(daily.body).toMatchObject({ from: '2026-03-01', to: '2026-04-02', timeZone: 'Asia/Seoul' });

    const weekly = await get('/api/admin/stats/sales?from=2026-03-01&to=2026-03-15&granularity=week');
    expect(
      weekly.body.buckets.map((b: any) => [b.period, b.start, b.end, b.orders, b.revenue, b.refunds]),
    ).toEqual([
      ['2026-W09', '2026-03-01', '2026-03-01', 1, 200_000, 0],
      ['2026-W10', '2026-03-02', '2026-03-08', 1, 227_000, 0],
      ['2026-W11', '2026-03-09', '2026-03-15', 1, 2_500_000, 2_500_000],
    ]);

    const monthly = await get('/api/admin/stats/sales?from=2026-02-15&to=2026-04-30&granularity=month');
    expect(monthly.body.buckets.map((b: any) => [b.period, b.start, b.end, b.orders, b.net])).toEqual([
      ['2026-02', '2026-02-15', '2026-02-28', 0, 0],
      ['2026-03', '2026-03-01', '2026-03-31', 3, 427_000],
      ['2026-04', '2026-04-01', '2026-04-30', 1, 90_000],
    ]);

    const top = await get('/api/admin/stats/top-products?from=2026-03-01&to=2026-04-30&limit=2');
    expect(top.status).toBe(200);
    expect(top.body.items).toEqual([
      { productId: products[1], name: 'USB-C Cable', units: 13, revenue: 117_000 },
      { productId: products[0], name: 'Pixel Buds', units: 2, revenue: 400_000 },
    ]);

    const tooLong = await get('/api/admin/stats/sales?from=2025-01-01&to=2026-01-02');
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.code).toBe('INVALID_DATE_RANGE');
    expect((await get('/api/admin/stats/sales?from=2025-01-01&to=2026-01-01')).status).toBe(200);
    expect((await get('/api/admin/stats/sales?granularity=year')).status).toBe(400);
    expect((await get('/api/admin/stats/sales?from=2026-03-02&to=2026-03-01')).status).toBe(400);
  });

  it('when the stats worker starts, then the reconciliation is scheduled with the cron in the shop zone', async () => {
    const scheduler = await statsQueue().getJobScheduler('stats-reconcile');
    expect(scheduler).toMatchObject({ name: 'reconcile', pattern: '*/15 * * * *', tz: 'Asia/Seoul' });
  });

  it('when rows are corrupted and a rebuild is requested over HTTP, then 202 with the job id and the worker restores them', async () => {
    await insertOrder(stack.database.db, {
      userId: customer,
      status: 'CONFIRMED',
      items: [sale(0, 2, 200_000)],
      confirmedAt: new Date('2026-05-05T05:00:00Z'), // counted by nobody yet
    });
    await stack.database.db('daily_sales_stats').where({ day: '2026-03-02' }).update({ revenue: 1 });
    await stack.database.db('product_sales_stats').where({ day: '2026-04-01' }).delete();

    const response = await call(stack.url, 'POST', '/api/admin/stats/rebuild?from=2026-03-01&to=2026-05-31', {
      token: admin.token,
      headers: { 'x-request-id': 'stats-rebuild-request-1' },
    });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({
      jobId: expect.stringMatching(/^rebuild-2026-03-01-2026-05-31-/),
      from: '2026-03-01',
      to: '2026-05-31',
      links: { dashboard: `/admin/queues/queue/stats/${response.body.jobId}` },
    });
    const job = await settled(response.body.jobId);
    // The deleted product row changes no daily row; the new order's row is added.
    expect(job.returnvalue).toMatchObject({
      changedDays: ['2026-03-02', '2026-05-05'],
      changedProductRows: 2,
    });
    expect(job.data.requestId).toBe('stats-rebuild-request-1');
    expect(await readAggregates(stack.database.db)).toEqual(await recomputeWithSql(stack.database.db));

    const audit = await stack.database
      .db('audit_log')
      .where({ action: 'stats.rebuild.request' })
      .first('actor_user_id', 'entity_id', 'request_id');
    expect(audit).toEqual({
      actor_user_id: admin.userId,
      entity_id: '2026-03-01..2026-05-31',
      request_id: 'stats-rebuild-request-1',
    });

    const tooLong = await call(stack.url, 'POST', '/api/admin/stats/rebuild?from=2025-01-01&to=2026-05-31', {
      token: admin.token,
    });
    expect(tooLong.status).toBe(400);
    expect(
      (await call(stack.url, 'POST', '/api/admin/stats/rebuild?from=2026-01-01', { token: admin.token }))
        .status,
    ).toBe(400);
  });

  it('when reading the overview, then today and yesterday, new users, pending orders and failed jobs are shown', async () => {
    const now = Date.now();
    const today = await insertOrder(stack.database.db, {
      userId: customer,
      status: 'CONFIRMED',
      items: [sale(1, 1, 9_000)],
      confirmedAt: new Date(now),
    });
    const yesterday = await insertOrder(stack.database.db, {
      userId: customer,
      status: 'CONFIRMED',
      items: [sale(1, 2, 9_000)],
      confirmedAt: new Date(now - 24 * 3600_000),
    });
    await countThroughWorker('confirmed', today);
    await countThroughWorker('confirmed', yesterday);
    for (const status of ['PENDING', 'PENDING', 'STOCK_RESERVED', 'CANCEL_REQUESTED', 'REJECTED'] as const)
      await insertOrder(stack.database.db, { userId: customer, status, items: [sale(1, 1, 9_000)] });
    // A rebuild job that can never succeed ends failed at once.
    await stack.bff.ctx.producers.stats.add(
      'rebuild',
      { from: '2026-13-01', to: '2026-13-02' },
      { jobId: 'bad-rebuild' },
    );
    await settled('bad-rebuild', 'failed');

    const overview = await get('/api/admin/stats/overview');
    expect(overview.status).toBe(200);
    const body = overview.body;
    const expected = (await recomputeWithSql(stack.database.db)).daily;
    const figures = (day: string) => {
      const row = expected.find((r) => r.day === day);
      return {
        day,
        orders: row?.orders ?? 0,
        units: row?.units ?? 0,
        revenue: row?.revenue ?? 0,
        refunds: row?.refunds ?? 0,
        refundedOrders: row?.refunded_orders ?? 0,
        net: (row?.revenue ?? 0) - (row?.refunds ?? 0),
      };
    };
    expect(body.today).toEqual(figures(body.today.day));
    expect(body.yesterday).toEqual(figures(addDays(body.today.day, -1)));
    expect(body.today.orders).toBeGreaterThanOrEqual(1);
    expect(body.yesterday.orders).toBeGreaterThanOrEqual(1);
    const usersToday = await stack.database
      .db('users')
      .where('created_at', '>=', new Date(Date.parse(`${body.today.day}T00:00:00+09:00`)))
      .count({ n: '*' });
    expect(body.newUsersToday).toBe(Number(usersToday[0]!.n));
    expect(body.newUsersToday).toBeGreaterThanOrEqual(2);
    expect(body.pendingOrders).toEqual({
      total: 4,
      byStatus: { PENDING: 2, STOCK_RESERVED: 1, CANCEL_REQUESTED: 1 },
    });
    expect(body.failedJobs).toEqual({ orders: 0, stock: 0, payments: 0, stats: 1, notifications: 0 });
  });
});
