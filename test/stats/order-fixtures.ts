import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { OrderStatus } from '../../shared/orders/order-state-machine';

export interface OrderFixture {
  userId: number;
  status: OrderStatus;
  items: { productId: number; quantity: number; unitPrice: number }[];
  createdAt?: Date;
  confirmedAt?: Date | null;
  cancelledAt?: Date | null;
}

/** Writes an order and its items straight into the tables, in whatever state a test needs. */
export async function insertOrder(db: Knex, order: OrderFixture): Promise<number> {
  const total = order.items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
  const [id] = await db('orders').insert({
    user_id: order.userId,
    status: order.status,
    total,
    idempotency_key: `fixture-${randomBytes(8).toString('hex')}`,
    request_hash: 'f'.repeat(64),
    shipping_address: JSON.stringify({ recipient: 'Test' }),
    payment_method: 'card',
    created_at: order.createdAt ?? order.confirmedAt ?? new Date(),
    confirmed_at: order.confirmedAt ?? null,
    cancelled_at: order.cancelledAt ?? null,
  });
  await db('order_items').insert(
    order.items.map((item) => ({
      order_id: id,
      product_id: item.productId,
      product_name: `Product ${item.productId}`,
      unit_price: item.unitPrice,
      quantity: item.quantity,
      line_total: item.unitPrice * item.quantity,
    })),
  );
  return Number(id);
}

/** A plain user row (no password): orders need an owner. */
export async function insertUser(db: Knex, fields: Record<string, unknown> = {}): Promise<number> {
  const [id] = await db('users').insert({
    email: `fixture.${randomBytes(4).toString('hex')}@example.com`,
    role: 'user',
    status: 'active',
    ...fields,
  });
  return Number(id);
}

/**
 * The aggregates recomputed straight from the orders with SQL, in Asia/Seoul days (UTC+9 all year, no DST),
 * as the tables should hold them: for comparing with daily_sales_stats and product_sales_stats.
 */
export async function recomputeWithSql(db: Knex) {
  const [sold] = (await db.raw(`
    SELECT DATE_FORMAT(DATE(o.confirmed_at + INTERVAL 9 HOUR), '%Y-%m-%d') AS day, COUNT(*) AS orders,
           SUM(o.total) AS revenue,
           SUM((SELECT SUM(i.quantity) FROM order_items i WHERE i.order_id = o.id)) AS units
    FROM orders o WHERE o.confirmed_at IS NOT NULL GROUP BY day`)) as [
    { day: string; orders: number; revenue: string; units: string }[],
  ];
  const [refunded] = (await db.raw(`
    SELECT DATE_FORMAT(DATE(cancelled_at + INTERVAL 9 HOUR), '%Y-%m-%d') AS day, COUNT(*) AS refunded_orders,
           SUM(total) AS refunds
    FROM orders WHERE confirmed_at IS NOT NULL AND cancelled_at IS NOT NULL GROUP BY day`)) as [
    { day: string; refunded_orders: number; refunds: string }[],
  ];
  const [products] = (await db.raw(`
    SELECT DATE_FORMAT(DATE(o.confirmed_at + INTERVAL 9 HOUR), '%Y-%m-%d') AS day, i.product_id,
           SUM(i.quantity) AS units, SUM(i.line_total) AS revenue
    FROM orders o JOIN order_items i ON i.order_id = o.id
    WHERE o.confirmed_at IS NOT NULL GROUP BY day, i.product_id`)) as [
    { day: string; product_id: number; units: string; revenue: string }[],
  ];
  type DailyCounts = {
    orders: number;
    units: number;
    revenue: number;
    refunded_orders: number;
    refunds: number;
  };
  const daily = new Map<string, DailyCounts>();
  const row = (day: string) => {
    let entry = daily.get(day);
    if (!entry) {
      entry = { orders: 0, units: 0, revenue: 0, refunded_orders: 0, refunds: 0 };
      daily.set(day, entry);
    }
    return entry;
  };
  for (const r of sold)
    Object.assign(row(r.day), {
      orders: Number(r.orders),
      units: Number(r.units),
      revenue: Number(r.revenue),
    });
  for (const r of refunded)
    Object.assign(row(r.day), { refunded_orders: Number(r.refunded_orders), refunds: Number(r.refunds) });
  return {
    daily: [...daily.entries()]
      .map(([day, counts]) => ({ day, ...counts }))
      .sort((a, b) => a.day.localeCompare(b.day)),
    products: products
      .map((p) => ({
        day: p.day,
        product_id: Number(p.product_id),
        units: Number(p.units),
        revenue: Number(p.revenue),
      }))
      .sort((a, b) => a.day.localeCompare(b.day) || a.product_id - b.product_id),
  };
}

/** The aggregate tables as they are, in the shape of {@link recomputeWithSql}. */
export async function readAggregates(db: Knex) {
  const daily = (await db('daily_sales_stats')
    .orderBy('day')
    .select(
      db.raw("DATE_FORMAT(day, '%Y-%m-%d') AS day"),
      'orders',
      'units',
      'revenue',
      'refunded_orders',
      'refunds',
    )) as Record<string, number | string>[];
  const products = (await db('product_sales_stats')
    .orderBy(['day', 'product_id'])
    .select(db.raw("DATE_FORMAT(day, '%Y-%m-%d') AS day"), 'product_id', 'units', 'revenue')) as Record<
    string,
    number | string
  >[];
  return {
    daily: daily.map((r) => ({
      day: String(r.day),
      orders: Number(r.orders),
      units: Number(r.units),
      revenue: Number(r.revenue),
      refunded_orders: Number(r.refunded_orders),
      refunds: Number(r.refunds),
    })),
    products: products.map((p) => ({
      day: String(p.day),
      product_id: Number(p.product_id),
      units: Number(p.units),
      revenue: Number(p.revenue),
    })),
  };
}
