import type { Knex } from 'knex';
import type { OrderStatus } from '../../shared/orders/order-state-machine';

export interface DailySales {
  day: string;
  orders: number;
  units: number;
  revenue: number;
  refundedOrders: number;
  refunds: number;
}

/** Reads of the statistics tables (the stats worker writes them) and the few live counts of the overview. */
export function adminStatsRepository(db: Knex) {
  return {
    async dailySales(from: string, to: string): Promise<DailySales[]> {
      const rows = (await db('daily_sales_stats')
        .whereBetween('day', [from, to])
        .orderBy('day')
        .select(
          db.raw("DATE_FORMAT(day, '%Y-%m-%d') AS day"),
          'orders',
          'units',
          'revenue',
          'refunded_orders',
          'refunds',
        )) as {
        day: string;
        orders: number;
        units: number;
        revenue: number | string;
        refunded_orders: number;
        refunds: number | string;
      }[];
      return rows.map((row) => ({
        day: row.day,
        orders: Number(row.orders),
        units: Number(row.units),
        revenue: Number(row.revenue),
        refundedOrders: Number(row.refunded_orders),
        refunds: Number(row.refunds),
      }));
    },

    /** Units first, then revenue; the product's current name (deleted products keep theirs). */
    async topProducts(from: string, to: string, limit: number) {
      const rows = (await db('product_sales_stats as s')
        .leftJoin('products as p', 'p.id', 's.product_id')
        .whereBetween('s.day', [from, to])
        .groupBy('s.product_id', 'p.name')
        .orderBy([
          { column: 'units', order: 'desc' },
          { column: 'revenue', order: 'desc' },
          { column: 's.product_id', order: 'asc' },
        ])
        .limit(limit)
        .select(
          's.product_id',
          'p.name',
          db.raw('SUM(s.units) AS units'),
          db.raw('SUM(s.revenue) AS revenue'),
        )) as { product_id: number; name: string | null; units: string | number; revenue: string | number }[];
      return rows.map((row) => ({
        productId: Number(row.product_id),
        name: row.name,
        units: Number(row.units),
        revenue: Number(row.revenue),
      }));
    },

    async usersCreatedBetween(start: Date, end: Date): Promise<number> {
      const row = (await db('users')
        .where('created_at', '>=', start)
        .where('created_at', '<', end)
        .count({ n: '*' })
        .first()) as { n: number | string };
      return Number(row.n);
    },

    async ordersByStatus(statuses: readonly OrderStatus[]): Promise<Record<string, number>> {
      const rows = (await db('orders')
        .whereIn('status', [...statuses])
        .groupBy('status')
        .select('status', db.raw('COUNT(*) AS n'))) as { status: string; n: number | string }[];
      return Object.fromEntries(
        statuses.map((status) => [status, Number(rows.find((row) => row.status === status)?.n ?? 0)]),
      );
    },
  };
}
export type AdminStatsRepository = ReturnType<typeof adminStatsRepository>;
