import type { Knex } from 'knex';
import { seedDemo } from '../../seeds/seed-demo';
import { invalidateProductListings } from '../../shared/product-cache';
import { call, startStack, type TestStack } from '../support/stack';

interface Item {
  id: number;
  name: string;
  brand: string;
  price: number;
  imageUrl: string | null;
  availability: string;
  categoryId: number;
}

describe('catalogue listing: GET /api/products and /api/categories', () => {
  let stack: TestStack;
  let db: Knex;

  beforeAll(async () => {
    stack = await startStack({
      label: 'cat-list',
      seed: async (database) => {
        await seedDemo(database.db, { nodeEnv: 'test', demoAccounts: false, log: () => undefined });
      },
    });
    db = stack.database.db;
  });
  afterAll(async () => {
    await stack?.close();
  });

  const list = (query: string) => call(stack.url, 'GET', `/api/products?${query}`);

  /** Every item of a query, following nextCursor to the end. */
  async function walk(query: string): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages += 1) {
      const response = await list(`${query}&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      items.push(...(response.body.items as Item[]));
      cursor = response.body.nextCursor;
      if (!cursor) return items;
    }
    throw new Error('walk did not end');
  }

  const activeIds = (build: (query: Knex.QueryBuilder) => void = () => undefined): Promise<number[]> =>
    db('products')
      .where({ status: 'active' })
      .modify(build)
      .orderBy('id', 'desc')
      .pluck('id')
      .then((ids: Array<number | string>) => ids.map(Number));

  const categoryId = async (slug: string): Promise<number> =>
    Number((await db('categories').where({ slug }).first('id')).id);

  describe('browse and filters', () => {
    it('when no query is given, then the newest 20 active products come first, with facets', async () => {
      const response = await list('');
      expect(response.status).toBe(200);
      const expected = (await activeIds()).slice(0, 20);
      expect(response.body.items.map((item: Item) => item.id)).toEqual(expected);
      expect(response.body.nextCursor).toEqual(expect.any(String));
      expect(response.body.items[0]).toEqual({
        id: expect.any(Number),
        name: expect.any(String),
        brand: expect.any(String),
        price: expect.any(Number),
        imageUrl: expect.stringMatching(/^https:\/\//),
        availability: expect.stringMatching(/^(in_stock|low_stock|out_of_stock)$/),
        categoryId: expect.any(Number),
      });
      expect(response.body.facets.brands.length).toBeGreaterThan(5);
      expect(response.body.facets.categories[0]).toEqual({
        id: expect.any(Number),
        slug: expect.any(String),
        name: expect.any(String),
        count: expect.any(Number),
      });
    });

    it('when filtering by one brand, then exactly that brand’s active products are listed', async () => {
      const items = await walk('brand=Apple');
      expect(new Set(items.map((item) => item.brand))).toEqual(new Set(['Apple']));
      expect(items.map((item) => item.id)).toEqual(await activeIds((q) => q.where({ brand: 'Apple' })));
    });

    it('when several brands are given repeated or as a comma list, then products of any of them are listed', async () => {
      const expected = await activeIds((q) => q.whereIn('brand', ['Samsung', 'LG']));
      const repeated = await walk('brand=Samsung&brand=LG');
      const commaList = await walk('brand=samsung,%20LG');
      expect(repeated.map((item) => item.id)).toEqual(expected);
      expect(commaList.map((item) => item.id)).toEqual(expected);
      expect(new Set(repeated.map((item) => item.brand))).toEqual(new Set(['Samsung', 'LG']));
    });

    it('when filtering by a parent category slug or id, then products of all its sub-categories are listed', async () => {
      const laptops = await categoryId('laptops');
      const subtree = [
        laptops,
        ...(await db('categories').where({ parent_id: laptops }).pluck('id')).map(Number),
      ];
      expect(subtree.length).toBe(4);
      const expected = await activeIds((q) => q.whereIn('category_id', subtree));
      expect(expected.length).toBeGreaterThan(10);
      const bySlug = await walk('category=laptops');
      const byId = await walk(`category=${laptops}`);
      expect(bySlug.map((item) => item.id)).toEqual(expected);
      expect(byId.map((item) => item.id)).toEqual(expected);
      expect(new Set(bySlug.map((item) => item.categoryId)).size).toBeGreaterThan(1);
    });

    it('when filtering by a leaf category, then only that category is listed', async () => {
      const ultrabooks = await categoryId('ultrabooks');
      const items = await walk('category=ultrabooks');
      expect(items.map((item) => item.id)).toEqual(
        await activeIds((q) => q.where({ category_id: ultrabooks })),
      );
      expect(new Set(items.map((item) => item.categoryId))).toEqual(new Set([ultrabooks]));
    });

    it('when the category does not exist, then the list is empty', async () => {
      const response = await list('category=no-such-category');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: [], nextCursor: null, facets: { brands: [], categories: [] } });
    });

    it('when a price range is given, then every price lies inside it (bounds included)', async () => {
      const items = await walk('minPrice=500000&maxPrice=1590000');
      expect(items.length).toBeGreaterThan(0);
      expect(items.every((item) => item.price >= 500_000 && item.price <= 1_590_000)).toBe(true);
      expect(items.map((item) => item.id)).toEqual(
        await activeIds((q) => q.whereBetween('price', [500_000, 1_590_000])),
      );
    });

    it('when inStock=true, then products without stock are left out', async () => {
      const outOfStock = await activeIds((q) => q.where('stock', 0));
      expect(outOfStock.length).toBeGreaterThan(0);
      const items = await walk('inStock=true');
      expect(items.some((item) => item.availability === 'out_of_stock')).toBe(false);
      expect(items.map((item) => item.id)).toEqual(await activeIds((q) => q.where('stock', '>', 0)));
    });

    it('when a spec filter is given, then only products with that spec value are listed', async () => {
      const expected = await activeIds((q) =>
        q.whereRaw(`JSON_UNQUOTE(JSON_EXTRACT(specs, '$.ram')) = ?`, ['16GB']),
      );
      expect(expected.length).toBeGreaterThan(5);
      const items = await walk('spec.ram=16GB');
      expect(items.map((item) => item.id)).toEqual(expected);
      const combined = await walk('spec.ram=16GB&spec.storage=512GB&category=ultrabooks');
      const combinedExpected = await activeIds((q) =>
        q
          .whereRaw(`JSON_UNQUOTE(JSON_EXTRACT(specs, '$.ram')) = '16GB'`)
          .whereRaw(`JSON_UNQUOTE(JSON_EXTRACT(specs, '$.storage')) = '512GB'`)
          .whereIn('category_id', db('categories').where({ slug: 'ultrabooks' }).select('id')),
      );
      expect(combined.map((item) => item.id)).toEqual(combinedExpected);
    });

    it('when a product is deleted, then it never appears in any listing', async () => {
      const [victim] = await activeIds((q) => q.where({ brand: 'Sony' }));
      await db('products').where({ id: victim }).update({ status: 'deleted', deleted_at: new Date() });
      await invalidateProductListings(stack.bff.ctx.redis, stack.bff.config.REDIS_PREFIX);
      try {
        const ids = (await walk('brand=Sony')).map((item) => item.id);
        expect(ids).not.toContain(victim);
        const newest = (await walk('sort=newest')).map((item) => item.id);
        expect(newest).not.toContain(victim);
      } finally {
        await db('products').where({ id: victim }).update({ status: 'active', deleted_at: null });
        await invalidateProductListings(stack.bff.ctx.redis, stack.bff.config.REDIS_PREFIX);
      }
    });
  });

  describe('sort orders', () => {
    it('when sort=price_asc, then prices never decrease and ties go by id', async () => {
      const items = await walk('sort=price_asc&category=phones');
      const expected = (
        await db('products')
          .where({ status: 'active' })
          .whereIn('category_id', db('categories').where({ slug: 'phones' }).select('id'))
          .orderBy([{ column: 'price' }, { column: 'id' }])
          .pluck('id')
      ).map(Number);
      expect(items.map((item) => item.id)).toEqual(expected);
    });

    it('when sort=price_desc, then prices never increase', async () => {
      const items = await walk('sort=price_desc&category=audio');
      const prices = items.map((item) => item.price);
      expect(prices).toEqual([...prices].sort((a, b) => b - a));
      for (let index = 1; index < items.length; index += 1) {
        const [previous, current] = [items[index - 1]!, items[index]!];
        if (previous.price === current.price) expect(previous.id).toBeGreaterThan(current.id);
      }
    });

    it('when sort=newest, then ids descend', async () => {
      const items = await walk('sort=newest&brand=Apple');
      const ids = items.map((item) => item.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
    });

    it('when sort=best_selling, then units sold in the last 30 days decide and older sales do not count', async () => {
      const phones = await activeIds((q) =>
        q.whereIn('category_id', db('categories').where({ slug: 'phones' }).select('id')),
      );
      const [a, b, c, d] = phones.slice(-4);
      const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
      await db('product_sales_stats').insert([
        { day: day(1), product_id: a, units: 5, revenue: 1 },
        { day: day(3), product_id: a, units: 4, revenue: 1 },
        { day: day(2), product_id: b, units: 20, revenue: 1 },
        { day: day(5), product_id: c, units: 7, revenue: 1 },
        { day: day(60), product_id: d, units: 500, revenue: 1 },
      ]);
      await invalidateProductListings(stack.bff.ctx.redis, stack.bff.config.REDIS_PREFIX);
      const items = await walk('sort=best_selling&category=phones');
      expect(items.slice(0, 3).map((item) => item.id)).toEqual([b, a, c]);
      // Everything else has sold nothing in the window: newest first.
      const rest = items.slice(3).map((item) => item.id);
      expect(rest).toEqual(phones.filter((id) => ![a, b, c].includes(id)));
    });

    it('when sort=relevance, then products naming the word rank above those that only describe it', async () => {
      const [described] = await db('products').insert({
        category_id: await categoryId('ultrabooks'),
        sku: 'TEST-DESCRIBED-ONLY',
        name: 'Plain Notebook 13',
        brand: 'Nobrand',
        description: 'Styled after the Zenbook family.',
        price: 900_000,
        stock: 10,
        specs: '{}',
      });
      await invalidateProductListings(stack.bff.ctx.redis, stack.bff.config.REDIS_PREFIX);
      const items = await walk('q=zenbook');
      expect(items.length).toBeGreaterThan(1);
      expect(items[items.length - 1]!.id).toBe(Number(described));
      expect(items.slice(0, -1).every((item) => /zenbook/i.test(item.name))).toBe(true);
    });
  });

  describe('search', () => {
    /** name, brand and description of the listed products, in listing order. */
    async function texts(items: Item[]): Promise<string[]> {
      const rows = await db('products')
        .whereIn(
          'id',
          items.map((item) => item.id),
        )
        .select('id', 'name', 'brand', 'description');
      const byId = new Map(
        rows.map((row: any) => [Number(row.id), `${row.name} | ${row.brand} | ${row.description}`]),
      );
      return items.map((item) => byId.get(item.id)!);
    }

    it('when q is the prefix "gala", then Galaxy products are found, those named Galaxy first', async () => {
      const items = await walk('q=gala');
      const names = items.map((item) => item.name);
      const named = names.filter((name) => /\bgala/i.test(name)).length;
      expect(named).toBeGreaterThan(5);
      // Relevance: every product with the word in its name comes before those that only describe it.
      expect(names.slice(0, named).every((name) => /\bgala/i.test(name))).toBe(true);
      expect((await texts(items)).every((text) => /\bgala/i.test(text))).toBe(true);
      const galaxyIds = await activeIds((q) => q.where('name', 'like', '%Galaxy%'));
      const found = new Set(items.map((item) => item.id));
      expect(galaxyIds.every((id) => found.has(id))).toBe(true);
    });

    it('when q has several words, then every word must match', async () => {
      const items = await walk('q=galaxy%20ultra');
      expect(items.length).toBeGreaterThan(0);
      expect((await texts(items)).every((text) => /\bgalaxy/i.test(text) && /\bultra/i.test(text))).toBe(
        true,
      );
      expect(/galaxy/i.test(items[0]!.name) && /ultra/i.test(items[0]!.name)).toBe(true);
    });

    it('when a word is shorter than the index minimum, then it matches names and brands by prefix', async () => {
      const items = await walk('q=lg');
      const expected = await activeIds((q) =>
        q.where((or) =>
          or.where('name', 'like', 'lg%').orWhere('name', 'like', '% lg%').orWhere('brand', 'like', 'lg%'),
        ),
      );
      expect(items.length).toBeGreaterThan(5);
      expect(new Set(items.map((item) => item.id))).toEqual(new Set(expected));
    });

    it('when q combines a search with filters, then both apply', async () => {
      const items = await walk('q=galaxy&category=phones&maxPrice=1500000&sort=price_asc');
      expect(items.length).toBeGreaterThan(0);
      const phones = await categoryId('phones');
      expect(items.every((item) => item.categoryId === phones && item.price <= 1_500_000)).toBe(true);
      const prices = items.map((item) => item.price);
      expect(prices).toEqual([...prices].sort((a, b) => a - b));
    });

    it.each([
      ["' OR 1=1 --"],
      ['+-><()~*"@'],
      ['%_'],
      ['%'],
      ['_'],
      ['\\'],
      ['"galaxy'],
      ['galaxy*)) OR ((1'],
      ['갤럭시 📱 café Über'],
      ['SELECT * FROM products; DROP TABLE products'],
      ['the'],
      ['a b c'],
      ['x'.repeat(100)],
    ])('when q is %j, then the answer is 200 and every item is active', async (q) => {
      const response = await list(`q=${encodeURIComponent(q)}`);
      expect(response.status).toBe(200);
      expect(Array.isArray(response.body.items)).toBe(true);
    });

    it('when q holds only operators and wildcards, then nothing matches', async () => {
      for (const q of ['+-><()~*"@', '%_', '%%%']) {
        const response = await list(`q=${encodeURIComponent(q)}`);
        expect(response.body).toEqual({
          items: [],
          nextCursor: null,
          facets: { brands: [], categories: [] },
        });
      }
    });

    it('when q is 101 characters, then 400; at 100 it is accepted', async () => {
      expect((await list(`q=${'a'.repeat(101)}`)).status).toBe(400);
      expect((await list(`q=${'a'.repeat(100)}`)).status).toBe(200);
    });
  });

  describe('facets', () => {
    it('when facets are computed, then category counts add up to the total and brand counts ignore the brand filter', async () => {
      const total = (await walk('q=galaxy')).length;
      const first = await list('q=galaxy');
      const sum = (rows: Array<{ count: number }>) => rows.reduce((acc, row) => acc + row.count, 0);
      expect(sum(first.body.facets.categories)).toBe(total);
      expect(sum(first.body.facets.brands)).toBe(total);

      const samsungOnly = await list('q=galaxy&brand=Samsung');
      const samsungTotal = (await walk('q=galaxy&brand=Samsung')).length;
      expect(sum(samsungOnly.body.facets.categories)).toBe(samsungTotal);
      // The brand facet is counted without the brand filter, so other brands stay selectable.
      expect(samsungOnly.body.facets.brands).toEqual(first.body.facets.brands);
    });

    it('when browsing a category, then brand counts match a GROUP BY in SQL', async () => {
      const response = await list('category=laptops');
      const laptops = await categoryId('laptops');
      const rows = await db('products')
        .where({ status: 'active' })
        .whereIn(
          'category_id',
          db('categories').where({ id: laptops }).orWhere({ parent_id: laptops }).select('id'),
        )
        .groupBy('brand')
        .select('brand')
        .count({ count: '*' });
      const expected = Object.fromEntries(rows.map((row: any) => [row.brand, Number(row.count)]));
      const actual = Object.fromEntries(
        response.body.facets.brands.map((row: { brand: string; count: number }) => [row.brand, row.count]),
      );
      expect(actual).toEqual(expected);
      const counts = response.body.facets.brands.map((row: { count: number }) => row.count);
      expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));
    });

    it('when a cursor is given, then facets are not computed again', async () => {
      const first = await list('brand=Samsung&limit=2');
      const second = await list(`brand=Samsung&limit=2&cursor=${first.body.nextCursor}`);
      expect(second.status).toBe(200);
      expect(second.body.facets).toBeNull();
    });
  });

  describe('bad input', () => {
    it.each([
      ['sort=cheapest'],
      ['limit=0'],
      ['limit=101'],
      ['limit=abc'],
      ['limit=-5'],
      ['minPrice=-1'],
      ['minPrice=1.5'],
      ['maxPrice=99999999999999999999'],
      ['minPrice=100&maxPrice=50'],
      ['inStock=yes'],
      ['q=a&q=b'],
      [`brand=${'x'.repeat(81)}`],
      ['category=%20drop%20table'],
      ['spec.RAM=16GB'],
      ['spec.ram%27)%20OR%201=1=16GB'],
      [`spec.${'k'.repeat(31)}=1`],
      ['spec.a=1&spec.b=1&spec.c=1&spec.d=1&spec.e=1&spec.f=1'],
      ['spec.ram='],
      ['cursor=not*base64'],
      ['cursor=bm90LWpzb24'],
      [`cursor=${Buffer.from('{"v":1,"s":"newest","f":"xxxxxxxxxxxx","i":-1}').toString('base64url')}`],
    ])('when the query is %s, then 400 with a JSON error', async (query) => {
      const response = await list(query);
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({
        code: expect.stringMatching(/^(VALIDATION_FAILED|INVALID_CURSOR)$/),
        message: expect.any(String),
        requestId: expect.any(String),
      });
    });

    it('when a cursor from another query or sort is replayed, then 400 INVALID_CURSOR', async () => {
      const { body } = await list('brand=Apple&limit=1');
      expect((await list(`brand=LG&limit=1&cursor=${body.nextCursor}`)).body.error.code).toBe(
        'INVALID_CURSOR',
      );
      expect((await list(`brand=Apple&sort=price_asc&cursor=${body.nextCursor}`)).body.error.code).toBe(
        'INVALID_CURSOR',
      );
    });

    it('when unknown query parameters are sent, then they are ignored', async () => {
      expect((await list('utm_source=mail&page=3')).status).toBe(200);
    });
  });

  describe('categories', () => {
    it('when the tree is read, then roots hold their children, ordered by position', async () => {
      const response = await call(stack.url, 'GET', '/api/categories');
      expect(response.status).toBe(200);
      const roots = response.body.categories as Array<{ slug: string; position: number; children: any[] }>;
      expect(roots.map((root) => root.slug).slice(0, 3)).toEqual(['laptops', 'phones', 'tablets']);
      expect(roots.map((root) => root.position)).toEqual(
        [...roots.map((root) => root.position)].sort((a, b) => a - b),
      );
      const laptops = roots.find((root) => root.slug === 'laptops')!;
      expect(laptops.children.map((child) => child.slug)).toEqual([
        'ultrabooks',
        'gaming-laptops',
        'business-laptops',
      ]);
      expect(laptops.children[0]).toEqual({
        id: expect.any(Number),
        slug: 'ultrabooks',
        name: 'Ultrabooks',
        position: 0,
        children: [],
      });
      expect(roots.find((root) => root.slug === 'phones')!.children).toEqual([]);
    });

    it('when the tree was read once, then it is cached in Redis', async () => {
      await call(stack.url, 'GET', '/api/categories');
      expect(await stack.bff.ctx.redis.exists(`${stack.bff.config.REDIS_PREFIX}:catalogue:categories`)).toBe(
        1,
      );
    });
  });
});
