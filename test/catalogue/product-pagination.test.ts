import type { Knex } from 'knex';
import { seedDemo } from '../../seeds/seed-demo';
import { call, startStack, type TestStack } from '../support/stack';

interface Item {
  id: number;
  price: number;
  brand: string;
}

describe('catalogue keyset pagination', () => {
  let stack: TestStack;
  let db: Knex;
  let phonesId: number;
  let inserted = 0;

  beforeAll(async () => {
    stack = await startStack({
      label: 'cat-pages',
      seed: async (database) => {
        await seedDemo(database.db, { nodeEnv: 'test', demoAccounts: false, log: () => undefined });
      },
    });
    db = stack.database.db;
    phonesId = Number((await db('categories').where({ slug: 'phones' }).first('id')).id);
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Inserts an active Samsung phone straight into MySQL, as another admin would mid-walk. */
  async function insertSamsungPhone(price: number): Promise<number> {
    inserted += 1;
    const [id] = await db('products').insert({
      category_id: phonesId,
      sku: `TEST-MIDWALK-${inserted}`,
      name: `Samsung Galaxy Midwalk ${inserted}`,
      brand: 'Samsung',
      description: 'Inserted while a client walks the pages.',
      price,
      stock: 3,
      specs: '{}',
    });
    return Number(id);
  }

  const samsungIds = async (order: Array<{ column: string; order?: 'asc' | 'desc' }>): Promise<number[]> =>
    (await db('products').where({ status: 'active', brand: 'Samsung' }).orderBy(order).pluck('id')).map(
      Number,
    );

  /** Walks every page of `query`, calling `between` after each page; returns the items in order. */
  async function walk(query: string, between: (page: number) => Promise<void> = async () => undefined) {
    const items: Item[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 500; page += 1) {
      const response = await call(
        stack.url,
        'GET',
        `/api/products?${query}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(response.status).toBe(200);
      items.push(...response.body.items);
      cursor = response.body.nextCursor;
      if (!cursor) return items;
      await between(page);
    }
    throw new Error('walk did not end');
  }

  function expectNoDuplicates(ids: number[]): void {
    expect(new Set(ids).size).toBe(ids.length);
  }

  it('when walking newest with a small page while products are inserted, then no item repeats and none is skipped', async () => {
    const before = await samsungIds([{ column: 'id', order: 'desc' }]);
    expect(before.length).toBeGreaterThan(15);
    const newIds: number[] = [];
    const items = await walk('brand=Samsung&sort=newest&limit=3', async (page) => {
      if (page < 4) newIds.push(await insertSamsungPhone(1_000_000 + page));
    });
    const ids = items.map((item) => item.id);
    expectNoDuplicates(ids);
    // New products have higher ids, so they land before the cursor: the walk is exactly the old set.
    expect(ids).toEqual(before);
    expect(ids.some((id) => newIds.includes(id))).toBe(false);
  });

  it('when walking price_asc while cheaper and dearer products are inserted, then every original product is seen once, in order', async () => {
    const before = await samsungIds([{ column: 'price' }, { column: 'id' }]);
    const cheap: number[] = [];
    const dear: number[] = [];
    const items = await walk('brand=Samsung&sort=price_asc&limit=4', async (page) => {
      if (page < 3) {
        cheap.push(await insertSamsungPhone(1_000 + page)); // sorts before every page already seen
        dear.push(await insertSamsungPhone(99_000_000 + page)); // sorts after the current position
      }
    });
    const ids = items.map((item) => item.id);
    expectNoDuplicates(ids);
    expect(ids.filter((id) => before.includes(id))).toEqual(before);
    expect(ids.some((id) => cheap.includes(id))).toBe(false);
    expect(dear.every((id) => ids.includes(id))).toBe(true);
    const final = await samsungIds([{ column: 'price' }, { column: 'id' }]);
    expect(ids).toEqual(final.filter((id) => !cheap.includes(id)));
    const prices = items.map((item) => item.price);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
  });

  it('when walking price_desc with ties on price, then the walk equals the SQL order', async () => {
    await insertSamsungPhone(777_000);
    await insertSamsungPhone(777_000);
    await insertSamsungPhone(777_000);
    const expected = await samsungIds([
      { column: 'price', order: 'desc' },
      { column: 'id', order: 'desc' },
    ]);
    const items = await walk('brand=Samsung&sort=price_desc&limit=2');
    expect(items.map((item) => item.id)).toEqual(expected);
  });

  it('when walking a relevance search page by page, then it equals the one-page result with no repeats', async () => {
    const onePage = (await call(stack.url, 'GET', '/api/products?q=galaxy&limit=100')).body;
    expect(onePage.nextCursor).toBeNull();
    const items = await walk('q=galaxy&limit=3');
    const ids = items.map((item) => item.id);
    expectNoDuplicates(ids);
    expect(ids).toEqual(onePage.items.map((item: Item) => item.id));
  });

  it('when walking relevance while matching products are inserted, then every original match is seen once', async () => {
    const before = (
      await call(stack.url, 'GET', '/api/products?q=galaxy%20midwalk&limit=100')
    ).body.items.map((item: Item) => item.id);
    expect(before.length).toBeGreaterThan(3);
    const items = await walk('q=galaxy%20midwalk&limit=2', async (page) => {
      if (page < 3) await insertSamsungPhone(500_000);
    });
    const ids = items.map((item) => item.id);
    expectNoDuplicates(ids);
    expect(ids.filter((id) => before.includes(id))).toEqual(before);
  });

  it('when walking best_selling, then the walk equals the SQL order by units then id', async () => {
    const samsung = await samsungIds([{ column: 'id' }]);
    const today = new Date().toISOString().slice(0, 10);
    await db('product_sales_stats').insert(
      samsung
        .slice(0, 6)
        .map((id, index) => ({ day: today, product_id: id, units: (index % 3) + 1, revenue: 1 })),
    );
    const units = new Map(samsung.slice(0, 6).map((id, index) => [id, (index % 3) + 1]));
    const expected = [...samsung].sort((a, b) => (units.get(b) ?? 0) - (units.get(a) ?? 0) || b - a);
    const items = await walk('brand=Samsung&sort=best_selling&limit=4');
    expect(items.map((item) => item.id)).toEqual(expected);
  });

  it('when the last page is reached, then nextCursor is null', async () => {
    const count = (await samsungIds([{ column: 'id' }])).length;
    const response = await call(stack.url, 'GET', `/api/products?brand=Samsung&limit=${count}`);
    expect(response.body.items).toHaveLength(count);
    expect(response.body.nextCursor).toBeNull();
  });
});
