/**
 * The stats worker's service against a real MariaDB: incremental counting with replays and concurrency,
 * rebuilds racing with events, the Seoul day boundary, and drift correction.
 */
import { createRandom } from '../../fakes/fake-server';
import { statsService, type RebuildOutcome, type StatsOutcome } from '../../workers/stats/stats.service';
import { microBatcher } from '../../shared/micro-batch';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { insertProducts } from '../support/products';
import { insertOrder, insertUser, readAggregates, recomputeWithSql } from './order-fixtures';

const ZONE = 'Asia/Seoul';
const HOUR = 3600_000;

/** Runs `work` as BullMQ runs a job: a failed attempt (a lock wait or deadlock victim) is tried again. */
async function asJob<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

type StatsEvent = { kind: 'confirmed' | 'cancelled'; orderId: number };

describe('sales statistics (stats worker service)', () => {
  let database: TestDatabase;
  let userId: number;
  let productIds: number[];

  beforeEach(async () => {
    database = await createTestDatabase('stats_service');
    userId = await insertUser(database.db);
    productIds = await insertProducts(database.db, [
      { price: 1_000, stock: 1_000 },
      { price: 25_000, stock: 1_000 },
      { price: 399_000, stock: 1_000 },
    ]);
  });
  afterEach(async () => {
    await database?.drop();
  });

  /** Random orders over a few days around Seoul midnights: some confirmed, some of those cancelled. */
  async function randomOrders(
    random: () => number,
    count: number,
    start = Date.parse('2026-03-01T10:00:00Z'),
  ) {
    const orders: { id: number; confirmed: boolean; cancelled: boolean }[] = [];
    for (let index = 0; index < count; index += 1) {
      const confirmed = random() < 0.85;
      const cancelled = confirmed && random() < 0.4;
      const confirmedAt = new Date(start + Math.floor(random() * 72) * HOUR + Math.floor(random() * HOUR));
      const items = productIds
        .filter(() => random() < 0.6)
        .map((productId, i) => ({
          productId,
          quantity: 1 + Math.floor(random() * 3),
          unitPrice: 1_000 * (i + 1),
        }));
      if (items.length === 0) items.push({ productId: productIds[0]!, quantity: 1, unitPrice: 1_000 });
      const id = await insertOrder(database.db, {
        userId,
        status: cancelled ? 'CANCELLED' : confirmed ? 'CONFIRMED' : 'PAYMENT_FAILED',
        items,
        confirmedAt: confirmed ? confirmedAt : null,
        cancelledAt: cancelled ? new Date(confirmedAt.getTime() + Math.floor(random() * 30) * HOUR) : null,
      });
      orders.push({ id, confirmed, cancelled });
    }
    return orders;
  }

  /**
   * Applies events like BullMQ would: several at once, each replayed up to three times, and an event that
   * throws (a cancellation before its confirmation was counted, a deadlock) goes back to the end of the queue.
   */
  async function applyEvents(
    events: StatsEvent[],
    random: () => number,
    extra: Promise<unknown>[] = [],
    confirmWith?: (orderId: number) => Promise<StatsOutcome>,
  ) {
    const stats = statsService(database.db, database.sqlBatches, ZONE);
    const countConfirmed = confirmWith ?? stats.countConfirmed;
    const queue = events.flatMap((event) =>
      Array.from({ length: 1 + Math.floor(random() * 3) }, () => event),
    );
    queue.sort(() => random() - 0.5);
    const pending = [...extra];
    let rounds = 0;
    while (queue.length > 0) {
      rounds += 1;
      if (rounds > 200) throw new Error('events never settled');
      const batch = queue.splice(0, 8);
      const results = await Promise.allSettled(
        batch.map((event) =>
          event.kind === 'confirmed' ? countConfirmed(event.orderId) : stats.countCancelled(event.orderId),
        ),
      );
      results.forEach((result, index) => {
        if (result.status === 'rejected') queue.push(batch[index]!);
      });
    }
    await Promise.all(pending);
  }

  const eventsOf = (orders: { id: number; confirmed: boolean; cancelled: boolean }[]): StatsEvent[] =>
    orders.flatMap((order) => [
      { kind: 'confirmed' as const, orderId: order.id },
      ...(order.cancelled ? [{ kind: 'cancelled' as const, orderId: order.id }] : []),
    ]);

  it('when confirmations are counted in batches as the stats worker does (replays of one order in one batch included), then the tables equal a SQL recomputation', async () => {
    const random = createRandom(20261126);
    const orders = await randomOrders(random, 60);
    const stats = statsService(database.db, database.sqlBatches, ZONE);
    const batchSizes: number[] = [];
    const batched = microBatcher({
      maxSize: 5,
      runBatch: (ids: number[]) => {
        batchSizes.push(ids.length);
        return stats.countConfirmedMany(ids);
      },
      runOne: stats.countConfirmed,
    });
    await applyEvents(eventsOf(orders), random, [], batched);

    expect(Math.max(...batchSizes)).toBeGreaterThan(1);
    expect(await readAggregates(database.db)).toEqual(await recomputeWithSql(database.db));
    const markers = await database.db('stats_applied_events').count({ n: '*' }).first();
    expect(Number(markers?.n)).toBe(
      orders.filter((o) => o.confirmed).length + orders.filter((o) => o.cancelled).length,
    );
  });

  it('when confirms, cancels and replays arrive shuffled and concurrently, then the tables equal a SQL recomputation', async () => {
    const random = createRandom(20261125);
    const orders = await randomOrders(random, 60);
    await applyEvents(eventsOf(orders), random);

    const expected = await recomputeWithSql(database.db);
    expect(expected.daily.length).toBeGreaterThan(2);
    expect(await readAggregates(database.db)).toEqual(expected);
    const markers = await database.db('stats_applied_events').count({ n: '*' }).first();
    expect(Number(markers?.n)).toBe(
      orders.filter((o) => o.confirmed).length + orders.filter((o) => o.cancelled).length,
    );
  });

  it('when a rebuild runs while the same days are being counted, then nothing is lost or counted twice', async () => {
    const random = createRandom(7);
    const orders = await randomOrders(random, 50);
    const stats = statsService(database.db, database.sqlBatches, ZONE);
    // Half the events before, then the rest racing with two rebuilds of the whole range.
    const events = eventsOf(orders);
    await applyEvents(events.slice(0, events.length / 2), random);
    await applyEvents(events.slice(events.length / 2), random, [
      asJob(() => stats.rebuild('2026-03-01', '2026-03-06')),
      asJob(() => stats.rebuild('2026-03-02', '2026-03-03')),
    ]);

    expect(await readAggregates(database.db)).toEqual(await recomputeWithSql(database.db));
  });

  /**
   * Resolves once `count` transactions of this test's database wait for a lock. InnoDB refreshes its
   * INNODB_TRX table only when it was not read for 100 ms, so it is polled more slowly than that.
   */
  async function lockWaiters(count: number): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [rows] = (await database.db.raw(
        `SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX t
         JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
         WHERE t.trx_state = 'LOCK WAIT' AND p.DB = DATABASE()`,
      )) as [{ n: number }[]];
      if (Number(rows[0]?.n) === count) return;
      if (Date.now() > deadline) throw new Error(`${count} lock waiters not seen within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it.each([
    ['the rebuild', 'rebuild-first'],
    ['the event', 'event-first'],
  ])(
    'when a rebuild and an event of the same day queue for it and %s gets it first, then the order counts once',
    async (_label, order) => {
      const stats = statsService(database.db, database.sqlBatches, ZONE);
      const orderId = await insertOrder(database.db, {
        userId,
        status: 'CONFIRMED',
        items: [{ productId: productIds[2]!, quantity: 1, unitPrice: 399_000 }],
        confirmedAt: new Date('2026-03-05T02:00:00Z'),
      });
      // Someone (an earlier event) holds the day, so both queue for it in a known order.
      const holder = await database.db.transaction();
      await holder.raw(
        "INSERT INTO daily_sales_stats (day) VALUES ('2026-03-05') ON DUPLICATE KEY UPDATE day = day",
      );
      const rebuild = () => stats.rebuild('2026-03-05', '2026-03-05');
      const count = () => stats.countConfirmed(orderId);
      let rebuilt: Promise<RebuildOutcome>;
      let counted: Promise<StatsOutcome>;
      try {
        if (order === 'rebuild-first') {
          rebuilt = rebuild();
          await lockWaiters(1);
          counted = count();
        } else {
          counted = count();
          await lockWaiters(1);
          rebuilt = rebuild();
        }
        await lockWaiters(2);
      } finally {
        await holder.commit();
      }

      expect(await counted).toEqual({ applied: order === 'event-first', day: '2026-03-05' });
      expect(await rebuilt).toMatchObject({
        confirmedOrders: 1,
        changedDays: order === 'event-first' ? [] : ['2026-03-05'],
      });
      expect((await readAggregates(database.db)).daily).toEqual([
        { day: '2026-03-05', orders: 1, units: 1, revenue: 399_000, refunded_orders: 0, refunds: 0 },
      ]);
    },
  );

  it('when orders are confirmed at 14:59:59Z and 15:00:00Z, then they fall on two Seoul days', async () => {
    const stats = statsService(database.db, database.sqlBatches, ZONE);
    const item = [{ productId: productIds[1]!, quantity: 2, unitPrice: 25_000 }];
    const late = await insertOrder(database.db, {
      userId,
      status: 'CONFIRMED',
      items: item,
      confirmedAt: new Date('2026-03-01T14:59:59.999Z'),
    });
    const early = await insertOrder(database.db, {
      userId,
      status: 'CANCELLED',
      items: item,
      confirmedAt: new Date('2026-03-01T15:00:00.000Z'),
      cancelledAt: new Date('2026-03-02T15:00:00.000Z'),
    });

    expect(await stats.countConfirmed(late)).toEqual({ applied: true, day: '2026-03-01' });
    expect(await stats.countConfirmed(early)).toEqual({ applied: true, day: '2026-03-02' });
    expect(await stats.countCancelled(early)).toEqual({ applied: true, day: '2026-03-03' });
    expect(await stats.countConfirmed(early)).toEqual({ applied: false, day: '2026-03-02' });

    const tables = await readAggregates(database.db);
    expect(tables.daily).toEqual([
      { day: '2026-03-01', orders: 1, units: 2, revenue: 50_000, refunded_orders: 0, refunds: 0 },
      { day: '2026-03-02', orders: 1, units: 2, revenue: 50_000, refunded_orders: 0, refunds: 0 },
      { day: '2026-03-03', orders: 0, units: 0, revenue: 0, refunded_orders: 1, refunds: 50_000 },
    ]);
    expect(tables).toEqual(await recomputeWithSql(database.db));

    // A rebuild of each single day cuts at the same instants.
    const outcome = await stats.rebuild('2026-03-02', '2026-03-02');
    expect(outcome).toMatchObject({ changedDays: [], confirmedOrders: 1, refundedOrders: 0 });
    expect(await readAggregates(database.db)).toEqual(tables);
  });

  it('when rows are corrupted, then a rebuild restores them and later replays still count nothing twice', async () => {
    const random = createRandom(42);
    const orders = await randomOrders(random, 30);
    await applyEvents(eventsOf(orders), random);
    const correct = await recomputeWithSql(database.db);
    const [first, second] = correct.daily;

    await database.db('daily_sales_stats').where({ day: first!.day }).update({ revenue: 1, orders: 99 });
    await database.db('product_sales_stats').where({ day: second!.day }).delete();
    await database.db('daily_sales_stats').insert({ day: '2026-02-20', orders: 5, units: 5, revenue: 5 });
    await database.db('product_sales_stats').insert({
      day: '2026-02-20',
      product_id: productIds[2]!,
      units: 3,
      revenue: 3,
    });
    // An order confirmed whose event never ran: the rebuild counts it and marks it.
    const unseen = await insertOrder(database.db, {
      userId,
      status: 'CONFIRMED',
      items: [{ productId: productIds[0]!, quantity: 4, unitPrice: 1_000 }],
      confirmedAt: new Date('2026-03-02T03:00:00Z'),
    });

    const stats = statsService(database.db, database.sqlBatches, ZONE);
    const outcome = await stats.rebuild('2026-02-15', '2026-03-10');
    expect(outcome.changedDays).toEqual(expect.arrayContaining(['2026-02-20', first!.day, '2026-03-02']));
    expect(outcome.changedProductRows).toBeGreaterThan(0);

    const rebuilt = await recomputeWithSql(database.db);
    expect(await readAggregates(database.db)).toEqual(rebuilt);

    await applyEvents([...eventsOf(orders), { kind: 'confirmed', orderId: unseen }], random);
    expect(await readAggregates(database.db)).toEqual(rebuilt);
    expect((await stats.rebuild('2026-02-15', '2026-03-10')).changedDays).toEqual([]);
  });

  it('when reconciling the last days, then drift inside the window is corrected and older days are left alone', async () => {
    const stats = statsService(database.db, database.sqlBatches, ZONE);
    const now = new Date('2026-03-10T03:00:00Z'); // 12:00 in Seoul, 2026-03-10
    const item = [{ productId: productIds[0]!, quantity: 1, unitPrice: 1_000 }];
    const recent = await insertOrder(database.db, {
      userId,
      status: 'CONFIRMED',
      items: item,
      confirmedAt: new Date('2026-03-09T01:00:00Z'),
    });
    const old = await insertOrder(database.db, {
      userId,
      status: 'CONFIRMED',
      items: item,
      confirmedAt: new Date('2026-03-01T01:00:00Z'),
    });
    await stats.countConfirmed(recent);
    await stats.countConfirmed(old);
    await database.db('daily_sales_stats').update({ revenue: 777 });

    const outcome = await stats.reconcile(3, now);
    expect(outcome).toMatchObject({ from: '2026-03-08', to: '2026-03-10', changedDays: ['2026-03-09'] });
    const daily = (await readAggregates(database.db)).daily;
    expect(daily.map((row) => [row.day, row.revenue])).toEqual([
      ['2026-03-01', 777],
      ['2026-03-09', 1_000],
    ]);
  });

  it('when a rebuild range is empty or longer than 366 days, then it is refused', async () => {
    const stats = statsService(database.db, database.sqlBatches, ZONE);
    await expect(stats.rebuild('2026-03-02', '2026-03-01')).rejects.toThrow(RangeError);
    await expect(stats.rebuild('2026-01-01', '2027-01-02')).rejects.toThrow(/1 to 366 days/);
    await expect(stats.rebuild('2028-01-01', '2028-12-31')).resolves.toMatchObject({ changedDays: [] });
  });

  it('when a rebuild names days outside the shop calendar (0999-12-31, 9999-12-31, 0100-01-01), then it is refused at once', async () => {
    const stats = statsService(database.db, database.sqlBatches, ZONE);
    for (const [from, to] of [
      ['0999-12-31', '0999-12-31'],
      ['9999-12-31', '9999-12-31'],
      ['0100-01-01', '0100-01-01'],
      ['1999-12-31', '2000-01-01'],
      ['2100-12-31', '2101-01-01'],
    ] as const)
      await expect(stats.rebuild(from, to)).rejects.toThrow(RangeError);
    await expect(stats.rebuild('2100-12-31', '2100-12-31')).resolves.toMatchObject({ changedDays: [] });
  });
});
