import type { Knex } from 'knex';
import { createAccessTokenSigner } from '../../bff/auth/access-tokens';
import { seedDemo } from '../../seeds/seed-demo';
import { call, startStack, uniqueEmail, type TestStack } from '../support/stack';

describe('catalogue admin: /api/admin/products', () => {
  let stack: TestStack;
  let db: Knex;
  let adminId: number;
  let adminToken: string;
  let userToken: string;
  let ultrabooksId: number;
  let skuCounter = 0;

  beforeAll(async () => {
    stack = await startStack({
      label: 'cat-admin',
      seed: async (database) => {
        await seedDemo(database.db, { nodeEnv: 'test', demoAccounts: true, log: () => undefined });
      },
    });
    db = stack.database.db;
    const signer = createAccessTokenSigner(stack.bff.config);
    const [insertedAdmin] = await db('users').insert({
      email: uniqueEmail('admin'),
      role: 'admin',
      password_hash: null,
    });
    adminId = Number(insertedAdmin);
    adminToken = (await signer.sign({ userId: adminId, role: 'admin' })).token;
    const [userId] = await db('users').insert({
      email: uniqueEmail('user'),
      role: 'user',
      password_hash: null,
    });
    userToken = (await signer.sign({ userId: Number(userId), role: 'user' })).token;
    ultrabooksId = Number((await db('categories').where({ slug: 'ultrabooks' }).first('id')).id);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const admin = (
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ) => call(stack.url, method, path, { token: adminToken, ...options });

  const newProduct = (overrides: Record<string, unknown> = {}) => {
    skuCounter += 1;
    return {
      sku: `ADM-${skuCounter}-${Date.now()}`,
      name: 'Voltbook Air 14',
      brand: 'Voltmall',
      description: 'A test laptop.',
      price: 1_490_000,
      stock: 12,
      categoryId: ultrabooksId,
      specs: { ram: '16GB', weight_g: 1190, touch: false },
      images: ['https://img.example.com/a.jpg', 'https://img.example.com/b.jpg'],
      ...overrides,
    };
  };

  async function create(overrides: Record<string, unknown> = {}) {
    const response = await admin('POST', '/api/admin/products', { body: newProduct(overrides) });
    expect(response.status).toBe(201);
    return response;
  }

  const auditRows = (productId: number) =>
    db('audit_log')
      .where({ entity_type: 'product', entity_id: String(productId) })
      .orderBy('id');
  const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

  describe('create', () => {
    it('when an admin creates a product, then 201 with the product, its ETag, Location and an audit row', async () => {
      const body = newProduct();
      const response = await admin('POST', '/api/admin/products', {
        body,
        headers: { 'x-request-id': 'create-product-req-1' },
      });
      expect(response.status).toBe(201);
      const product = response.body.product;
      expect(product).toMatchObject({
        sku: body.sku,
        name: 'Voltbook Air 14',
        brand: 'Voltmall',
        price: 1_490_000,
        stock: 12,
        status: 'active',
        deletedAt: null,
        version: 1,
        availability: 'in_stock',
        categoryId: ultrabooksId,
        specs: { ram: '16GB', weight_g: 1190, touch: false },
      });
      expect(product.images.map((image: any) => [image.url, image.isPrimary])).toEqual([
        ['https://img.example.com/a.jpg', true],
        ['https://img.example.com/b.jpg', false],
      ]);
      expect(response.headers.get('location')).toBe(`/api/products/${product.id}`);
      expect(response.headers.get('etag')).toMatch(/^"v1-/);

      const publicRead = await call(stack.url, 'GET', `/api/products/${product.id}`);
      expect(publicRead.status).toBe(200);
      expect(publicRead.headers.get('etag')).toBe(response.headers.get('etag'));

      const [audit] = await auditRows(product.id);
      expect(audit).toMatchObject({
        actor_user_id: adminId,
        action: 'product.create',
        request_id: 'create-product-req-1',
      });
      expect(audit.before).toBeNull();
      expect(json(audit.after)).toMatchObject({ sku: body.sku, price: 1_490_000, stock: 12, version: 1 });
    });

    it('when a product is created, then the first listing page shows it at once', async () => {
      await call(stack.url, 'GET', '/api/products?sort=newest'); // a cached page from before
      const { body } = await create({ name: 'Brand New Listing Product' });
      const listing = await call(stack.url, 'GET', '/api/products?sort=newest');
      expect(listing.body.items[0].id).toBe(body.product.id);
    });

    it.each([
      [{ name: '' }, 'name'],
      [{ name: 'x'.repeat(201) }, 'name'],
      [{ brand: 'b'.repeat(81) }, 'brand'],
      [{ description: 'd'.repeat(5001) }, 'description'],
      [{ price: 0 }, 'price'],
      [{ price: 100_000_001 }, 'price'],
      [{ price: 1.5 }, 'price'],
      [{ price: '1000' }, 'price'],
      [{ stock: -1 }, 'stock'],
      [{ stock: 1_000_001 }, 'stock'],
      [{ categoryId: 'laptops' }, 'categoryId'],
      [{ sku: 'has space' }, 'sku'],
      [{ specs: { 'Bad Key': 'x' } }, 'specs.Bad Key'],
      [{ specs: { ram: { nested: true } } }, 'specs.ram'],
      [{ specs: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, i])) }, 'specs'],
      [{ images: ['javascript:alert(1)'] }, 'images.0'],
      [{ images: ['ftp://img.example.com/a.jpg'] }, 'images.0'],
      [{ images: [`https://img.example.com/${'a'.repeat(2048)}`] }, 'images.0'],
      [{ images: Array.from({ length: 21 }, (_, i) => `https://img.example.com/${i}.jpg`) }, 'images'],
      [{ status: 'deleted' }, ''],
    ])('when the body has %j, then 400 names %s', async (overrides, path) => {
      const response = await admin('POST', '/api/admin/products', { body: newProduct(overrides) });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      expect(response.body.error.details.map((detail: { path: string }) => detail.path)).toContain(path);
    });

    it('when the body is not JSON, then 400', async () => {
      const response = await fetch(`${stack.url}/api/admin/products`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: '{"name":',
      });
      expect(response.status).toBe(400);
    });

    it('when the category does not exist, then 422 CATEGORY_NOT_FOUND', async () => {
      const response = await admin('POST', '/api/admin/products', {
        body: newProduct({ categoryId: 999_999 }),
      });
      expect(response.status).toBe(422);
      expect(response.body.error.code).toBe('CATEGORY_NOT_FOUND');
    });

    it('when the sku is taken, then 409 SKU_TAKEN and nothing is written', async () => {
      const { body } = await create();
      const before = await db('products').count({ count: '*' }).first();
      const again = await admin('POST', '/api/admin/products', {
        body: newProduct({ sku: body.product.sku }),
      });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('SKU_TAKEN');
      expect(await db('products').count({ count: '*' }).first()).toEqual(before);
    });
  });

  describe('access', () => {
    it('when a user token calls an admin route, then the gateway answers 403', async () => {
      const response = await call(stack.url, 'POST', '/api/admin/products', {
        token: userToken,
        body: newProduct(),
      });
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('FORBIDDEN');
    });

    it('when no token is sent, then 401', async () => {
      expect((await call(stack.url, 'DELETE', '/api/admin/products/1')).status).toBe(401);
    });

    it('when the seeded admin logs in, then the token opens the admin routes', async () => {
      const login = await call(stack.url, 'POST', '/api/auth/login', {
        body: { email: 'admin@voltmall.dev', password: 'Admin123!' },
      });
      expect(login.status).toBe(200);
      const response = await call(stack.url, 'POST', '/api/admin/products', {
        token: login.body.accessToken,
        body: newProduct(),
      });
      expect(response.status).toBe(201);
    });
  });

  describe('update', () => {
    it('when If-Match carries the current ETag, then the update applies and the version moves on', async () => {
      const { body, headers } = await create();
      const id = body.product.id;
      const response = await admin('PATCH', `/api/admin/products/${id}`, {
        headers: { 'if-match': headers.get('etag')! },
        body: { name: 'Voltbook Air 14 (2026)', price: 1_390_000, specs: { ram: '32GB' } },
      });
      expect(response.status).toBe(200);
      expect(response.body.product).toMatchObject({
        name: 'Voltbook Air 14 (2026)',
        price: 1_390_000,
        specs: { ram: '32GB' },
        version: 2,
        stock: 12,
      });
      expect(response.headers.get('etag')).toMatch(/^"v2-/);
      const audits = await auditRows(id);
      const update = audits.find((row: any) => row.action === 'product.update');
      expect(json(update.before)).toMatchObject({ name: 'Voltbook Air 14', price: 1_490_000, version: 1 });
      expect(json(update.after)).toMatchObject({
        name: 'Voltbook Air 14 (2026)',
        price: 1_390_000,
        version: 2,
      });
    });

    it('when the version is given in the body instead, then the update applies', async () => {
      const { body } = await create();
      const response = await admin('PATCH', `/api/admin/products/${body.product.id}`, {
        body: { version: 1, brand: 'Voltmall Pro' },
      });
      expect(response.status).toBe(200);
      expect(response.body.product.brand).toBe('Voltmall Pro');
    });

    it('when If-Match or the version is stale, then 412 and nothing changes', async () => {
      const { body, headers } = await create();
      const id = body.product.id;
      const staleEtag = headers.get('etag')!;
      expect(
        (await admin('PATCH', `/api/admin/products/${id}`, { body: { version: 1, price: 999_000 } })).status,
      ).toBe(200);

      const viaHeader = await admin('PATCH', `/api/admin/products/${id}`, {
        headers: { 'if-match': staleEtag },
        body: { price: 1 },
      });
      expect(viaHeader.status).toBe(412);
      expect(viaHeader.body.error).toMatchObject({
        code: 'PRECONDITION_FAILED',
        details: { currentVersion: 2 },
      });
      const viaBody = await admin('PATCH', `/api/admin/products/${id}`, { body: { version: 1, price: 1 } });
      expect(viaBody.status).toBe(412);
      const weak = await admin('PATCH', `/api/admin/products/${id}`, {
        headers: { 'if-match': `W/"v2-abc"` },
        body: { price: 1 },
      });
      expect(weak.status).toBe(412);
      expect(await db('products').where({ id }).first('price', 'version')).toEqual({
        price: 999_000,
        version: 2,
      });
    });

    it('when two admins edit the same version at once, then exactly one wins', async () => {
      const { body, headers } = await create();
      const etag = headers.get('etag')!;
      const results = await Promise.all(
        ['First', 'Second', 'Third'].map((name) =>
          admin('PATCH', `/api/admin/products/${body.product.id}`, {
            headers: { 'if-match': etag },
            body: { name },
          }),
        ),
      );
      expect(results.map((result) => result.status).sort()).toEqual([200, 412, 412]);
    });

    it('when neither If-Match nor a version is sent, then 428 PRECONDITION_REQUIRED', async () => {
      const { body } = await create();
      const response = await admin('PATCH', `/api/admin/products/${body.product.id}`, {
        body: { name: 'No version' },
      });
      expect(response.status).toBe(428);
      expect(response.body.error.code).toBe('PRECONDITION_REQUIRED');
      const wildcard = await admin('PATCH', `/api/admin/products/${body.product.id}`, {
        headers: { 'if-match': '*' },
        body: { name: 'No version' },
      });
      expect(wildcard.status).toBe(428);
    });

    it.each([
      [{ version: 1, stock: 5 }, 'stock'],
      [{ version: 1 }, ''],
      [{ version: 1, price: -5 }, 'price'],
      [{ version: 1, name: ' ' }, 'name'],
      [{ version: 'one', name: 'x' }, 'version'],
      [{ version: 1, unknown: true }, ''],
    ])('when the patch is %j, then 400 names %s', async (patch, path) => {
      const { body } = await create();
      const response = await admin('PATCH', `/api/admin/products/${body.product.id}`, { body: patch });
      expect(response.status).toBe(400);
      expect(response.body.error.details.map((detail: { path: string }) => detail.path)).toContain(path);
    });

    it('when the new sku is taken or the category unknown, then 409 / 422', async () => {
      const first = await create();
      const second = await create();
      const sku = await admin('PATCH', `/api/admin/products/${second.body.product.id}`, {
        body: { version: 1, sku: first.body.product.sku },
      });
      expect(sku.status).toBe(409);
      expect(sku.body.error.code).toBe('SKU_TAKEN');
      const category = await admin('PATCH', `/api/admin/products/${second.body.product.id}`, {
        body: { version: 1, categoryId: 987_654 },
      });
      expect(category.status).toBe(422);
    });

    it('when the product does not exist, then 404', async () => {
      const response = await admin('PATCH', '/api/admin/products/987654321', {
        body: { version: 1, name: 'x' },
      });
      expect(response.status).toBe(404);
    });
  });

  describe('delete and restore', () => {
    it('when a product is deleted, then it disappears from detail and listings, and restore brings it back', async () => {
      const { body } = await create({ brand: 'Deletebrand' });
      const id = body.product.id;
      expect((await call(stack.url, 'GET', `/api/products/${id}`)).status).toBe(200);
      expect((await call(stack.url, 'GET', '/api/products?brand=Deletebrand')).body.items).toHaveLength(1);

      const deleted = await admin('DELETE', `/api/admin/products/${id}`);
      expect(deleted.status).toBe(204);
      expect((await call(stack.url, 'GET', `/api/products/${id}`)).status).toBe(404);
      expect((await call(stack.url, 'GET', '/api/products?brand=Deletebrand')).body.items).toHaveLength(0);
      const row = await db('products').where({ id }).first('status', 'deleted_at', 'version');
      expect(row).toEqual({ status: 'deleted', deleted_at: expect.any(Date), version: 2 });
      expect((await admin('DELETE', `/api/admin/products/${id}`)).status).toBe(204);
      const patchDeleted = await admin('PATCH', `/api/admin/products/${id}`, {
        body: { version: 2, name: 'x' },
      });
      expect(patchDeleted.status).toBe(409);
      expect(patchDeleted.body.error.code).toBe('PRODUCT_DELETED');

      const restored = await admin('POST', `/api/admin/products/${id}/restore`);
      expect(restored.status).toBe(200);
      expect(restored.body.product).toMatchObject({ status: 'active', deletedAt: null, version: 3 });
      expect((await call(stack.url, 'GET', `/api/products/${id}`)).status).toBe(200);
      expect((await call(stack.url, 'GET', '/api/products?brand=Deletebrand')).body.items).toHaveLength(1);

      const actions = (await auditRows(id)).map((row: any) => row.action);
      expect(actions).toEqual(['product.create', 'product.delete', 'product.restore']);
      const deleteAudit = (await auditRows(id))[1];
      expect(json(deleteAudit.before)).toMatchObject({ status: 'active' });
      expect(json(deleteAudit.after)).toMatchObject({ status: 'deleted' });
    });

    it('when deleting or restoring an unknown product, then 404', async () => {
      expect((await admin('DELETE', '/api/admin/products/987654321')).status).toBe(404);
      expect((await admin('POST', '/api/admin/products/987654321/restore')).status).toBe(404);
      expect((await admin('DELETE', '/api/admin/products/abc')).status).toBe(400);
    });
  });

  describe('images', () => {
    it('when images are added, reordered, made primary and removed, then the list follows and the detail too', async () => {
      const { body } = await create({ images: [] });
      const id = body.product.id;
      const add = (url: string, isPrimary?: boolean) =>
        admin('POST', `/api/admin/products/${id}/images`, {
          body: { url, ...(isPrimary ? { isPrimary } : {}) },
        });

      const first = await add('https://img.example.com/1.jpg');
      expect(first.status).toBe(201);
      expect(first.body.images).toEqual([
        { id: expect.any(Number), url: 'https://img.example.com/1.jpg', position: 0, isPrimary: true },
      ]);
      await add('https://img.example.com/2.jpg');
      const third = await add('https://img.example.com/3.jpg', true);
      const [img3, img1, img2] = third.body.images;
      expect([img3.url, img1.url, img2.url]).toEqual([
        'https://img.example.com/3.jpg',
        'https://img.example.com/1.jpg',
        'https://img.example.com/2.jpg',
      ]);
      expect(third.body.images.filter((image: any) => image.isPrimary)).toHaveLength(1);

      const order = await admin('PUT', `/api/admin/products/${id}/images/order`, {
        body: { imageIds: [img2.id, img3.id, img1.id] },
      });
      expect(order.status).toBe(200);
      expect(order.body.images.map((image: any) => [image.id, image.position])).toEqual([
        [img3.id, 1],
        [img2.id, 0],
        [img1.id, 2],
      ]);

      const primary = await admin('POST', `/api/admin/products/${id}/images/${img1.id}/primary`);
      expect(primary.body.images[0]).toMatchObject({ id: img1.id, isPrimary: true });

      // Removing the primary promotes the next by position (img2, position 0).
      const removed = await admin('DELETE', `/api/admin/products/${id}/images/${img1.id}`);
      expect(removed.status).toBe(200);
      expect(removed.body.images.map((image: any) => [image.id, image.isPrimary])).toEqual([
        [img2.id, true],
        [img3.id, false],
      ]);

      const detail = await call(stack.url, 'GET', `/api/products/${id}`);
      expect(detail.body.product.images.map((image: any) => image.id)).toEqual([img2.id, img3.id]);
      const listing = await call(stack.url, 'GET', `/api/products?brand=Voltmall&limit=100`);
      expect(listing.body.items.find((item: any) => item.id === id).imageUrl).toBe(
        'https://img.example.com/2.jpg',
      );

      const actions = (await auditRows(id)).map((row: any) => row.action);
      expect(actions).toEqual([
        'product.create',
        'product.image.add',
        'product.image.add',
        'product.image.add',
        'product.image.reorder',
        'product.image.primary',
        'product.image.delete',
      ]);
    });

    it('when the order does not list exactly the product’s images, then 422 and positions stay', async () => {
      const { body } = await create();
      const id = body.product.id;
      const [a, b] = body.product.images.map((image: any) => image.id);
      for (const imageIds of [[a], [a, a], [a, b, 999_999], [b, 999_999]]) {
        const response = await admin('PUT', `/api/admin/products/${id}/images/order`, { body: { imageIds } });
        expect(response.status).toBe(422);
        expect(response.body.error.code).toBe('IMAGE_ORDER_MISMATCH');
      }
    });

    it('when a product already has 20 images, then a 21st is refused with 409', async () => {
      const urls = Array.from({ length: 20 }, (_, i) => `https://img.example.com/full-${i}.jpg`);
      const { body } = await create({ images: urls });
      const response = await admin('POST', `/api/admin/products/${body.product.id}/images`, {
        body: { url: 'https://img.example.com/one-too-many.jpg' },
      });
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('TOO_MANY_IMAGES');
    });

    it('when the image belongs to another product or the url is bad, then 404 / 400', async () => {
      const first = await create();
      const second = await create();
      const foreignImage = second.body.product.images[0].id;
      const id = first.body.product.id;
      expect((await admin('POST', `/api/admin/products/${id}/images/${foreignImage}/primary`)).status).toBe(
        404,
      );
      expect((await admin('DELETE', `/api/admin/products/${id}/images/${foreignImage}`)).status).toBe(404);
      expect(
        (
          await admin('POST', `/api/admin/products/${id}/images`, {
            body: { url: 'data:image/png;base64,AAAA' },
          })
        ).status,
      ).toBe(400);
      expect((await admin('POST', `/api/admin/products/${id}/images/abc/primary`)).status).toBe(400);
    });
  });

  describe('stock adjustments', () => {
    it('when stock is adjusted, then the ledger, the stock, the audit log and the cached detail follow', async () => {
      const { body } = await create({ stock: 10 });
      const id = body.product.id;
      await call(stack.url, 'GET', `/api/products/${id}`); // cache the detail
      const response = await admin('POST', `/api/admin/products/${id}/stock-adjustments`, {
        body: { delta: -7, reason: 'stock count correction' },
      });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        productId: id,
        stock: 3,
        availability: 'low_stock',
        adjustment: { id: expect.any(Number), delta: -7, reason: 'stock count correction' },
      });
      const ledger = await db('stock_ledger').where({ product_id: id });
      expect(ledger).toEqual([
        expect.objectContaining({
          order_id: null,
          kind: 'adjust',
          quantity: -7,
          reason: 'stock count correction',
          actor_user_id: adminId,
        }),
      ]);
      expect((await call(stack.url, 'GET', `/api/products/${id}`)).body.product.availability).toBe(
        'low_stock',
      );
      const audit = (await auditRows(id)).find((row: any) => row.action === 'product.stock.adjust');
      expect(json(audit.before)).toEqual({ stock: 10 });
      expect(json(audit.after)).toMatchObject({ stock: 3, delta: -7 });
    });

    it('when an adjustment would take stock below zero, then 409 STOCK_WOULD_BE_NEGATIVE and nothing changes', async () => {
      const { body } = await create({ stock: 2 });
      const id = body.product.id;
      const response = await admin('POST', `/api/admin/products/${id}/stock-adjustments`, {
        body: { delta: -3, reason: 'x' },
      });
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('STOCK_WOULD_BE_NEGATIVE');
      expect((await db('products').where({ id }).first('stock')).stock).toBe(2);
      expect(await db('stock_ledger').where({ product_id: id })).toHaveLength(0);
    });

    it('when many decrements race, then stock never goes below zero and the ledger matches', async () => {
      const { body } = await create({ stock: 10 });
      const id = body.product.id;
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          admin('POST', `/api/admin/products/${id}/stock-adjustments`, {
            body: { delta: -3, reason: 'race' },
          }),
        ),
      );
      expect(results.filter((result) => result.status === 201)).toHaveLength(3);
      expect(results.filter((result) => result.status === 409)).toHaveLength(5);
      expect((await db('products').where({ id }).first('stock')).stock).toBe(1);
      const sum = await db('stock_ledger').where({ product_id: id }).sum({ total: 'quantity' }).first();
      expect(Number(sum!.total)).toBe(-9);
    });

    it.each([
      [{ delta: 0, reason: 'x' }],
      [{ delta: 1.5, reason: 'x' }],
      [{ delta: 1_000_001, reason: 'x' }],
      [{ delta: -1_000_001, reason: 'x' }],
      [{ delta: 5 }],
      [{ delta: 5, reason: '' }],
      [{ delta: 5, reason: 'r'.repeat(201) }],
      [{ delta: '5', reason: 'x' }],
    ])('when the adjustment is %j, then 400', async (adjustment) => {
      const { body } = await create();
      const response = await admin('POST', `/api/admin/products/${body.product.id}/stock-adjustments`, {
        body: adjustment,
      });
      expect(response.status).toBe(400);
    });

    it('when the product does not exist, then 404', async () => {
      const response = await admin('POST', '/api/admin/products/987654321/stock-adjustments', {
        body: { delta: 1, reason: 'x' },
      });
      expect(response.status).toBe(404);
    });
  });
});
