import type { Knex } from 'knex';
import { verifyPassword } from '../shared/passwords';
import { demoCategories, demoProducts } from '../seeds/catalogue-data';
import { DEMO_ACCOUNTS } from '../seeds/demo-accounts';
import { generateProducts } from '../seeds/generate-products';
import { seedDemo } from '../seeds/seed-demo';
import { createTestDatabase, type TestDatabase } from './support/database';

let testDb: TestDatabase;
let knex: Knex;

const allowed = { nodeEnv: 'test', demoAccounts: true, log: () => undefined };

async function count(
  table: string,
  where: (builder: Knex.QueryBuilder) => void = () => undefined,
): Promise<number> {
  const row = await knex(table).where(where).count<{ total: number | string }>('* as total').first();
  return Number(row?.total ?? 0);
}

/** Every test starts from migrated, empty seed tables, so none depends on another's leftovers. */
async function emptySeedTables(): Promise<void> {
  await knex('product_images').del();
  await knex('products').del();
  await knex('categories').whereNotNull('parent_id').del();
  await knex('categories').del();
  await knex('users').del();
}

async function snapshot(): Promise<Record<string, unknown[]>> {
  return {
    categories: await knex('categories').orderBy('id'),
    products: await knex('products').orderBy('id'),
    productImages: await knex('product_images').orderBy('id'),
    users: await knex('users').orderBy('id'),
  };
}

beforeAll(async () => {
  testDb = await createTestDatabase('seeds');
  knex = testDb.db;
});

afterAll(async () => {
  await testDb?.drop();
});

beforeEach(emptySeedTables);

describe('seedDemo', () => {
  test('when it runs on an empty database, then it creates at least 200 products in at least 8 top-level categories', async () => {
    const result = await seedDemo(knex, allowed);

    expect(result).toEqual({ categories: demoCategories.length, products: demoProducts.length, users: 2 });
    expect(await count('categories')).toBe(demoCategories.length);
    expect(await count('categories', (q) => q.whereNull('parent_id'))).toBeGreaterThanOrEqual(8);
    expect(await count('products')).toBe(demoProducts.length);
    expect(demoProducts.length).toBeGreaterThanOrEqual(200);
  });

  test('when it has run, then every product has one primary image at position 0 and a positive integer price', async () => {
    await seedDemo(knex, allowed);

    const products = await knex('products as p')
      .leftJoin('product_images as i', 'i.product_id', 'p.id')
      .groupBy('p.id', 'p.price')
      .select<
        Array<{
          price: number;
          images: number | string;
          primaries: number | string;
          primaryPosition: number | null;
        }>
      >(
        'p.price',
        knex.raw('COUNT(i.id) AS images'),
        knex.raw('SUM(i.is_primary) AS primaries'),
        knex.raw('MIN(CASE WHEN i.is_primary THEN i.position END) AS primaryPosition'),
      );
    expect(products).toHaveLength(demoProducts.length);
    for (const product of products) {
      expect(Number(product.primaries)).toBe(1);
      expect(product.primaryPosition).toBe(0);
      expect(Number(product.images)).toBeGreaterThanOrEqual(1);
      expect(Number(product.images)).toBeLessThanOrEqual(3);
      expect(Number.isInteger(product.price) && product.price > 0).toBe(true);
    }
  });

  test('when demo accounts are allowed, then the admin and the demo user exist with their roles and passwords', async () => {
    await seedDemo(knex, allowed);

    const users = await knex('users')
      .orderBy('email')
      .select('email', 'name', 'role', 'phone', 'password_hash');
    expect(users.map(({ email, name, role, phone }) => ({ email, name, role, phone }))).toEqual([
      { email: 'admin@voltmall.dev', name: 'Demo Admin', role: 'admin', phone: null },
      { email: 'demo@voltmall.dev', name: 'Demo User', role: 'user', phone: '+821012345678' },
    ]);
    for (const account of DEMO_ACCOUNTS) {
      const stored = users.find((user) => user.email === account.email)?.password_hash as string;
      expect(await verifyPassword(account.password, stored)).toBe(true);
      expect(await verifyPassword(`${account.password}x`, stored)).toBe(false);
    }
  });

  test('when it runs twice, then the second run leaves every row and count unchanged', async () => {
    const first = await seedDemo(knex, allowed);
    const before = await snapshot();

    const second = await seedDemo(knex, allowed);

    expect(second).toEqual(first);
    expect(await snapshot()).toEqual(before);
    expect(before.products).toHaveLength(demoProducts.length);
    expect(before.users).toHaveLength(2);
  });

  test('when NODE_ENV is production, then the catalogue is seeded but no demo account is created and the skip is logged', async () => {
    const lines: string[] = [];

    const result = await seedDemo(knex, {
      nodeEnv: 'production',
      demoAccounts: true,
      log: (line) => lines.push(line),
    });

    expect(result.users).toBe(0);
    expect(await count('users')).toBe(0);
    expect(await count('products')).toBe(demoProducts.length);
    expect(lines).toEqual([expect.stringContaining('NODE_ENV=production')]);
  });

  test('when DEMO_ACCOUNTS is false, then no demo account is created', async () => {
    const lines: string[] = [];

    const result = await seedDemo(knex, {
      nodeEnv: 'development',
      demoAccounts: false,
      log: (line) => lines.push(line),
    });

    expect(result.users).toBe(0);
    expect(await count('users')).toBe(0);
    expect(lines).toEqual([expect.stringContaining('DEMO_ACCOUNTS=false')]);
  });
});

