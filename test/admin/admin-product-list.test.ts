/**
 * The console's product endpoints through the gateway: the filtered, sorted, paged product table, the brand
 * filter, a product's stock ledger, and what a conflicting edit (412) tells the console.
 */
import type { Knex } from 'knex';
import { call, createUserWithToken, startStack, type TestStack } from '../support/stack';

describe('admin product list, brands and stock ledger', () => {
  let stack: TestStack;
  let db: Knex;
  let admin: { userId: number; token: string };
  let user: { token: string };
  let phones: number;
  let laptops: number;
  const ids: Record<string, number> = {};

  const asAdmin = (method: string, path: string, options: Parameters<typeof call>[3] = {}) =>
    call(stack.url, method, path, { token: admin.token, ...options });

  async function createProduct(fields: Record<string, unknown>): Promise<number> {
    const response = await asAdmin('POST', '/api/admin/products', {
      body: { description: '', price: 10_000, ...fields },
    });
    expect(response.status).toBe(201);
    return response.body.product.id as number;
  }

  beforeAll(async () => {
    stack = await startStack({ label: 'adminplist' });
    db = stack.database.db;
    admin = await createUserWithToken(stack, 'admin');
    user = await createUserWithToken(stack, 'user');
    phones = Number((await db('categories').insert({ slug: 'phones', name: 'Phones' }))[0]);
    laptops = Number((await db('categories').insert({ slug: 'laptops', name: 'Laptops' }))[0]);
    ids.galaxy = await createProduct({
      sku: 'GAL-S25',
      name: 'Galaxy S25',
      brand: 'Samsung',
      categoryId: phones,
      price: 1_200_000,
      stock: 3,
      images: ['https://img.example.com/galaxy-1.jpg', 'https://img.example.com/galaxy-2.jpg'],
    });
    ids.pixel = await createProduct({
      sku: 'PIX-9',
      name: 'Pixel 9 (50%_off!)',
      brand: 'Google',
      categoryId: phones,
      price: 900_000,
      stock: 0,
    });
    ids.gram = await createProduct({
      sku: 'LG-GRAM16',
      name: 'LG gram 16',
      brand: 'LG',
      categoryId: laptops,
      price: 1_900_000,
      stock: 40,
    });
    ids.book = await createProduct({
      sku: 'GAL-BOOK4',
      name: 'Galaxy Book4',
      brand: 'Samsung',
      categoryId: laptops,
      price: 1_500_000,
      stock: 5,
    });
    expect((await asAdmin('DELETE', `/api/admin/products/${ids.book}`)).status).toBe(204);
    // Distinct, known edit times, so the default order (newest edit first) is exact.
    const minute = (n: number) => new Date(Date.UTC(2026, 10, 1, 12, n));
    await db('products')
      .where({ id: ids.galaxy })
      .update({ updated_at: minute(4) });
    await db('products')
      .where({ id: ids.pixel })
      .update({ updated_at: minute(1) });
    await db('products')
      .where({ id: ids.gram })
      .update({ updated_at: minute(3) });
    await db('products')
      .where({ id: ids.book })
      .update({ updated_at: minute(2) });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const list = async (query: string) => {
    const response = await asAdmin('GET', `/api/admin/products${query}`);
    expect(response.status).toBe(200);
    return response.body as { items: any[]; total: number; page: number; pageSize: number };
  };
  const skus = (page: { items: { sku: string }[] }) => page.items.map((item) => item.sku);

  it('when the console opens the list, then every product, deleted ones too, newest edit first, with its category, primary image and lifecycle', async () => {
    const page = await list('');
    expect(page).toMatchObject({ total: 4, page: 1, pageSize: 25 });
    expect(skus(page)).toEqual(['GAL-S25', 'LG-GRAM16', 'GAL-BOOK4', 'PIX-9']);
    expect(page.items[0]).toEqual({
      id: ids.galaxy,
      sku: 'GAL-S25',
      name: 'Galaxy S25',
      brand: 'Samsung',
      categoryId: phones,
      categoryName: 'Phones',
      price: 1_200_000,
      stock: 3,
      status: 'active',
      primaryImageUrl: 'https://img.example.com/galaxy-1.jpg',
      version: 1,
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      updatedAt: '2026-11-01T12:04:00.000Z',
      deletedAt: null,
    });
    expect(page.items[2]).toMatchObject({
      sku: 'GAL-BOOK4',
      status: 'deleted',
      deletedAt: expect.any(String),
      primaryImageUrl: null,
      version: 2,
    });
  });

  it('when it filters by status, category, brand and stock, then only the matching products and their total', async () => {
    expect(skus(await list('?status=active'))).toEqual(['GAL-S25', 'LG-GRAM16', 'PIX-9']);
    expect(skus(await list('?status=deleted'))).toEqual(['GAL-BOOK4']);
    expect(skus(await list(`?categoryId=${phones}`))).toEqual(['GAL-S25', 'PIX-9']);
    expect(skus(await list('?brand=Samsung'))).toEqual(['GAL-S25', 'GAL-BOOK4']);
    expect(skus(await list('?brand=Samsung&status=active'))).toEqual(['GAL-S25']);
    expect(skus(await list('?stock=out'))).toEqual(['PIX-9']);
    expect(skus(await list('?stock=low'))).toEqual(['GAL-S25', 'GAL-BOOK4']);
    expect(skus(await list('?stock=in&sort=stock'))).toEqual(['GAL-S25', 'GAL-BOOK4', 'LG-GRAM16']);
    expect(await list('?brand=Nobody')).toMatchObject({ items: [], total: 0 });
  });

  it('when it searches, then q matches a part of the name or the start of the sku, case-insensitively, with LIKE wildcards taken literally', async () => {
    expect(skus(await list('?q=galaxy'))).toEqual(['GAL-S25', 'GAL-BOOK4']);
    expect(skus(await list('?q=gram'))).toEqual(['LG-GRAM16']);
    expect(skus(await list('?q=lg-'))).toEqual(['LG-GRAM16']);
    // "S25" is in the sku but not at its start, and not in the name.
    expect(skus(await list('?q=S25'))).toEqual(['GAL-S25']);
    expect(skus(await list('?q=AL-S'))).toEqual([]);
    expect(skus(await list('?q=50%25_off!'))).toEqual(['PIX-9']);
    expect(skus(await list('?q=%25'))).toEqual(['PIX-9']);
    expect(skus(await list('?q=_'))).toEqual(['PIX-9']);
  });

  it('when it sorts and pages, then the order is exact and ties fall back to the id', async () => {
    expect(skus(await list('?sort=price'))).toEqual(['PIX-9', 'GAL-S25', 'GAL-BOOK4', 'LG-GRAM16']);
    expect(skus(await list('?sort=-price'))).toEqual(['LG-GRAM16', 'GAL-BOOK4', 'GAL-S25', 'PIX-9']);
    expect(skus(await list('?sort=name'))).toEqual(['GAL-BOOK4', 'GAL-S25', 'LG-GRAM16', 'PIX-9']);
    expect(skus(await list('?sort=-stock'))).toEqual(['LG-GRAM16', 'GAL-BOOK4', 'GAL-S25', 'PIX-9']);
    expect(skus(await list('?sort=createdAt'))).toEqual(['GAL-S25', 'PIX-9', 'LG-GRAM16', 'GAL-BOOK4']);
    expect(skus(await list('?sort=-createdAt'))).toEqual(['GAL-BOOK4', 'LG-GRAM16', 'PIX-9', 'GAL-S25']);
    expect(skus(await list('?sort=updatedAt'))).toEqual(['PIX-9', 'GAL-BOOK4', 'LG-GRAM16', 'GAL-S25']);

    const second = await list('?sort=price&pageSize=3&page=2');
    expect(second).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(skus(second)).toEqual(['LG-GRAM16']);
    expect(await list('?page=3&pageSize=3')).toMatchObject({ items: [], total: 4, page: 3 });
  });

  it('when the query is bad, then 400 VALIDATION_FAILED naming each field, never a 500', async () => {
    for (const query of [
      '?page=0',
      '?page=10001',
      '?pageSize=0',
      '?pageSize=101',
      '?sort=price;drop',
      '?sort=id',
      '?status=gone',
      '?stock=some',
      '?categoryId=abc',
      `?q=${'x'.repeat(101)}`,
      '?q=%00',
      '?page=1.5',
    ]) {
      const response = await asAdmin('GET', `/api/admin/products${query}`);
      expect({ query, status: response.status, code: response.body.error?.code }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
  });

  it('when a non-admin asks, then the gateway refuses (401 without a token, 403 for a user)', async () => {
    expect((await call(stack.url, 'GET', '/api/admin/products')).status).toBe(401);
    expect((await call(stack.url, 'GET', '/api/admin/products', { token: user.token })).status).toBe(403);
    expect((await call(stack.url, 'GET', '/api/admin/brands', { token: user.token })).status).toBe(403);
  });

  it('when the console loads the brand filter, then every brand with its number of products, by name', async () => {
    const response = await asAdmin('GET', '/api/admin/brands');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      items: [
        { brand: 'Google', products: 1 },
        { brand: 'LG', products: 1 },
        { brand: 'Samsung', products: 2 },
      ],
    });
  });

  it('when stock is adjusted, then the ledger lists each move newest first with the stock after it, the admin and the reason, paged by cursor', async () => {
    const id = ids.gram!;
    for (const [delta, reason] of [
      [10, 'delivery'],
      [-3, 'damaged'],
      [5, 'return'],
    ] as const) {
      const adjusted = await asAdmin('POST', `/api/admin/products/${id}/stock-adjustments`, {
        body: { delta, reason },
      });
      expect(adjusted.status).toBe(201);
    }
    const first = await asAdmin('GET', `/api/admin/products/${id}/stock-adjustments?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([
      {
        id: expect.any(Number),
        delta: 5,
        reason: 'return',
        stockAfter: 52,
        adminId: admin.userId,
        orderId: null,
        kind: 'adjust',
        createdAt: expect.any(String),
      },
      expect.objectContaining({ delta: -3, reason: 'damaged', stockAfter: 47 }),
    ]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await asAdmin(
      'GET',
      `/api/admin/products/${id}/stock-adjustments?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body).toEqual({
      items: [expect.objectContaining({ delta: 10, reason: 'delivery', stockAfter: 50, kind: 'adjust' })],
      nextCursor: null,
    });

    const none = await asAdmin('GET', `/api/admin/products/${ids.pixel}/stock-adjustments`);
    expect(none.body).toEqual({ items: [], nextCursor: null });
    expect((await asAdmin('GET', '/api/admin/products/999999/stock-adjustments')).status).toBe(404);
    const badCursor = await asAdmin('GET', `/api/admin/products/${id}/stock-adjustments?cursor=nope`);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.code).toBe('INVALID_CURSOR');
    expect((await asAdmin('GET', `/api/admin/products/${id}/stock-adjustments?limit=101`)).status).toBe(400);
  });

  it('when the console opens a product, then its images carry ids, positions and the primary flag, with version and ETag', async () => {
    const response = await asAdmin('GET', `/api/admin/products/${ids.galaxy}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toMatch(/^"v1-/);
    expect(response.body.product).toMatchObject({
      version: 1,
      images: [
        { id: expect.any(Number), url: 'https://img.example.com/galaxy-1.jpg', position: 0, isPrimary: true },
        {
          id: expect.any(Number),
          url: 'https://img.example.com/galaxy-2.jpg',
          position: 1,
          isPrimary: false,
        },
      ],
    });
  });

  it('when an edit is based on a stale ETag, then 412 carries the current product and its ETag, and an edit with that ETag goes through', async () => {
    const id = ids.galaxy!;
    const read = await asAdmin('GET', `/api/admin/products/${id}`);
    const staleEtag = read.headers.get('etag')!;
    const other = await asAdmin('PATCH', `/api/admin/products/${id}`, {
      headers: { 'if-match': staleEtag },
      body: { price: 1_100_000 },
    });
    expect(other.status).toBe(200);

    const conflict = await asAdmin('PATCH', `/api/admin/products/${id}`, {
      headers: { 'if-match': staleEtag },
      body: { name: 'Galaxy S25 Ultra' },
    });
    expect(conflict.status).toBe(412);
    expect(conflict.body.error).toMatchObject({
      code: 'PRECONDITION_FAILED',
      details: {
        currentVersion: 2,
        currentEtag: other.headers.get('etag'),
        current: { id, version: 2, price: 1_100_000, name: 'Galaxy S25', stock: 3, status: 'active' },
      },
    });
    const overwrite = await asAdmin('PATCH', `/api/admin/products/${id}`, {
      headers: { 'if-match': conflict.body.error.details.currentEtag },
      body: { name: 'Galaxy S25 Ultra' },
    });
    expect(overwrite.status).toBe(200);
    expect(overwrite.body.product).toMatchObject({ name: 'Galaxy S25 Ultra', price: 1_100_000, version: 3 });
  });
});
