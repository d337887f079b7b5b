import type { Knex } from 'knex';
import { isDuplicateKeyError, withTransaction } from '../../shared/db';
import { addDays, daysBetween, isShopDay, shopDay, shopDayStart } from '../../shared/shop-time';
import {
  placeholders,
  rowsOf,
  statement,
  type SqlBatches,
  type SqlStatement,
} from '../../shared/sql-batches';

export type StatsOutcome = { applied: boolean; day?: string };

/** What a rebuild found and changed. */
export interface RebuildOutcome {
  from: string;
  to: string;
  /** Days whose daily row changed (drift corrected), ascending. */
  changedDays: string[];
  /** Product-day rows inserted, updated or deleted. */
  changedProductRows: number;
  confirmedOrders: number;
  refundedOrders: number;
}

/** Thrown when a cancellation arrives before its confirmation was counted: retried until it was. */
class ConfirmationNotCountedYetError extends Error {}

/** Thrown when another rebuild holds the statistics lock for too long: retried with backoff. */
class RebuildBusyError extends Error {}

/** The longest range one rebuild may cover (a year, leap day included). */
export const MAX_REBUILD_DAYS = 366;
const REBUILD_LOCK_WAIT_SECONDS = 60;
const BATCH = 500;

interface DailyRow {
  day: string;
  orders: number;
  units: number;
  revenue: number;
  refunded_orders: number;
  refunds: number;
}

type DailyCounts = Omit<DailyRow, 'day'>;
const zeroDaily = (): DailyCounts => ({ orders: 0, units: 0, revenue: 0, refunded_orders: 0, refunds: 0 });
const isZero = (row: DailyCounts) => Object.values(row).every((value) => value === 0);
const sameDaily = (a: DailyCounts, b: DailyCounts) =>
  a.orders === b.orders &&
  a.units === b.units &&
  a.revenue === b.revenue &&
  a.refunded_orders === b.refunded_orders &&
  a.refunds === b.refunds;

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let index = 0; index < items.length; index += size) yield items.slice(index, index + size);
}

/** One product's sales on one day. */
interface ProductDay {
  day: string;
  productId: number;
  units: number;
  revenue: number;
}

/** Sums sales into per-(day, product) rows. */
class ProductDays {
  private readonly rows = new Map<string, ProductDay>();

  add(day: string, productId: number, units: number, revenue: number): void {
    const key = `${day}|${productId}`;
    const row = this.rows.get(key) ?? { day, productId, units: 0, revenue: 0 };
    row.units += units;
    row.revenue += revenue;
    this.rows.set(key, row);
  }

  get(day: string, productId: number): ProductDay | undefined {
    return this.rows.get(`${day}|${productId}`);
  }

  delete(day: string, productId: number): void {
    this.rows.delete(`${day}|${productId}`);
  }

  /** In key order, so two writers touching the same rows lock them in the same order. */
  sorted(): ProductDay[] {
    return [...this.rows.values()].sort((a, b) =>
      a.day === b.day ? a.productId - b.productId : a.day < b.day ? -1 : 1,
    );
  }
}

/** Writes product-day rows: `add` to what is there (incremental events) or `replace` it (rebuilds). */
function upsertProductDays(rows: ProductDay[], mode: 'add' | 'replace'): SqlStatement[] {
  const update =
    mode === 'add'
      ? 'units = units + VALUES(units), revenue = revenue + VALUES(revenue)'
      : 'units = VALUES(units), revenue = VALUES(revenue)';
  return [...chunks(rows, BATCH)].map((batch) =>
    statement(
      `INSERT INTO product_sales_stats (day, product_id, units, revenue) VALUES ${batch
        .map(() => '(?, ?, ?, ?)')
        .join(', ')}
       ON DUPLICATE KEY UPDATE ${update}`,
      batch.flatMap((row) => [row.day, row.productId, row.units, row.revenue]),
    ),
  );
}

/** Locks the days' rows (creating them when missing): whoever writes a day's statistics holds it first. */
function lockDays(days: string[]): SqlStatement[] {
  return [...chunks(days, BATCH)].map((batch) =>
    statement(
      `INSERT INTO daily_sales_stats (day) VALUES ${batch.map(() => '(?)').join(', ')}
       ON DUPLICATE KEY UPDATE day = day`,
      batch,
    ),
  );
}

/** Runs statements one by one in a knex transaction (the rebuild's and the cancellation's). */
async function runIn(trx: Knex.Transaction, statements: SqlStatement[]): Promise<void> {
  for (const { sql, values } of statements) await trx.raw(sql, values as Knex.RawBinding[]);
}

