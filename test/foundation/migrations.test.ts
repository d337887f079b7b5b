import { createTestDatabase, type TestDatabase } from '../support/database';

const TABLES = [
  'audit_log',
  'cart_items',
  'carts',
  'categories',
  'daily_sales_stats',
  'order_items',
  'orders',
  'payments',
  'product_images',
  'product_sales_stats',
  'products',
  'refresh_tokens',
  'replica_heartbeats',
  'stats_applied_events',
  'stock_ledger',
  'user_identities',
  'users',
];

async function tableNames(database: TestDatabase): Promise<string[]> {
  const rows = (await database
    .db('information_schema.tables')
    .where('table_schema', database.name)
    .whereNot('table_name', 'like', 'knex_migrations%')
    .select('table_name as name')) as { name: string }[];
  return rows.map((row) => row.name).sort();
}

describe('migrations', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('migrations', { migrate: false });
  });
  afterAll(async () => {
    await database.drop();
  });

  it('when migrated up, down and up again, then every table exists in utf8mb4 and the down leaves none', async () => {
    await database.db.migrate.latest();
    expect(await tableNames(database)).toEqual(TABLES);

    const collations = (await database
      .db('information_schema.tables')
      .where('table_schema', database.name)
      .distinct('table_collation as collation')) as { collation: string }[];
    expect(collations.every((row) => row.collation.startsWith('utf8mb4'))).toBe(true);

    await database.db.migrate.rollback(undefined, true);
    expect(await tableNames(database)).toEqual([]);

    await database.db.migrate.latest();
    expect(await tableNames(database)).toEqual(TABLES);
  });

  it('when the same ledger entry is written twice, then the unique key refuses the second', async () => {
    const db = database.db;
    const [userId] = await db('users').insert({ email: 'ledger@example.com' });
    const [categoryId] = await db('categories').insert({ slug: 'ledger', name: 'Ledger' });
    const [productId] = await db('products').insert({
      category_id: categoryId,
      sku: 'LEDGER-1',
      name: 'Ledger test',
      brand: 'Test',
      description: 'x',
      price: 1000,
      stock: 5,
    });
    const [orderId] = await db('orders').insert({
      user_id: userId,
      total: 1000,
      idempotency_key: 'k1',
      request_hash: 'h',
      shipping_address: JSON.stringify({}),
      payment_method: 'card',
    });
    const entry = { order_id: orderId, product_id: productId, kind: 'reserve', quantity: -1 };
    await db('stock_ledger').insert(entry);
    await expect(db('stock_ledger').insert(entry)).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' });
  });
});
