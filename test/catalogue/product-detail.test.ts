import type { Knex } from 'knex';
import { createAccessTokenSigner } from '../../bff/auth/access-tokens';
import { seedDemo } from '../../seeds/seed-demo';
import { call, startStack, uniqueEmail, type TestStack } from '../support/stack';

describe('catalogue product detail: GET /api/products/:id', () => {
  let stack: TestStack;
  let db: Knex;
  let adminToken: string;

  beforeAll(async () => {
    stack = await startStack({
      label: 'cat-detail',
      seed: async (database) => {
        await seedDemo(database.db, { nodeEnv: 'test', demoAccounts: false, log: () => undefined });
      },
    });
    db = stack.database.db;
    const [adminId] = await db('users').insert({
      email: uniqueEmail('admin'),
      role: 'admin',
      password_hash: null,
    });
    adminToken = (
      await createAccessTokenSigner(stack.bff.config).sign({ userId: Number(adminId), role: 'admin' })
    ).token;
  });
  afterAll(async () => {
    await stack?.close();
  });

  const detailKey = (id: number) => `${stack.bff.config.REDIS_PREFIX}:product:detail:${id}`;
  const get = (id: number | string, headers: Record<string, string> = {}) =>
    call(stack.url, 'GET', `/api/products/${id}`, { headers });

  /** A product in ultrabooks with three images whose primary is the last by position. */
  async function productWithImages(): Promise<{ id: number; imageIds: number[] }> {
    const category = await db('categories').where({ slug: 'ultrabooks' }).first('id');
    const [id] = await db('products').insert({
      category_id: category.id,
      sku: `TEST-DETAIL-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
      name: 'Detail Test Laptop',
      brand: 'Testbrand',
      description: 'For the detail tests.',
      price: 1_234_000,
      stock: 3,
      specs: JSON.stringify({ ram: '16GB', storage: '1TB' }),
    });
    const imageIds: number[] = [];
    for (const [position, primary] of [
      [0, false],
      [1, false],
      [2, true],
    ] as const) {
      const [imageId] = await db('product_images').insert({
        product_id: id,
        url: `https://img.example.com/${id}-${position}.jpg`,
        position,
        is_primary: primary,
      });
      imageIds.push(Number(imageId));
    }
    return { id: Number(id), imageIds };
  }

  it('when a product is read, then the detail has images primary first, specs, category path and availability', async () => {
    const { id, imageIds } = await productWithImages();
    const response = await get(id);
    expect(response.status).toBe(200);
    const ultrabooks = await db('categories').where({ slug: 'ultrabooks' }).first('id', 'parent_id');
    expect(response.body.product).toEqual({
      id,
      sku: expect.stringMatching(/^TEST-DETAIL-/),
      name: 'Detail Test Laptop',
      brand: 'Testbrand',
      description: 'For the detail tests.',
      price: 1_234_000,
      availability: 'low_stock',
      categoryId: ultrabooks.id,
      categoryPath: [
        { id: ultrabooks.parent_id, slug: 'laptops', name: 'Laptops' },
        { id: ultrabooks.id, slug: 'ultrabooks', name: 'Ultrabooks' },
      ],
      specs: { ram: '16GB', storage: '1TB' },
      images: [
        { id: imageIds[2], url: `https://img.example.com/${id}-2.jpg`, position: 2, isPrimary: true },
        { id: imageIds[0], url: `https://img.example.com/${id}-0.jpg`, position: 0, isPrimary: false },
        { id: imageIds[1], url: `https://img.example.com/${id}-1.jpg`, position: 1, isPrimary: false },
      ],
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(response.body.product).not.toHaveProperty('stock');
    expect(response.headers.get('etag')).toMatch(/^"v1-[A-Za-z0-9_-]{22}"$/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('when If-None-Match carries the current ETag, then 304 without a body', async () => {
    const { id } = await productWithImages();
    const first = await get(id);
    const etag = first.headers.get('etag')!;
    const again = await get(id, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body).toBeUndefined();
    expect(again.headers.get('etag')).toBe(etag);
    expect((await get(id, { 'if-none-match': `"other", W/${etag}` })).status).toBe(304);
    expect((await get(id, { 'if-none-match': '"v1-stale"' })).status).toBe(200);
  });

  it('when a product is read twice, then the second read comes from Redis without any SQL', async () => {
    const { id } = await productWithImages();
    expect(await stack.bff.ctx.redis.exists(detailKey(id))).toBe(0);
    const first = await get(id);
    expect(await stack.bff.ctx.redis.exists(detailKey(id))).toBe(1);

    const queries: string[] = [];
    const listener = (query: { sql: string }) => queries.push(query.sql);
    stack.bff.ctx.db.on('query', listener);
    try {
      const second = await get(id);
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
      expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    } finally {
      stack.bff.ctx.db.removeListener('query', listener);
    }
    expect(queries).toEqual([]);
  });

  it('when stock changes, then the ETag changes with the availability', async () => {
    const { id } = await productWithImages();
    const before = await get(id);
    await db('products').where({ id }).update({ stock: 0 });
    await stack.bff.ctx.redis.del(detailKey(id));
    const after = await get(id, { 'if-none-match': before.headers.get('etag')! });
    expect(after.status).toBe(200);
    expect(after.body.product.availability).toBe('out_of_stock');
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    // Same version: an edit based on the earlier read is still accepted.
    expect(after.headers.get('etag')).toMatch(/^"v1-/);
  });

  it('when an admin renames a cached product, then the next read shows the new name at once', async () => {
    const { id } = await productWithImages();
    const cached = await get(id);
    expect(await stack.bff.ctx.redis.exists(detailKey(id))).toBe(1);
    const patch = await call(stack.url, 'PATCH', `/api/admin/products/${id}`, {
      token: adminToken,
      headers: { 'if-match': cached.headers.get('etag')! },
      body: { name: 'Renamed Laptop' },
    });
    expect(patch.status).toBe(200);
    const fresh = await get(id);
    expect(fresh.body.product.name).toBe('Renamed Laptop');
    expect(fresh.body.product.version).toBe(2);
    expect(fresh.headers.get('etag')).toMatch(/^"v2-/);
    expect(fresh.headers.get('etag')).toBe(patch.headers.get('etag'));
  });

  it('when an unknown product is asked for twice, then 404 both times and the second is answered from Redis', async () => {
    const missing = 987_654_321;
    const first = await get(missing);
    expect(first.status).toBe(404);
    expect(first.body.error.code).toBe('NOT_FOUND');
    const queries: string[] = [];
    const listener = (query: { sql: string }) => queries.push(query.sql);
    stack.bff.ctx.db.on('query', listener);
    try {
      expect((await get(missing)).status).toBe(404);
    } finally {
      stack.bff.ctx.db.removeListener('query', listener);
    }
    expect(queries).toEqual([]);
  });

  it('when a product is deleted, then its detail is 404', async () => {
    const { id } = await productWithImages();
    await db('products').where({ id }).update({ status: 'deleted', deleted_at: new Date() });
    const response = await get(id);
    expect(response.status).toBe(404);
    expect(response.body.error).toEqual({
      code: 'NOT_FOUND',
      message: expect.any(String),
      requestId: expect.any(String),
    });
  });

  it('when Redis is unreachable, then detail, listing and categories still answer from MySQL', async () => {
    const { id } = await productWithImages();
    const redis = stack.bff.ctx.redis;
    redis.disconnect();
    try {
      const detail = await get(id);
      expect(detail.status).toBe(200);
      expect(detail.body.product.id).toBe(id);
      const listing = await call(stack.url, 'GET', '/api/products?brand=Testbrand&limit=100');
      expect(listing.status).toBe(200);
      expect(listing.body.items.map((item: { id: number }) => item.id)).toContain(id);
      expect((await call(stack.url, 'GET', '/api/categories')).status).toBe(200);
    } finally {
      await redis.connect();
    }
    expect(await redis.ping()).toBe('PONG');
  });

  it.each([
    ['abc'],
    ['0'],
    ['-1'],
    ['1.5'],
    ['1e3'],
    ['01'],
    ['99999999999999999999'],
    ['%20 1'],
    ['1;DROP'],
  ])('when the id is %j, then 400 with a JSON error', async (id) => {
    const response = await get(id);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
  });
});