describe('generateProducts', () => {
  const generated = (q: Knex.QueryBuilder) => q.where('sku', 'like', 'GEN-%');

  test('when 2,000 products are generated twice, then the first call inserts 2,000 with a primary image each and the second none', async () => {
    await seedDemo(knex, allowed);
    const progress: Array<[number, number]> = [];

    const first = await generateProducts(knex, {
      count: 2000,
      batchSize: 500,
      onProgress: (done, total) => progress.push([done, total]),
    });
    const second = await generateProducts(knex, { count: 2000 });

    expect(first.inserted).toBe(2000);
    expect(second.inserted).toBe(0);
    expect(progress).toEqual([
      [500, 2000],
      [1000, 2000],
      [1500, 2000],
      [2000, 2000],
    ]);
    expect(await count('products', generated)).toBe(2000);
    const images = await knex('product_images as i')
      .join('products as p', 'p.id', 'i.product_id')
      .where('p.sku', 'like', 'GEN-%')
      .select<Array<{ sku: string; url: string; is_primary: number; position: number }>>(
        'p.sku',
        'i.url',
        'i.is_primary',
        'i.position',
      );
    expect(images).toHaveLength(2000);
    expect(images.every((image) => image.is_primary === 1 && image.position === 0)).toBe(true);
    expect(images.find((image) => image.sku === 'GEN-000000042')?.url).toBe(
      'https://images.voltmall.dev/products/gen-000000042-1.jpg',
    );
  });

  test('when the count grows, then only the numbers after the highest existing one are inserted, with stable names', async () => {
    await seedDemo(knex, allowed);
    await generateProducts(knex, { count: 300 });
    const named = await knex('products').where({ sku: 'GEN-000000300' }).first('name', 'price');

    const grown = await generateProducts(knex, { count: 500, batchSize: 64 });

    expect(grown.inserted).toBe(200);
    expect(await count('products', generated)).toBe(500);
    expect(await knex('products').where({ sku: 'GEN-000000300' }).first('name', 'price')).toEqual(named);
    expect(named?.name).toMatch(/ \(variant 300\)$/);
  });

  test('when the demo categories are missing, then generation fails with a message naming the fix', async () => {
    await expect(generateProducts(knex, { count: 10 })).rejects.toThrow(/run seedDemo first/);
    expect(await count('products')).toBe(0);
  });
});