/**
 * Sales aggregates, cut into days in the shop's time zone.
 *
 * Incremental events: each order event is counted once: the (order, kind) row in stats_applied_events is
 * written in the same transaction as the counters, so a replay finds it and stops.
 *
 * Rebuilds recompute days from the orders and replace their rows. Both paths take the daily_sales_stats row
 * of the day they write first (an incremental event its one day, a rebuild every day of its range, creating
 * missing rows), so a rebuild and an event of the same day run one after the other, never interleaved:
 * - an order the rebuild's snapshot sees confirmed is counted by it and gets its applied marker in the same
 *   transaction; its event, blocked on the day row until the rebuild commits, then finds the marker and stops;
 * - an order confirmed after that snapshot is not counted and gets no marker; its event counts it after.
 * Rebuilds are serialised among themselves by a named lock (GET_LOCK) per database.
 */
export function statsService(db: Knex, sqlBatches: SqlBatches, timeZone: string) {
  /**
   * Days of slots of 15 minutes, memoised: shopDay is not cheap. Every zone's offset in the shop calendar's years
   * (2000–2100) is a multiple of 15 minutes; only historic local mean times were not.
   */
  const slotDays = new Map<number, string>();
  const dayOfInstant = (instant: Date): string => {
    const slot = Math.floor(instant.getTime() / 900_000);
    let day = slotDays.get(slot);
    if (day === undefined) {
      day = shopDay(new Date(slot * 900_000), timeZone);
      if (slotDays.size > 100_000) slotDays.clear();
      slotDays.set(slot, day);
    }
    return day;
  };

  async function markApplied(
    trx: Knex.Transaction,
    orderId: number,
    kind: 'confirmed' | 'cancelled',
  ): Promise<boolean> {
    try {
      await trx('stats_applied_events').insert({ order_id: orderId, kind });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async function withRebuildLock<T>(trx: Knex.Transaction, work: () => Promise<T>): Promise<T> {
    // GET_LOCK is server-wide: the lock name carries the database, so test databases never share it.
    const [[{ name }]] = (await trx.raw(
      "SELECT LEFT(CONCAT('vm-stats-rebuild:', DATABASE()), 64) AS name",
    )) as [[{ name: string }]];
    const [[{ locked }]] = (await trx.raw('SELECT GET_LOCK(?, ?) AS locked', [
      name,
      REBUILD_LOCK_WAIT_SECONDS,
    ])) as [[{ locked: number | null }]];
    if (locked !== 1) throw new RebuildBusyError('another statistics rebuild is running; retrying later');
    try {
      return await work();
    } finally {
      // A lost connection releases the lock by itself; never let that failure hide the real one.
      await trx.raw('SELECT RELEASE_LOCK(?)', [name]).catch(() => undefined);
    }
  }

  async function rebuild(from: string, to: string): Promise<RebuildOutcome> {
    const span = isShopDay(from) && isShopDay(to) ? daysBetween(from, to) + 1 : Number.NaN;
    if (!(span >= 1 && span <= MAX_REBUILD_DAYS))
      throw new RangeError(`a rebuild covers 1 to ${MAX_REBUILD_DAYS} days, not ${from}..${to}`);
    const days = Array.from({ length: span }, (_, index) => addDays(from, index));
    const start = shopDayStart(from, timeZone);
    const end = shopDayStart(addDays(to, 1), timeZone);

    return withTransaction(db, (trx) =>
      withRebuildLock(trx, async () => {
        // Locks first; the snapshot that every read below shares starts with the first read after them.
        await runIn(trx, lockDays(days));
        const before = (await trx('daily_sales_stats')
          .whereBetween('day', [from, to])
          .select(
            trx.raw("DATE_FORMAT(day, '%Y-%m-%d') AS day"),
            'orders',
            'units',
            'revenue',
            'refunded_orders',
            'refunds',
          )) as DailyRow[];
        const beforeProducts = (await trx('product_sales_stats')
          .whereBetween('day', [from, to])
          .select(trx.raw("DATE_FORMAT(day, '%Y-%m-%d') AS day"), 'product_id', 'units', 'revenue')) as {
          day: string;
          product_id: number;
          units: number;
          revenue: number;
        }[];
        const confirmed = (await trx('orders')
          .where('confirmed_at', '>=', start)
          .where('confirmed_at', '<', end)
          .select('id', 'total', 'confirmed_at')) as { id: number; total: number; confirmed_at: Date }[];
        const sold = (await trx('orders as o')
          .join('order_items as i', 'i.order_id', 'o.id')
          .where('o.confirmed_at', '>=', start)
          .where('o.confirmed_at', '<', end)
          .groupByRaw('slot, i.product_id')
          .select(
            trx.raw('FLOOR(UNIX_TIMESTAMP(o.confirmed_at) / 900) AS slot'),
            'i.product_id',
            trx.raw('SUM(i.quantity) AS units'),
            trx.raw('SUM(i.line_total) AS revenue'),
          )) as { slot: number; product_id: number; units: string | number; revenue: string | number }[];
        const refunded = (await trx('orders')
          .where('cancelled_at', '>=', start)
          .where('cancelled_at', '<', end)
          .whereNotNull('confirmed_at')
          .select('id', 'total', 'cancelled_at')) as { id: number; total: number; cancelled_at: Date }[];

        const daily = new Map(days.map((day) => [day, zeroDaily()]));
        const at = (day: string) => daily.get(day) ?? zeroDaily(); // every day of the range is in the map
        for (const order of confirmed) {
          const row = at(dayOfInstant(order.confirmed_at));
          row.orders += 1;
          row.revenue += Number(order.total);
        }
        for (const order of refunded) {
          const row = at(dayOfInstant(order.cancelled_at));
          row.refunded_orders += 1;
          row.refunds += Number(order.total);
        }
        const products = new ProductDays();
        for (const line of sold) {
          const day = dayOfInstant(new Date(Number(line.slot) * 900_000));
          products.add(day, Number(line.product_id), Number(line.units), Number(line.revenue));
          at(day).units += Number(line.units);
        }

        // Replace: update what changed, delete what is now empty, by primary key (no range locks).
        const previous = new Map(before.map((row) => [row.day, row]));
        const changedDays: string[] = [];
        for (const day of days) {
          const next = daily.get(day) ?? zeroDaily();
          const old = previous.get(day);
          const oldCounts = old
            ? {
                orders: Number(old.orders),
                units: Number(old.units),
                revenue: Number(old.revenue),
                refunded_orders: Number(old.refunded_orders),
                refunds: Number(old.refunds),
              }
            : zeroDaily();
          if (isZero(next)) await trx('daily_sales_stats').where({ day }).delete();
          else if (!sameDaily(next, oldCounts))
            await trx('daily_sales_stats')
              .where({ day })
              .update({ ...next, updated_at: trx.raw('CURRENT_TIMESTAMP(3)') });
          if (!sameDaily(next, oldCounts)) changedDays.push(day);
        }

        let changedProductRows = 0;
        for (const row of beforeProducts) {
          const productId = Number(row.product_id);
          const next = products.get(row.day, productId);
          if (!next) {
            await trx('product_sales_stats').where({ day: row.day, product_id: row.product_id }).delete();
            changedProductRows += 1;
          } else if (next.units === Number(row.units) && next.revenue === Number(row.revenue)) {
            products.delete(row.day, productId); // unchanged: nothing to write
          }
        }
        const toWrite = products.sorted();
        await runIn(trx, upsertProductDays(toWrite, 'replace'));
        changedProductRows += toWrite.length;

        // Every order counted above is marked, so its (possibly still queued) event will not count it again.
        const markers = [
          ...confirmed.map((order) => [Number(order.id), 'confirmed'] as const),
          ...refunded.map((order) => [Number(order.id), 'cancelled'] as const),
        ];
        for (const batch of chunks(markers, BATCH)) {
          await trx.raw(
            `INSERT IGNORE INTO stats_applied_events (order_id, kind) VALUES ${batch.map(() => '(?, ?)').join(', ')}`,
            batch.flat(),
          );
        }

        return {
          from,
          to,
          changedDays,
          changedProductRows,
          confirmedOrders: confirmed.length,
          refundedOrders: refunded.length,
        };
      }),
    );
  }

  /**
   * Counts confirmed orders, each once, in one transaction whatever their number (the stats worker hands
   * over the confirmations that arrived together). Orders not confirmed are not counted; orders already
   * counted (a replayed event, or a rebuild) are reported with `applied: false`.
   *
   * The days are locked first, and only then are the markers read: the transaction's snapshot starts at that
   * read, after the locks, and whoever else writes a marker for these orders (a duplicate event, a rebuild of
   * the day) holds the same day lock first. So the read is exact, and the markers' primary key stays the
   * final guard: a duplicate fails the whole batch, which the caller retries order by order.
   */
  async function countConfirmedMany(orderIds: number[]): Promise<Map<number, StatsOutcome>> {
    const outcomes = new Map<number, StatsOutcome>(orderIds.map((id) => [id, { applied: false }]));
    const ids = [...new Set(orderIds)];
    // confirmed_at, total and the order's items never change once set, so they are read before the
    // transaction, together.
    const [confirmedRows, itemRows] = await sqlBatches.run(
      statement(
        `SELECT id, total, confirmed_at FROM orders WHERE id IN (${placeholders(ids)}) AND confirmed_at IS NOT NULL`,
        ids,
      ),
      statement(
        `SELECT order_id, product_id, quantity, line_total FROM order_items WHERE order_id IN (${placeholders(ids)})`,
        ids,
      ),
    );
    const orders = rowsOf<{ id: number; total: number; confirmed_at: Date }>(confirmedRows);
    if (orders.length === 0) return outcomes;
    const dayOf = new Map(orders.map((order) => [Number(order.id), dayOfInstant(order.confirmed_at)]));
    for (const [id, day] of dayOf) outcomes.set(id, { applied: false, day });
    const days = [...new Set(dayOf.values())].sort();

    // Three round trips: BEGIN, the day locks and the markers' read; then every write with COMMIT.
    await sqlBatches.transaction(async (tx) => {
      const locked = await tx.run(
        ...lockDays(days),
        statement(
          `SELECT order_id FROM stats_applied_events WHERE kind = 'confirmed' AND order_id IN (${placeholders([...dayOf.keys()])})`,
          [...dayOf.keys()],
        ),
      );
      const counted = new Set(rowsOf<{ order_id: number }>(locked.at(-1)).map((row) => Number(row.order_id)));
      const toCount = orders.filter((order) => !counted.has(Number(order.id)));
      if (toCount.length === 0) {
        await tx.commit();
        return;
      }
      const countedNow = new Set(toCount.map((order) => Number(order.id)));

      const daily = new Map<string, { orders: number; units: number; revenue: number }>();
      for (const order of toCount) {
        const row = daily.get(dayOf.get(Number(order.id))!) ?? { orders: 0, units: 0, revenue: 0 };
        row.orders += 1;
        row.revenue += Number(order.total);
        daily.set(dayOf.get(Number(order.id))!, row);
      }
      const products = new ProductDays();
      for (const item of rowsOf<{
        order_id: number;
        product_id: number;
        quantity: number;
        line_total: number;
      }>(itemRows)) {
        if (!countedNow.has(Number(item.order_id))) continue;
        const day = dayOf.get(Number(item.order_id))!;
        daily.get(day)!.units += Number(item.quantity);
        products.add(day, Number(item.product_id), Number(item.quantity), Number(item.line_total));
      }

      await tx.commit(
        statement(
          `INSERT INTO stats_applied_events (order_id, kind) VALUES ${[...countedNow].map(() => "(?, 'confirmed')").join(', ')}`,
          [...countedNow],
        ),
        ...days
          .filter((day) => daily.has(day))
          .map((day) => {
            const row = daily.get(day)!;
            return statement(
              `UPDATE daily_sales_stats
                  SET orders = orders + ?, units = units + ?, revenue = revenue + ?, updated_at = CURRENT_TIMESTAMP(3)
                WHERE day = ?`,
              [row.orders, row.units, row.revenue, day],
            );
          }),
        ...upsertProductDays(products.sorted(), 'add'),
      );
      for (const id of countedNow) outcomes.set(id, { applied: true, day: dayOf.get(id)! });
    });
    return outcomes;
  }

  return {
    /** Counts one confirmed order once (a batch of one: see countConfirmedMany). */
    async countConfirmed(orderId: number): Promise<StatsOutcome> {
      const outcomes = await countConfirmedMany([orderId]);
      return outcomes.get(orderId) ?? { applied: false };
    },

    countConfirmedMany,

    /** A cancelled paid order counts as a refund on the day it was cancelled. */
    async countCancelled(orderId: number): Promise<StatsOutcome> {
      return withTransaction(db, async (trx) => {
        const order = await trx('orders')
          .where({ id: orderId })
          .first('total', 'confirmed_at', 'cancelled_at');
        if (!order?.confirmed_at || !order.cancelled_at) return { applied: false };
        const day = dayOfInstant(order.cancelled_at as Date);
        if (await trx('stats_applied_events').where({ order_id: orderId, kind: 'cancelled' }).first())
          return { applied: false, day };
        await runIn(trx, lockDays([day]));
        // A locking read: the marker may have been written by a rebuild after this transaction's snapshot.
        const confirmedCounted = await trx('stats_applied_events')
          .where({ order_id: orderId, kind: 'confirmed' })
          .forShare()
          .first();
        if (!confirmedCounted)
          throw new ConfirmationNotCountedYetError(`order ${orderId}: confirmation not counted yet`);
        if (!(await markApplied(trx, orderId, 'cancelled'))) return { applied: false, day };
        await trx.raw(
          `UPDATE daily_sales_stats SET refunded_orders = refunded_orders + 1, refunds = refunds + ?,
             updated_at = CURRENT_TIMESTAMP(3) WHERE day = ?`,
          [order.total, day],
        );
        return { applied: true, day };
      });
    },

    /** Recomputes the days `from`..`to` (shop zone, inclusive) from the orders and replaces their rows. */
    rebuild,

    /** Recomputes the last `days` shop days up to `today`, correcting any drift of the incremental counts. */
    reconcile(days: number, now: Date = new Date()): Promise<RebuildOutcome> {
      const today = shopDay(now, timeZone);
      return rebuild(addDays(today, -(days - 1)), today);
    },
  };
}

export type StatsService = ReturnType<typeof statsService>;
