import { randomBytes } from 'node:crypto';
import { createAccessTokenSigner } from '../../bff/auth/access-tokens';
import { cartStore } from '../../shared/carts/cart-store';
import { cartService } from '../../bff/cart/cart.service';
import { seedDemo } from '../../seeds/seed-demo';
import { invalidateProducts } from '../../shared/product-cache';
import { deleteRedisPrefix } from '../support/redis';
import { call, startStack, uniqueEmail, type TestStack } from '../support/stack';

interface ProductRow {
  id: number;
  name: string;
  price: number;
  stock: number;
  imageUrl: string | null;
}

const CART_ID = /^[A-Za-z0-9_-]{32}$/;

describe('cart through the gateway', () => {
  let stack: TestStack;
  let products: ProductRow[];
  let nextProduct = 0;
  /** 101 active products with under 100 units, shared read-only by the line-limit tests. */
  let bulk: ProductRow[];

  beforeAll(async () => {
    stack = await startStack({
      label: 'cart',
      seed: async (database) => {
        await seedDemo(database.db, { nodeEnv: 'test', demoAccounts: true, log: () => undefined });
      },
    });
    const rows = (await stack.database
      .db('products as p')
      .leftJoin('product_images as i', function primary() {
        this.on('i.product_id', '=', 'p.id').andOn('i.is_primary', '=', stack.database.db.raw('1'));
      })
      .where('p.status', 'active')
      .orderBy('p.id')
      .select('p.id', 'p.name', 'p.price', 'p.stock', 'i.url as imageUrl')) as ProductRow[];
    const all = rows.map((row) => ({ ...row, id: Number(row.id) }));
    products = all.filter((row) => row.stock >= 100);
    bulk = all.filter((row) => row.stock < 100).slice(0, 101);
    if (bulk.length < 101)
      throw new Error('the demo catalogue has too few products for the line-limit tests');
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Products no other test touches (stock ≥ 100), so tests never depend on each other. */
  function takeProducts(count: number): ProductRow[] {
    const taken = products.slice(nextProduct, nextProduct + count);
    nextProduct += count;
    if (taken.length < count)
      throw new Error(`the demo catalogue has too few stocked products for ${count} more`);
    return taken;
  }
  const takeProduct = (): ProductRow => takeProducts(1)[0]!;

  /** A user row and a signed access token for it (faster than signup + login, same token). */
  async function newUser(): Promise<{ userId: number; token: string }> {
    const [userId] = await stack.database
      .db('users')
      .insert({ email: uniqueEmail('cart'), password_hash: null });
    const { token } = await createAccessTokenSigner(stack.bff.config).sign({
      userId: Number(userId),
      role: 'user',
    });
    return { userId: Number(userId), token };
  }

  const userKey = (userId: number) => `${stack.bff.config.REDIS_PREFIX}:cart:user:${userId}`;
  const guestKey = (cartId: string) => `${stack.bff.config.REDIS_PREFIX}:cart:guest:${cartId}`;

  async function mysqlLines(
    owner: { userId: number } | { guestId: string },
  ): Promise<Record<number, number>> {
    const where = 'userId' in owner ? { 'c.user_id': owner.userId } : { 'c.guest_id': owner.guestId };
    const rows = (await stack.database
      .db('carts as c')
      .join('cart_items as i', 'i.cart_id', 'c.id')
      .where(where)
      .select('i.product_id', 'i.quantity')) as { product_id: number; quantity: number }[];
    return Object.fromEntries(rows.map((row) => [Number(row.product_id), row.quantity]));
  }

  async function redisLines(key: string): Promise<Record<number, number>> {
    const hash = await stack.bff.ctx.redis.hgetall(key);
    return Object.fromEntries(
      Object.entries(hash)
        .filter(([field]) => !field.startsWith('__'))
        .map(([field, value]) => [Number(field), Number(value)]),
    );
  }

  const line = (product: ProductRow, quantity: number) => ({
    productId: product.id,
    name: product.name,
    unitPrice: product.price,
    quantity,
    lineTotal: product.price * quantity,
    availability: 'in_stock',
    imageUrl: product.imageUrl,
  });

  const add = (
    token: string | undefined,
    productId: number,
    quantity?: number,
    headers?: Record<string, string>,
  ) => call(stack.url, 'POST', '/api/cart/items', { token, headers, body: { productId, quantity } });

  async function setStock(productId: number, changes: { stock?: number; status?: 'deleted' }): Promise<void> {
    await stack.database
      .db('products')
      .where({ id: productId })
      .update({ ...changes, ...(changes.status ? { deleted_at: new Date() } : {}) });
    await invalidateProducts(stack.bff.ctx.redis, stack.bff.config.REDIS_PREFIX, [productId]);
  }

  describe('a signed-in user', () => {
    it('when a user with no cart reads it, then it is empty', async () => {
      const { token } = await newUser();
      const response = await call(stack.url, 'GET', '/api/cart', { token });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ lines: [], totalQuantity: 0, itemCount: 0, total: 0 });
      expect(response.headers.get('x-cart-id')).toBeNull();
      expect(response.headers.get('cache-control')).toBe('no-store');
    });

    it('when a user adds items, then the write and a later read show priced lines and totals', async () => {
      const { userId, token } = await newUser();
      const [a, b] = takeProducts(2) as [ProductRow, ProductRow];
      const first = await add(token, a.id, 2);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ lines: [line(a, 2)], totalQuantity: 2, itemCount: 1, total: a.price * 2 });

      const second = await add(token, b.id);
      const expected = {
        lines: [line(a, 2), line(b, 1)],
        totalQuantity: 3,
        itemCount: 2,
        total: a.price * 2 + b.price,
      };
      expect(second.body).toEqual(expected);
      const read = await call(stack.url, 'GET', '/api/cart', { token });
      expect(read.body).toEqual(expected);
      expect(await mysqlLines({ userId })).toEqual({ [a.id]: 2, [b.id]: 1 });
      expect(await redisLines(userKey(userId))).toEqual({ [a.id]: 2, [b.id]: 1 });
    });

    it('when the same product is added again, then the quantities add up, capped at 99', async () => {
      const { userId, token } = await newUser();
      const product = takeProduct();
      await add(token, product.id, 40);
      expect((await add(token, product.id, 50)).body.lines).toEqual([line(product, 90)]);
      const capped = await add(token, product.id, 20);
      expect(capped.status).toBe(200);
      expect(capped.body.lines).toEqual([line(product, 99)]);
      expect(await mysqlLines({ userId })).toEqual({ [product.id]: 99 });
      expect(await redisLines(userKey(userId))).toEqual({ [product.id]: 99 });
    });

    it('when a quantity is set, then the line has it; 0 removes the line', async () => {
      const { userId, token } = await newUser();
      const [a, b] = takeProducts(2) as [ProductRow, ProductRow];
      await add(token, a.id, 3);
      await add(token, b.id, 1);
      const set = await call(stack.url, 'PATCH', `/api/cart/items/${a.id}`, { token, body: { quantity: 7 } });
      expect(set.status).toBe(200);
      expect(set.body.lines).toEqual([line(a, 7), line(b, 1)]);
      const removed = await call(stack.url, 'PATCH', `/api/cart/items/${b.id}`, {
        token,
        body: { quantity: 0 },
      });
      expect(removed.body).toEqual({
        lines: [line(a, 7)],
        totalQuantity: 7,
        itemCount: 1,
        total: a.price * 7,
      });
      expect(await mysqlLines({ userId })).toEqual({ [a.id]: 7 });
      expect(await redisLines(userKey(userId))).toEqual({ [a.id]: 7 });
    });

    it('when a quantity is set for a product not in the cart, then 404 and nothing changes', async () => {
      const { userId, token } = await newUser();
      const [a, b] = takeProducts(2) as [ProductRow, ProductRow];
      const noCart = await call(stack.url, 'PATCH', `/api/cart/items/${a.id}`, {
        token,
        body: { quantity: 2 },
      });
      expect(noCart.status).toBe(404);
      await add(token, a.id, 1);
      const absent = await call(stack.url, 'PATCH', `/api/cart/items/${b.id}`, {
        token,
        body: { quantity: 2 },
      });
      expect(absent.status).toBe(404);
      expect(absent.body.error.code).toBe('NOT_FOUND');
      expect(await mysqlLines({ userId })).toEqual({ [a.id]: 1 });
    });

    it('when a line is deleted, then it is gone; deleting it again answers the same cart', async () => {
      const { userId, token } = await newUser();
      const [a, b] = takeProducts(2) as [ProductRow, ProductRow];
      await add(token, a.id, 1);
      await add(token, b.id, 2);
      const deleted = await call(stack.url, 'DELETE', `/api/cart/items/${a.id}`, { token });
      expect(deleted.status).toBe(200);
      expect(deleted.body.lines).toEqual([line(b, 2)]);
      const again = await call(stack.url, 'DELETE', `/api/cart/items/${a.id}`, { token });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(deleted.body);
      expect(await mysqlLines({ userId })).toEqual({ [b.id]: 2 });
      expect(await redisLines(userKey(userId))).toEqual({ [b.id]: 2 });
    });

    it('when the cart is cleared, then both stores hold an empty cart', async () => {
      const { userId, token } = await newUser();
      const [a, b] = takeProducts(2) as [ProductRow, ProductRow];
      await add(token, a.id, 1);
      await add(token, b.id, 1);
      const cleared = await call(stack.url, 'DELETE', '/api/cart', { token });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toEqual({ lines: [], totalQuantity: 0, itemCount: 0, total: 0 });
      expect(await mysqlLines({ userId })).toEqual({});
      expect(await redisLines(userKey(userId))).toEqual({});
      expect(await stack.bff.ctx.redis.hexists(userKey(userId), '__v')).toBe(1);
      expect((await call(stack.url, 'DELETE', '/api/cart', { token })).status).toBe(200);
    });

    it('when the product is unknown or deleted, then adding it is 404', async () => {
      const { userId, token } = await newUser();
      const unknown = await add(token, 999_999_999, 1);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('NOT_FOUND');
      const product = takeProduct();
      await setStock(product.id, { status: 'deleted' });
      expect((await add(token, product.id, 1)).status).toBe(404);
      expect(await mysqlLines({ userId })).toEqual({});
    });
  });

  describe('bad input', () => {
    let token: string;
    let productId: number;
    beforeAll(async () => {
      token = (await newUser()).token;
      productId = takeProduct().id;
      await add(token, productId, 1);
    });

    it.each([
      [{}, 'productId'],
      [{ productId: '1', quantity: 1 }, 'productId'],
      [{ productId: -4, quantity: 1 }, 'productId'],
      [{ productId: 1.5, quantity: 1 }, 'productId'],
      [{ productId: 1, quantity: 0 }, 'quantity'],
      [{ productId: 1, quantity: 100 }, 'quantity'],
      [{ productId: 1, quantity: 2.5 }, 'quantity'],
      [{ productId: 1, quantity: 1, price: 1 }, ''],
    ])('when an add gets %j, then 400 names the field', async (body, field) => {
      const response = await call(stack.url, 'POST', '/api/cart/items', { token, body });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      if (field) expect(response.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    });

    it.each([
      [{ quantity: -1 }],
      [{ quantity: 100 }],
      [{ quantity: '3' }],
      [{}],
      [{ quantity: 1, extra: true }],
    ])('when a quantity update gets %j, then 400', async (body) => {
      const response = await call(stack.url, 'PATCH', `/api/cart/items/${productId}`, { token, body });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
    });

    it.each(['abc', '0', '01', '-1', '1e3', '12345678901234567'])(
      'when the product id in the path is %s, then PATCH and DELETE answer 400',
      async (id) => {
        const patch = await call(stack.url, 'PATCH', `/api/cart/items/${id}`, {
          token,
          body: { quantity: 1 },
        });
        const remove = await call(stack.url, 'DELETE', `/api/cart/items/${id}`, { token });
        expect([patch.status, remove.status]).toEqual([400, 400]);
      },
    );

    it('when the body is not JSON, then 400', async () => {
      const response = await fetch(`${stack.url}/api/cart/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: '{"productId":',
      });
      expect(response.status).toBe(400);
    });

    it.each(['short', 'x'.repeat(33), `${'a'.repeat(31)}!`, `${'a'.repeat(31)}=`])(
      'when a guest sends X-Cart-Id %j, then 400',
      async (cartId) => {
        const headers = { 'x-cart-id': cartId };
        expect((await call(stack.url, 'GET', '/api/cart', { headers })).status).toBe(400);
        expect((await add(undefined, productId, 1, headers)).status).toBe(400);
      },
    );

    it('when the token is not valid, then the gateway answers 401 rather than treating the caller as a guest', async () => {
      const response = await call(stack.url, 'GET', '/api/cart', { token: 'not.a.token' });
      expect(response.status).toBe(401);
    });
  });

  describe('isolation', () => {
    it('when two users fill their carts, then each sees only their own', async () => {
      const alice = await newUser();
      const bob = await newUser();
      const [a, b] = takeProducts(2) as [ProductRow, ProductRow];
      await Promise.all([add(alice.token, a.id, 2), add(bob.token, b.id, 3)]);
      const aliceCart = await call(stack.url, 'GET', '/api/cart', { token: alice.token });
      const bobCart = await call(stack.url, 'GET', '/api/cart', { token: bob.token });
      expect(aliceCart.body.lines).toEqual([line(a, 2)]);
      expect(bobCart.body.lines).toEqual([line(b, 3)]);
      expect(await mysqlLines({ userId: alice.userId })).toEqual({ [a.id]: 2 });
      expect(await mysqlLines({ userId: bob.userId })).toEqual({ [b.id]: 3 });
    });

    it("when a user sends someone's guest cart id, then the user still gets their own cart and the guest cart is untouched", async () => {
      const user = await newUser();
      const [a, b] = takeProducts(2) as [ProductRow, ProductRow];
      const guest = await add(undefined, a.id, 1);
      const cartId = guest.body.cartId as string;
      const headers = { 'x-cart-id': cartId };
      const read = await call(stack.url, 'GET', '/api/cart', { token: user.token, headers });
      expect(read.body).toEqual({ lines: [], totalQuantity: 0, itemCount: 0, total: 0 });
      await add(user.token, b.id, 1, headers);
      expect(await mysqlLines({ guestId: cartId })).toEqual({ [a.id]: 1 });
      expect(await mysqlLines({ userId: user.userId })).toEqual({ [b.id]: 1 });
    });

    it('when a client sends X-User-Id itself, then the gateway drops it and the request is a guest one', async () => {
      const victim = await newUser();
      await add(victim.token, takeProduct().id, 1);
      const forged = await call(stack.url, 'GET', '/api/cart', {
        headers: { 'x-user-id': String(victim.userId), 'x-user-role': 'user' },
      });
      expect(forged.status).toBe(200);
      expect(forged.body).toEqual({ lines: [], totalQuantity: 0, itemCount: 0, total: 0 });
    });
  });

  describe('guest carts', () => {
    it('when a guest without X-Cart-Id reads, then the cart is empty and no cart is created', async () => {
      const before = await stack.database.db('carts').count({ n: '*' }).first();
      const response = await call(stack.url, 'GET', '/api/cart');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ lines: [], totalQuantity: 0, itemCount: 0, total: 0 });
      expect(await stack.database.db('carts').count({ n: '*' }).first()).toEqual(before);
    });

    it('when a guest adds a first item, then a new cart id comes back in the header and body and keeps the cart', async () => {
      const [a, b] = takeProducts(2) as [ProductRow, ProductRow];
      const first = await add(undefined, a.id, 2);
      expect(first.status).toBe(200);
      const cartId = first.headers.get('x-cart-id');
      expect(cartId).toMatch(CART_ID);
      expect(first.body).toEqual({
        cartId,
        lines: [line(a, 2)],
        totalQuantity: 2,
        itemCount: 1,
        total: a.price * 2,
      });

      const headers = { 'x-cart-id': cartId! };
      const second = await add(undefined, b.id, 1, headers);
      expect(second.headers.get('x-cart-id')).toBe(cartId);
      const read = await call(stack.url, 'GET', '/api/cart', { headers });
      expect(read.body).toEqual({
        cartId,
        lines: [line(a, 2), line(b, 1)],
        totalQuantity: 3,
        itemCount: 2,
        total: a.price * 2 + b.price,
      });
      expect(await mysqlLines({ guestId: cartId! })).toEqual({ [a.id]: 2, [b.id]: 1 });
      const ttl = await stack.bff.ctx.redis.ttl(guestKey(cartId!));
      expect(ttl).toBeGreaterThan(30 * 24 * 3600 - 60);
      expect(ttl).toBeLessThanOrEqual(30 * 24 * 3600);
      const row = await stack.database.db('carts').where({ guest_id: cartId }).first('user_id', 'updated_at');
      expect(row.user_id).toBeNull();
      expect(Date.now() - row.updated_at.getTime()).toBeLessThan(60_000);
    });

    it('when two guests add without X-Cart-Id, then they get different carts', async () => {
      const [a, b] = takeProducts(2) as [ProductRow, ProductRow];
      const [one, two] = await Promise.all([add(undefined, a.id, 1), add(undefined, b.id, 1)]);
      expect(one.body.cartId).not.toBe(two.body.cartId);
      expect(one.body.lines).toEqual([line(a, 1)]);
      expect(two.body.lines).toEqual([line(b, 1)]);
    });

    it('when a guest sends an unknown well-formed id, then a read is empty and a write makes a new cart', async () => {
      const unknown = randomBytes(24).toString('base64url');
      const headers = { 'x-cart-id': unknown };
      const read = await call(stack.url, 'GET', '/api/cart', { headers });
      expect(read.status).toBe(200);
      expect(read.body).toEqual({ lines: [], totalQuantity: 0, itemCount: 0, total: 0 });
      expect(await stack.bff.ctx.redis.exists(guestKey(unknown))).toBe(0);

      const product = takeProduct();
      const write = await add(undefined, product.id, 1, headers);
      expect(write.body.cartId).toMatch(CART_ID);
      expect(write.body.cartId).not.toBe(unknown);
      expect(await stack.database.db('carts').where({ guest_id: unknown }).first()).toBeUndefined();
    });

    it('when a guest edits and clears the cart, then every endpoint works with X-Cart-Id', async () => {
      const [a, b] = takeProducts(2) as [ProductRow, ProductRow];
      const cartId = (await add(undefined, a.id, 1)).body.cartId as string;
      const headers = { 'x-cart-id': cartId };
      await add(undefined, b.id, 1, headers);
      const set = await call(stack.url, 'PATCH', `/api/cart/items/${a.id}`, {
        headers,
        body: { quantity: 5 },
      });
      expect(set.body.lines).toEqual([line(a, 5), line(b, 1)]);
      const removed = await call(stack.url, 'DELETE', `/api/cart/items/${b.id}`, { headers });
      expect(removed.body.lines).toEqual([line(a, 5)]);
      const cleared = await call(stack.url, 'DELETE', '/api/cart', { headers });
      expect(cleared.body).toEqual({ cartId, lines: [], totalQuantity: 0, itemCount: 0, total: 0 });
      expect(await mysqlLines({ guestId: cartId })).toEqual({});
    });

    it('when a guest without a cart patches or deletes, then 404 and an empty cart', async () => {
      const product = takeProduct();
      expect(
        (await call(stack.url, 'PATCH', `/api/cart/items/${product.id}`, { body: { quantity: 1 } })).status,
      ).toBe(404);
      const removed = await call(stack.url, 'DELETE', `/api/cart/items/${product.id}`);
      expect(removed.status).toBe(200);
      expect(removed.body).toEqual({ lines: [], totalQuantity: 0, itemCount: 0, total: 0 });
    });

    it('when a guest cart has been idle for more than 30 days, then it is gone and a write starts a new one', async () => {
      const product = takeProduct();
      const cartId = (await add(undefined, product.id, 1)).body.cartId as string;
      await stack.database
        .db('carts')
        .where({ guest_id: cartId })
        .update({ updated_at: new Date(Date.now() - 31 * 24 * 3600 * 1000) });
      await stack.bff.ctx.redis.del(guestKey(cartId));
      const headers = { 'x-cart-id': cartId };
      const read = await call(stack.url, 'GET', '/api/cart', { headers });
      expect(read.body).toEqual({ lines: [], totalQuantity: 0, itemCount: 0, total: 0 });
      const write = await add(undefined, product.id, 1, headers);
      expect(write.body.cartId).not.toBe(cartId);
      expect(await stack.database.db('carts').where({ guest_id: cartId }).first()).toBeUndefined();
    });
  });

  describe('merging a guest cart at login', () => {
    it('when a guest cart is merged, then quantities add up (capped), the guest cart is gone, and a second merge changes nothing', async () => {
      const user = await newUser();
      const [a, b, c] = takeProducts(3) as [ProductRow, ProductRow, ProductRow];
      await add(user.token, a.id, 98);
      await add(user.token, c.id, 1);
      const cartId = (await add(undefined, a.id, 2)).body.cartId as string;
      const headers = { 'x-cart-id': cartId };
      await add(undefined, b.id, 1, headers);

      const merged = await call(stack.url, 'POST', '/api/cart/merge', { token: user.token, headers });
      expect(merged.status).toBe(200);
      const expected = {
        lines: [line(a, 99), line(b, 1), line(c, 1)].sort((x, y) => x.productId - y.productId),
        totalQuantity: 101,
        itemCount: 3,
        total: a.price * 99 + b.price + c.price,
      };
      expect(merged.body).toEqual(expected);
      expect(await mysqlLines({ userId: user.userId })).toEqual({ [a.id]: 99, [b.id]: 1, [c.id]: 1 });
      expect(await redisLines(userKey(user.userId))).toEqual({ [a.id]: 99, [b.id]: 1, [c.id]: 1 });
      expect(await stack.database.db('carts').where({ guest_id: cartId }).first()).toBeUndefined();
      expect(await redisLines(guestKey(cartId))).toEqual({});

      const guestRead = await call(stack.url, 'GET', '/api/cart', { headers });
      expect(guestRead.body).toEqual({ lines: [], totalQuantity: 0, itemCount: 0, total: 0 });

      const again = await call(stack.url, 'POST', '/api/cart/merge', { token: user.token, headers });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(expected);
      expect(await mysqlLines({ userId: user.userId })).toEqual({ [a.id]: 99, [b.id]: 1, [c.id]: 1 });
    });

    it('when a user with no cart merges a guest cart, then the user gets the guest lines', async () => {
      const user = await newUser();
      const product = takeProduct();
      const cartId = (await add(undefined, product.id, 4)).body.cartId as string;
      const merged = await call(stack.url, 'POST', '/api/cart/merge', {
        token: user.token,
        headers: { 'x-cart-id': cartId },
      });
      expect(merged.body).toEqual({
        lines: [line(product, 4)],
        totalQuantity: 4,
        itemCount: 1,
        total: product.price * 4,
      });
    });

    it('when the merged lines would pass 100, then the ones that fit are merged and the rest reported', async () => {
      const user = await newUser();
      const pool = bulk;
      for (let start = 0; start < 99; start += 10) {
        await Promise.all(
          pool.slice(start, Math.min(start + 10, 99)).map((product) => add(user.token, product.id, 1)),
        );
      }
      const cartId = (await add(undefined, pool[0]!.id, 1)).body.cartId as string;
      const headers = { 'x-cart-id': cartId };
      await add(undefined, pool[99]!.id, 1, headers);
      await add(undefined, pool[100]!.id, 1, headers);
      const merged = await call(stack.url, 'POST', '/api/cart/merge', { token: user.token, headers });
      expect(merged.status).toBe(200);
      expect(merged.body.itemCount).toBe(100);
      expect(merged.body.notMerged).toEqual([pool[100]!.id]);
      expect(merged.body.lines.find((l: { productId: number }) => l.productId === pool[0]!.id).quantity).toBe(
        2,
      );
      expect(Object.keys(await mysqlLines({ userId: user.userId }))).toHaveLength(100);
    });

    it('when merge is called without a token or without a cart id, then 401 and 400', async () => {
      const cartId = randomBytes(24).toString('base64url');
      expect(
        (await call(stack.url, 'POST', '/api/cart/merge', { headers: { 'x-cart-id': cartId } })).status,
      ).toBe(401);
      const { token } = await newUser();
      const missing = await call(stack.url, 'POST', '/api/cart/merge', { token });
      expect(missing.status).toBe(400);
      expect(missing.body.error.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('concurrency and durability', () => {
    it('when 50 adds of one unit race on one line, then the line holds exactly 50 in the responses, Redis and MySQL', async () => {
      const { userId, token } = await newUser();
      const product = takeProduct();
      const responses = await Promise.all(Array.from({ length: 50 }, () => add(token, product.id, 1)));
      expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
      // Writes are serialised on the cart row, so each response shows a different step of the sum.
      const seen = responses
        .map((response) => response.body.lines[0].quantity as number)
        .sort((x, y) => x - y);
      expect(seen).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
      expect((await call(stack.url, 'GET', '/api/cart', { token })).body.lines).toEqual([line(product, 50)]);
      expect(await redisLines(userKey(userId))).toEqual({ [product.id]: 50 });
      expect(await mysqlLines({ userId })).toEqual({ [product.id]: 50 });
    });

    it('when two tabs add and set quantities at once, then Redis ends equal to MySQL', async () => {
      const { userId, token } = await newUser();
      const [a, b] = takeProducts(2) as [ProductRow, ProductRow];
      await add(token, a.id, 1);
      await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          index % 3 === 0
            ? call(stack.url, 'PATCH', `/api/cart/items/${a.id}`, {
                token,
                body: { quantity: (index % 7) + 1 },
              })
            : add(token, index % 2 ? a.id : b.id, 1),
        ),
      );
      const mysql = await mysqlLines({ userId });
      expect(await redisLines(userKey(userId))).toEqual(mysql);
      const read = await call(stack.url, 'GET', '/api/cart', { token });
      expect(
        Object.fromEntries(
          read.body.lines.map((l: { productId: number; quantity: number }) => [l.productId, l.quantity]),
        ),
      ).toEqual(mysql);
    });

    it("when Redis loses everything under the test's prefix, then the next read rebuilds the same cart from MySQL", async () => {
      const { userId, token } = await newUser();
      const [a, b] = takeProducts(2) as [ProductRow, ProductRow];
      await add(token, a.id, 2);
      await add(token, b.id, 3);
      const before = await call(stack.url, 'GET', '/api/cart', { token });
      const guestCartId = (await add(undefined, a.id, 4)).body.cartId as string;
      const guestBefore = await call(stack.url, 'GET', '/api/cart', {
        headers: { 'x-cart-id': guestCartId },
      });

      await deleteRedisPrefix(process.env.REDIS_URL!, stack.bff.config.REDIS_PREFIX);
      expect(await stack.bff.ctx.redis.exists(userKey(userId))).toBe(0);

      const after = await call(stack.url, 'GET', '/api/cart', { token });
      expect(after.status).toBe(200);
      expect(after.body).toEqual(before.body);
      expect(await redisLines(userKey(userId))).toEqual({ [a.id]: 2, [b.id]: 3 });
      const guestAfter = await call(stack.url, 'GET', '/api/cart', { headers: { 'x-cart-id': guestCartId } });
      expect(guestAfter.body).toEqual(guestBefore.body);

      // and a write after the loss adds to what MySQL holds, not to an empty cart
      await stack.bff.ctx.redis.del(userKey(userId));
      expect((await add(token, a.id, 1)).body.lines[0]).toEqual(line(a, 3));
    });

    it('when the cart and product summaries are warm, then a read makes no SQL query at all', async () => {
      const { userId, token } = await newUser();
      const [a, b, c] = takeProducts(3) as [ProductRow, ProductRow, ProductRow];
      for (const product of [a, b, c]) await add(token, product.id, 1);
      await stack.bff.ctx.redis.del(userKey(userId));

      const queries: string[] = [];
      const onQuery = (query: { sql: string }) => queries.push(query.sql);
      stack.bff.ctx.db.on('query', onQuery);
      try {
        const cold = await call(stack.url, 'GET', '/api/cart', { token });
        expect(cold.status).toBe(200);
        expect(queries).toHaveLength(1); // the rebuild: one SELECT
        queries.length = 0;
        for (let read = 0; read < 5; read += 1) {
          const warm = await call(stack.url, 'GET', '/api/cart', { token });
          expect(warm.body).toEqual(cold.body);
        }
        expect(queries).toEqual([]);

        // a user who never had a cart is warm after one read too
        const stranger = await newUser();
        await call(stack.url, 'GET', '/api/cart', { token: stranger.token });
        queries.length = 0;
        await call(stack.url, 'GET', '/api/cart', { token: stranger.token });
        expect(queries).toEqual([]);
      } finally {
        stack.bff.ctx.db.removeListener('query', onQuery);
      }
    });

    it('when an older state reaches Redis after a newer one, then Redis keeps the newer one', async () => {
      const store = cartStore(stack.bff.ctx.redis, stack.bff.config.REDIS_PREFIX);
      const key = store.keyOf({ userId: 987_654_321 });
      const newer = { id: 7, version: 2000, gone: false, lines: [{ productId: 1, quantity: 5 }] };
      const older = { id: 7, version: 1000, gone: false, lines: [{ productId: 1, quantity: 9 }] };
      expect(await store.applyIfNewer(key, newer, 60)).toBe(true);
      expect(await store.applyIfNewer(key, older, 60)).toBe(false);
      expect(await store.applyIfNewer(key, { ...older, id: 6, version: 9999 }, 60)).toBe(false);
      expect(await store.read(key)).toEqual(newer);
      expect(await store.applyIfNewer(key, { ...newer, version: 2001, lines: [] }, 60)).toBe(true);
      expect(await store.read(key)).toEqual({ ...newer, version: 2001, lines: [] });
    });
  });

  describe('availability', () => {
    it('when stock runs low, out, or below the quantity, or the product is deleted, then each line says so and removed lines do not count', async () => {
      const { token } = await newUser();
      const [low, out, over, gone, fine] = takeProducts(5) as [
        ProductRow,
        ProductRow,
        ProductRow,
        ProductRow,
        ProductRow,
      ];
      for (const product of [low, out, over, gone, fine])
        await add(token, product.id, product === over ? 3 : 1);

      await setStock(low.id, { stock: 2 });
      await setStock(out.id, { stock: 0 });
      await setStock(over.id, { stock: 2 });
      await setStock(gone.id, { status: 'deleted' });

      const read = await call(stack.url, 'GET', '/api/cart', { token });
      const byId = new Map(read.body.lines.map((l: { productId: number }) => [l.productId, l]));
      expect(byId.get(low.id)).toEqual({ ...line(low, 1), availability: 'low_stock' });
      expect(byId.get(out.id)).toEqual({ ...line(out, 1), availability: 'out_of_stock' });
      expect(byId.get(over.id)).toEqual({ ...line(over, 3), availability: 'out_of_stock' });
      expect(byId.get(gone.id)).toEqual({ ...line(gone, 1), lineTotal: 0, availability: 'removed' });
      expect(byId.get(fine.id)).toEqual(line(fine, 1));
      expect(read.body.itemCount).toBe(5);
      expect(read.body.totalQuantity).toBe(1 + 1 + 3 + 1);
      expect(read.body.total).toBe(low.price + out.price + over.price * 3 + fine.price);
    });

    it('when stock is below the wanted quantity, then adding still succeeds and the line is flagged', async () => {
      const { token } = await newUser();
      const product = takeProduct();
      await setStock(product.id, { stock: 1 });
      const response = await add(token, product.id, 4);
      expect(response.status).toBe(200);
      expect(response.body.lines).toEqual([{ ...line(product, 4), availability: 'out_of_stock' }]);
    });
  });

  describe('limits', () => {
    it('when a cart holds 100 lines, then a 101st is refused with 422 CART_FULL but existing lines still grow', async () => {
      const { userId, token } = await newUser();
      const pool = bulk;
      for (let start = 0; start < 100; start += 10) {
        const batch = await Promise.all(
          pool.slice(start, start + 10).map((product) => add(token, product.id, 1)),
        );
        expect(batch.map((response) => response.status)).toEqual(Array(10).fill(200));
      }
      const full = await add(token, pool[100]!.id, 1);
      expect(full.status).toBe(422);
      expect(full.body.error.code).toBe('CART_FULL');
      expect(Object.keys(await mysqlLines({ userId }))).toHaveLength(100);
      expect(Object.keys(await redisLines(userKey(userId)))).toHaveLength(100);

      const grow = await add(token, pool[0]!.id, 1);
      expect(grow.status).toBe(200);
      expect(grow.body.itemCount).toBe(100);
    });

    it('when 100 units are asked for in one add or set, then 400', async () => {
      const { token } = await newUser();
      const product = takeProduct();
      expect((await add(token, product.id, 100)).status).toBe(400);
      await add(token, product.id, 1);
      expect(
        (await call(stack.url, 'PATCH', `/api/cart/items/${product.id}`, { token, body: { quantity: 100 } }))
          .status,
      ).toBe(400);
    });
  });

  describe('for placing orders', () => {
    it('when lines are read and removed through the service, then both stores lose exactly those lines', async () => {
      const { userId, token } = await newUser();
      const [a, b, c] = takeProducts(3) as [ProductRow, ProductRow, ProductRow];
      await add(token, a.id, 1);
      await add(token, b.id, 2);
      await add(token, c.id, 3);
      const carts = cartService(stack.bff.ctx);
      expect(await carts.getLines(userId)).toEqual(
        [
          { productId: a.id, quantity: 1 },
          { productId: b.id, quantity: 2 },
          { productId: c.id, quantity: 3 },
        ].sort((x, y) => x.productId - y.productId),
      );
      await carts.removeLines(userId, [a.id, c.id, 999_999_999]);
      expect(await carts.getLines(userId)).toEqual([{ productId: b.id, quantity: 2 }]);
      expect(await redisLines(userKey(userId))).toEqual({ [b.id]: 2 });
      expect((await call(stack.url, 'GET', '/api/cart', { token })).body.lines).toEqual([line(b, 2)]);

      const nobody = await newUser();
      expect(await carts.getLines(nobody.userId)).toEqual([]);
      await expect(carts.removeLines(nobody.userId, [a.id])).resolves.toBeUndefined();
    });

    it('when idle guest carts are purged, then only guest carts idle for over 30 days go', async () => {
      const { userId, token } = await newUser();
      const product = takeProduct();
      await add(token, product.id, 1);
      const idle = (await add(undefined, product.id, 1)).body.cartId as string;
      const fresh = (await add(undefined, product.id, 1)).body.cartId as string;
      const longAgo = new Date(Date.now() - 31 * 24 * 3600 * 1000);
      await stack.database
        .db('carts')
        .where({ guest_id: idle })
        .orWhere({ user_id: userId })
        .update({ updated_at: longAgo });

      expect(await cartService(stack.bff.ctx).purgeIdleGuestCarts()).toBeGreaterThanOrEqual(1);
      expect(await stack.database.db('carts').where({ guest_id: idle }).first()).toBeUndefined();
      expect(await mysqlLines({ guestId: fresh })).toEqual({ [product.id]: 1 });
      expect(await mysqlLines({ userId })).toEqual({ [product.id]: 1 });
    });
  });
});
