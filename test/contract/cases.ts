import type { TestStack } from '../support/stack';

type Response = { status: number; headers: Headers; body: any };

export interface ContractContext {
  stack: TestStack;
  user: { userId: number; token: string; email: string };
  admin: { userId: number; token: string; email: string };
  /** A seeded product with stock. */
  productId: number;
  call(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string; headers?: Record<string, string> },
  ): Promise<Response>;
  uniqueEmail(label?: string): string;
}

export interface ContractCase {
  /** `METHOD /express/:path`, as in the route lists. */
  operation: string;
  name: string;
  expectStatus?: number;
  run(context: ContractContext): Promise<Response>;
}

const address = {
  recipient: 'Contract Kim',
  phone: '010-1111-2222',
  postalCode: '06236',
  address1: 'Teheran-ro 1',
};
let sequence = 0;
const key = () => `contract-${Date.now()}-${(sequence += 1)}`;

async function loggedIn(context: ContractContext) {
  const email = context.uniqueEmail('contract');
  await context.call('POST', '/api/auth/signup', {
    body: { email, password: 'Passw0rd!', phone: '+821033334444' },
  });
  const login = await context.call('POST', '/api/auth/login', { body: { email, password: 'Passw0rd!' } });
  return login.body as { accessToken: string; refreshToken: string };
}

async function placedOrder(context: ContractContext) {
  const placed = await context.call('POST', '/api/orders', {
    token: context.user.token,
    headers: { 'idempotency-key': key(), prefer: 'wait=5' },
    body: {
      items: [{ productId: context.productId, quantity: 1 }],
      shippingAddress: address,
      paymentMethod: 'card',
    },
  });
  return placed.body.orderId as number;
}

/** A category of the seeded tree, for products the admin cases create. */
async function someCategoryId(context: ContractContext): Promise<number> {
  const tree = await context.call('GET', '/api/categories');
  return tree.body.categories[0].id as number;
}

/** A fresh product made through the admin API, so the write cases never touch the seeded ones. */
async function createdProduct(context: ContractContext) {
  const created = await context.call('POST', '/api/admin/products', {
    token: context.admin.token,
    body: {
      sku: key(),
      name: 'Contract phone',
      brand: 'Contractbrand',
      price: 99000,
      stock: 3,
      categoryId: await someCategoryId(context),
      specs: { color: 'Black', ram_gb: 8, wireless: true },
      images: ['https://img.example.com/contract-1.jpg', 'https://img.example.com/contract-2.jpg'],
    },
  });
  if (created.status !== 201) throw new Error(`product not created: ${JSON.stringify(created.body)}`);
  return {
    id: created.body.product.id as number,
    etag: created.headers.get('etag')!,
    imageIds: (created.body.product.images as { id: number }[]).map((image) => image.id),
  };
}

async function deletedProduct(context: ContractContext): Promise<number> {
  const { id } = await createdProduct(context);
  await context.call('DELETE', `/api/admin/products/${id}`, { token: context.admin.token });
  return id;
}

/** A guest's answer carries its cart id twice, header and body, or neither. */
function sameCartIdInHeader(response: Response): Response {
  const header = response.headers.get('x-cart-id') ?? undefined;
  if (response.status === 200 && header !== response.body?.cartId)
    throw new Error(`X-Cart-Id header ${header} but cartId ${response.body?.cartId}`);
  return response;
}

/** A new guest cart holding `productId`; returns its id (from the X-Cart-Id header). */
async function guestCart(context: ContractContext, productId = context.productId): Promise<string> {
  const added = await context.call('POST', '/api/cart/items', { body: { productId, quantity: 2 } });
  const cartId = added.headers.get('x-cart-id');
  if (added.status !== 200 || !cartId)
    throw new Error(`guest cart not created: ${JSON.stringify(added.body)}`);
  return cartId;
}

/** A fresh account made through signup (and logged in once, so it holds a live refresh token); its id. */
async function freshUserId(context: ContractContext): Promise<number> {
  const email = context.uniqueEmail('contract-admin');
  const signup = await context.call('POST', '/api/auth/signup', { body: { email, password: 'Passw0rd!' } });
  if (signup.status !== 201) throw new Error(`user not created: ${JSON.stringify(signup.body)}`);
  await context.call('POST', '/api/auth/login', { body: { email, password: 'Passw0rd!' } });
  return signup.body.user.id as number;
}

async function suspendedUserId(context: ContractContext): Promise<number> {
  const userId = await freshUserId(context);
  const suspended = await context.call('POST', `/api/admin/users/${userId}/suspend`, {
    token: context.admin.token,
  });
  if (suspended.status !== 200) throw new Error(`user not suspended: ${JSON.stringify(suspended.body)}`);
  return userId;
}

export const contractCases: ContractCase[] = [
  { operation: 'GET /healthz', name: 'alive', expectStatus: 200, run: (c) => c.call('GET', '/healthz') },
  { operation: 'GET /readyz', name: 'ready', expectStatus: 200, run: (c) => c.call('GET', '/readyz') },

  {
    operation: 'POST /api/auth/signup',
    name: 'a new account',
    expectStatus: 201,
    run: (c) =>
      c.call('POST', '/api/auth/signup', { body: { email: c.uniqueEmail(), password: 'Passw0rd!' } }),
  },
  {
    operation: 'POST /api/auth/signup',
    name: 'a weak password',
    expectStatus: 400,
    run: (c) => c.call('POST', '/api/auth/signup', { body: { email: c.uniqueEmail(), password: 'weak' } }),
  },
  {
    operation: 'POST /api/auth/login',
    name: 'right credentials',
    expectStatus: 200,
    run: async (c) => {
      const email = c.uniqueEmail();
      await c.call('POST', '/api/auth/signup', { body: { email, password: 'Passw0rd!' } });
      return c.call('POST', '/api/auth/login', { body: { email, password: 'Passw0rd!' } });
    },
  },
  {
    operation: 'POST /api/auth/login',
    name: 'wrong credentials',
    expectStatus: 401,
    run: (c) =>
      c.call('POST', '/api/auth/login', { body: { email: c.uniqueEmail(), password: 'Wrong-pass1' } }),
  },
  {
    operation: 'POST /api/auth/refresh',
    name: 'a fresh refresh token',
    expectStatus: 200,
    run: async (c) =>
      c.call('POST', '/api/auth/refresh', { body: { refreshToken: (await loggedIn(c)).refreshToken } }),
  },
  {
    operation: 'POST /api/auth/logout',
    name: 'a refresh token',
    expectStatus: 204,
    run: async (c) =>
      c.call('POST', '/api/auth/logout', { body: { refreshToken: (await loggedIn(c)).refreshToken } }),
  },
  {
    operation: 'POST /api/auth/browser-session',
    name: 'a browser signs in',
    expectStatus: 200,
    run: async (c) => {
      const email = c.uniqueEmail('contract-browser');
      await c.call('POST', '/api/auth/signup', { body: { email, password: 'Passw0rd!' } });
      const response = await c.call('POST', '/api/auth/browser-session', {
        body: { email, password: 'Passw0rd!' },
      });
      if (response.status === 200 && !/^vm_refresh=/.test(response.headers.getSetCookie()[0] ?? ''))
        throw new Error('no vm_refresh cookie');
      return response;
    },
  },
  {
    operation: 'POST /api/auth/browser-session',
    name: 'from another site',
    expectStatus: 403,
    run: (c) =>
      c.call('POST', '/api/auth/browser-session', {
        body: { email: c.uniqueEmail(), password: 'Passw0rd!' },
        headers: { 'sec-fetch-site': 'cross-site' },
      }),
  },
  {
    operation: 'POST /api/auth/browser-session/refresh',
    name: 'the page refreshes with its cookies',
    expectStatus: 200,
    run: async (c) => {
      const email = c.uniqueEmail('contract-browser');
      await c.call('POST', '/api/auth/signup', { body: { email, password: 'Passw0rd!' } });
      const session = await c.call('POST', '/api/auth/browser-session', {
        body: { email, password: 'Passw0rd!' },
      });
      const cookies = session.headers.getSetCookie().map((line) => line.split(';')[0]!);
      const csrf = cookies.find((cookie) => cookie.startsWith('vm_csrf='))!.slice('vm_csrf='.length);
      return c.call('POST', '/api/auth/browser-session/refresh', {
        headers: { cookie: cookies.join('; '), 'x-csrf-token': csrf },
      });
    },
  },
  {
    operation: 'POST /api/auth/browser-session/refresh',
    name: 'no session cookie',
    expectStatus: 401,
    run: (c) => c.call('POST', '/api/auth/browser-session/refresh'),
  },
  {
    operation: 'POST /api/auth/browser-session/refresh',
    name: 'a cookie without the CSRF header',
    expectStatus: 403,
    run: (c) =>
      c.call('POST', '/api/auth/browser-session/refresh', {
        headers: { cookie: `vm_refresh=${'r'.repeat(43)}; vm_csrf=${'c'.repeat(43)}` },
      }),
  },
  {
    operation: 'DELETE /api/auth/browser-session',
    name: 'no session: nothing to sign out of',
    expectStatus: 204,
    run: (c) => c.call('DELETE', '/api/auth/browser-session'),
  },
  {
    operation: 'DELETE /api/auth/browser-session',
    name: 'a cookie without the CSRF header',
    expectStatus: 403,
    run: (c) =>
      c.call('DELETE', '/api/auth/browser-session', { headers: { cookie: `vm_refresh=${'r'.repeat(43)}` } }),
  },
  {
    operation: 'POST /api/auth/sms/send',
    name: 'a user with a phone',
    expectStatus: 202,
    run: async (c) =>
      c.call('POST', '/api/auth/sms/send', { token: (await loggedIn(c)).accessToken, body: {} }),
  },
  {
    operation: 'GET /api/auth/sms/status',
    name: 'no code pending',
    expectStatus: 200,
    run: async (c) => c.call('GET', '/api/auth/sms/status', { token: (await loggedIn(c)).accessToken }),
  },
  {
    operation: 'GET /api/auth/sms/status',
    name: 'a code just asked for',
    expectStatus: 200,
    run: async (c) => {
      const { accessToken } = await loggedIn(c);
      await c.call('POST', '/api/auth/sms/send', { token: accessToken, body: {} });
      return c.call('GET', '/api/auth/sms/status', { token: accessToken });
    },
  },
  {
    operation: 'POST /api/auth/sms/verify',
    name: 'no code pending',
    expectStatus: 422,
    run: async (c) =>
      c.call('POST', '/api/auth/sms/verify', {
        token: (await loggedIn(c)).accessToken,
        body: { code: '123456' },
      }),
  },
  {
    operation: 'GET /api/auth/oauth/:provider/start',
    name: 'an unknown provider',
    expectStatus: 404,
    run: (c) => c.call('GET', '/api/auth/oauth/nope/start'),
  },
  {
    operation: 'POST /api/auth/oauth/:provider/link',
    name: 'an unknown provider',
    expectStatus: 404,
    run: async (c) => c.call('POST', '/api/auth/oauth/nope/link', { token: (await loggedIn(c)).accessToken }),
  },
  {
    operation: 'POST /api/auth/oauth/:provider/link',
    name: 'no token',
    expectStatus: 401,
    run: (c) => c.call('POST', '/api/auth/oauth/fake/link'),
  },
  {
    operation: 'GET /api/auth/oauth/:provider/callback',
    name: 'a forged state',
    expectStatus: 400,
    run: (c) => c.call('GET', '/api/auth/oauth/fake/callback?state=forged-state-0123456789&code=x'),
  },
  {
    operation: 'GET /api/users/me',
    name: 'a signed-in user',
    expectStatus: 200,
    run: async (c) => c.call('GET', '/api/users/me', { token: (await loggedIn(c)).accessToken }),
  },
  {
    operation: 'GET /api/users/me',
    name: 'no token',
    expectStatus: 401,
    run: (c) => c.call('GET', '/api/users/me'),
  },
  {
    operation: 'GET /api/auth/providers',
    name: 'the enabled login providers, without a token',
    expectStatus: 200,
    run: (c) => c.call('GET', '/api/auth/providers'),
  },
  {
    operation: 'GET /api/users/me/identities',
    name: "a signed-in user's identities",
    expectStatus: 200,
    run: async (c) => c.call('GET', '/api/users/me/identities', { token: (await loggedIn(c)).accessToken }),
  },
  {
    operation: 'DELETE /api/users/me/identities/:provider',
    name: 'a provider that is not linked',
    expectStatus: 404,
    run: async (c) =>
      c.call('DELETE', '/api/users/me/identities/kakao', { token: (await loggedIn(c)).accessToken }),
  },

  {
    operation: 'POST /api/orders',
    name: 'an order waited for',
    expectStatus: 201,
    run: (c) =>
      c.call('POST', '/api/orders', {
        token: c.user.token,
        headers: { 'idempotency-key': key(), prefer: 'wait=5' },
        body: {
          items: [{ productId: c.productId, quantity: 1 }],
          shippingAddress: address,
          paymentMethod: 'card',
        },
      }),
  },
  {
    operation: 'POST /api/orders',
    name: 'an order not waited for',
    expectStatus: 202,
    run: (c) =>
      c.call('POST', '/api/orders', {
        token: c.user.token,
        headers: { 'idempotency-key': key() },
        body: {
          items: [{ productId: c.productId, quantity: 1 }],
          shippingAddress: address,
          paymentMethod: 'card',
        },
      }),
  },
  {
    operation: 'POST /api/orders',
    name: 'no Idempotency-Key',
    expectStatus: 400,
    run: (c) =>
      c.call('POST', '/api/orders', {
        token: c.user.token,
        body: {
          items: [{ productId: c.productId, quantity: 1 }],
          shippingAddress: address,
          paymentMethod: 'card',
        },
      }),
  },
  {
    operation: 'GET /api/orders',
    name: 'my orders',
    expectStatus: 200,
    run: async (c) => {
      await placedOrder(c);
      return c.call('GET', '/api/orders?limit=5', { token: c.user.token });
    },
  },
  {
    operation: 'GET /api/orders/:id',
    name: 'my order',
    expectStatus: 200,
    run: async (c) => c.call('GET', `/api/orders/${await placedOrder(c)}`, { token: c.user.token }),
  },
  {
    operation: 'GET /api/orders/:id',
    name: 'another user’s order',
    expectStatus: 404,
    run: async (c) => c.call('GET', `/api/orders/${await placedOrder(c)}`, { token: c.admin.token }),
  },
  {
    operation: 'GET /api/orders/:id/events',
    name: 'a settled order',
    expectStatus: 200,
    run: async (c) => {
      const orderId = await placedOrder(c);
      const response = await fetch(`${c.stack.url}/api/orders/${orderId}/events`, {
        headers: { authorization: `Bearer ${c.user.token}` },
        signal: AbortSignal.timeout(15_000),
      });
      return { status: response.status, headers: response.headers, body: await response.text() };
    },
  },
  {
    operation: 'POST /api/orders/:id/cancel',
    name: 'a confirmed order',
    expectStatus: 202,
    run: async (c) => c.call('POST', `/api/orders/${await placedOrder(c)}/cancel`, { token: c.user.token }),
  },

  {
    operation: 'GET /api/products',
    name: 'the first page of a browse',
    expectStatus: 200,
    run: (c) => c.call('GET', '/api/products?limit=100'),
  },
  {
    operation: 'GET /api/products',
    name: 'a filtered search',
    expectStatus: 200,
    run: (c) => c.call('GET', '/api/products?q=galaxy&sort=price_asc&inStock=true&limit=5'),
  },
  {
    operation: 'GET /api/products',
    name: 'the next page (facets null)',
    expectStatus: 200,
    run: async (c) => {
      const first = await c.call('GET', '/api/products?sort=price_desc&limit=2');
      if (!first.body.nextCursor) throw new Error('the seeded catalogue has one page only');
      const next = await c.call(
        'GET',
        `/api/products?sort=price_desc&limit=2&cursor=${first.body.nextCursor}`,
      );
      if (next.status === 200 && next.body.facets !== null) throw new Error('a later page carries facets');
      return next;
    },
  },
  {
    operation: 'GET /api/products',
    name: 'limit=0',
    expectStatus: 400,
    run: (c) => c.call('GET', '/api/products?limit=0'),
  },
  {
    operation: 'GET /api/products',
    name: 'a garbled cursor',
    expectStatus: 400,
    run: (c) => c.call('GET', '/api/products?cursor=bm90LWEtY3Vyc29y'),
  },
  {
    operation: 'GET /api/products/:id',
    name: 'a seeded product',
    expectStatus: 200,
    run: (c) => c.call('GET', `/api/products/${c.productId}`),
  },
  {
    operation: 'GET /api/products/:id',
    name: 'If-None-Match names its ETag',
    expectStatus: 304,
    run: async (c) => {
      const etag = (await c.call('GET', `/api/products/${c.productId}`)).headers.get('etag')!;
      return c.call('GET', `/api/products/${c.productId}`, { headers: { 'if-none-match': etag } });
    },
  },
  {
    operation: 'GET /api/products/:id',
    name: 'an unknown product',
    expectStatus: 404,
    run: (c) => c.call('GET', '/api/products/999999999'),
  },
  {
    operation: 'GET /api/products/:id',
    name: 'an id that is not a number',
    expectStatus: 400,
    run: (c) => c.call('GET', '/api/products/abc'),
  },
  {
    operation: 'GET /api/categories',
    name: 'the seeded tree',
    expectStatus: 200,
    run: (c) => c.call('GET', '/api/categories'),
  },

  {
    operation: 'POST /api/admin/products',
    name: 'an admin creates a product',
    expectStatus: 201,
    run: async (c) =>
      c.call('POST', '/api/admin/products', {
        token: c.admin.token,
        body: {
          sku: key(),
          name: 'Contract cable',
          brand: 'Contractbrand',
          price: 5000,
          categoryId: await someCategoryId(c),
        },
      }),
  },
  {
    operation: 'POST /api/admin/products',
    name: 'a user token (gateway)',
    expectStatus: 403,
    run: async (c) =>
      c.call('POST', '/api/admin/products', {
        token: c.user.token,
        body: { sku: key(), name: 'Nope', brand: 'Nope', price: 5000, categoryId: await someCategoryId(c) },
      }),
  },
  {
    operation: 'POST /api/admin/products',
    name: 'no token (gateway)',
    expectStatus: 401,
    run: (c) => c.call('POST', '/api/admin/products', { body: {} }),
  },
  {
    operation: 'POST /api/admin/products',
    name: 'a price of 0',
    expectStatus: 400,
    run: async (c) =>
      c.call('POST', '/api/admin/products', {
        token: c.admin.token,
        body: {
          sku: key(),
          name: 'Free',
          brand: 'Contractbrand',
          price: 0,
          categoryId: await someCategoryId(c),
        },
      }),
  },
  {
    operation: 'POST /api/admin/products',
    name: 'a sku already taken',
    expectStatus: 409,
    run: async (c) => {
      const sku = key();
      const body = {
        sku,
        name: 'Twin',
        brand: 'Contractbrand',
        price: 5000,
        categoryId: await someCategoryId(c),
      };
      await c.call('POST', '/api/admin/products', { token: c.admin.token, body });
      return c.call('POST', '/api/admin/products', { token: c.admin.token, body });
    },
  },
  {
    operation: 'POST /api/admin/products',
    name: 'an unknown category',
    expectStatus: 422,
    run: (c) =>
      c.call('POST', '/api/admin/products', {
        token: c.admin.token,
        body: { sku: key(), name: 'Lost', brand: 'Contractbrand', price: 5000, categoryId: 2_000_000_000 },
      }),
  },
  {
    operation: 'GET /api/admin/products/:id',
    name: 'an active product',
    expectStatus: 200,
    run: async (c) =>
      c.call('GET', `/api/admin/products/${(await createdProduct(c)).id}`, { token: c.admin.token }),
  },
  {
    operation: 'GET /api/admin/products/:id',
    name: 'a deleted product',
    expectStatus: 200,
    run: async (c) =>
      c.call('GET', `/api/admin/products/${await deletedProduct(c)}`, { token: c.admin.token }),
  },
  {
    operation: 'GET /api/admin/products/:id',
    name: 'an unknown product',
    expectStatus: 404,
    run: (c) => c.call('GET', '/api/admin/products/999999999', { token: c.admin.token }),
  },
  {
    operation: 'PATCH /api/admin/products/:id',
    name: 'If-Match with the current ETag',
    expectStatus: 200,
    run: async (c) => {
      const { id, etag } = await createdProduct(c);
      return c.call('PATCH', `/api/admin/products/${id}`, {
        token: c.admin.token,
        headers: { 'if-match': etag },
        body: { price: 89000, specs: { color: 'Silver' } },
      });
    },
  },
  {
    operation: 'PATCH /api/admin/products/:id',
    name: 'the version in the body',
    expectStatus: 200,
    run: async (c) => {
      const { id } = await createdProduct(c);
      return c.call('PATCH', `/api/admin/products/${id}`, {
        token: c.admin.token,
        body: { name: 'Contract phone 2', version: 1 },
      });
    },
  },
  {
    operation: 'PATCH /api/admin/products/:id',
    name: 'a stale If-Match',
    expectStatus: 412,
    run: async (c) => {
      const { id, etag } = await createdProduct(c);
      const edit = { token: c.admin.token, headers: { 'if-match': etag }, body: { price: 88000 } };
      await c.call('PATCH', `/api/admin/products/${id}`, edit);
      return c.call('PATCH', `/api/admin/products/${id}`, edit);
    },
  },
  {
    operation: 'PATCH /api/admin/products/:id',
    name: 'neither If-Match nor version',
    expectStatus: 428,
    run: async (c) =>
      c.call('PATCH', `/api/admin/products/${(await createdProduct(c)).id}`, {
        token: c.admin.token,
        body: { price: 87000 },
      }),
  },
  {
    operation: 'PATCH /api/admin/products/:id',
    name: 'a deleted product',
    expectStatus: 409,
    run: async (c) =>
      c.call('PATCH', `/api/admin/products/${await deletedProduct(c)}`, {
        token: c.admin.token,
        body: { price: 86000, version: 2 },
      }),
  },
  {
    operation: 'PATCH /api/admin/products/:id',
    name: 'stock in the body',
    expectStatus: 400,
    run: async (c) =>
      c.call('PATCH', `/api/admin/products/${(await createdProduct(c)).id}`, {
        token: c.admin.token,
        body: { stock: 100, version: 1 },
      }),
  },
  {
    operation: 'DELETE /api/admin/products/:id',
    name: 'a product',
    expectStatus: 204,
    run: async (c) =>
      c.call('DELETE', `/api/admin/products/${(await createdProduct(c)).id}`, { token: c.admin.token }),
  },
  {
    operation: 'DELETE /api/admin/products/:id',
    name: 'an unknown product',
    expectStatus: 404,
    run: (c) => c.call('DELETE', '/api/admin/products/999999999', { token: c.admin.token }),
  },
  {
    operation: 'POST /api/admin/products/:id/restore',
    name: 'a deleted product',
    expectStatus: 200,
    run: async (c) =>
      c.call('POST', `/api/admin/products/${await deletedProduct(c)}/restore`, { token: c.admin.token }),
  },
  {
    operation: 'POST /api/admin/products/:id/stock-adjustments',
    name: 'a restock',
    expectStatus: 201,
    run: async (c) =>
      c.call('POST', `/api/admin/products/${(await createdProduct(c)).id}/stock-adjustments`, {
        token: c.admin.token,
        body: { delta: 10, reason: 'Contract restock' },
      }),
  },
  {
    operation: 'POST /api/admin/products/:id/stock-adjustments',
    name: 'stock would go below zero',
    expectStatus: 409,
    run: async (c) =>
      c.call('POST', `/api/admin/products/${(await createdProduct(c)).id}/stock-adjustments`, {
        token: c.admin.token,
        body: { delta: -4, reason: 'Contract shrinkage' },
      }),
  },
  {
    operation: 'GET /api/admin/products/:id/stock-adjustments',
    name: 'the ledger after a restock',
    expectStatus: 200,
    run: async (c) => {
      const { id } = await createdProduct(c);
      await c.call('POST', `/api/admin/products/${id}/stock-adjustments`, {
        token: c.admin.token,
        body: { delta: 2, reason: 'Contract restock' },
      });
      return c.call('GET', `/api/admin/products/${id}/stock-adjustments?limit=1`, { token: c.admin.token });
    },
  },
  {
    operation: 'GET /api/admin/products/:id/stock-adjustments',
    name: 'no such product',
    expectStatus: 404,
    run: (c) => c.call('GET', '/api/admin/products/999999999/stock-adjustments', { token: c.admin.token }),
  },
  {
    operation: 'GET /api/admin/products',
    name: 'search, filter, sort and page',
    expectStatus: 200,
    run: (c) =>
      c.call('GET', '/api/admin/products?q=a&status=all&stock=in&sort=-price&page=1&pageSize=5', {
        token: c.admin.token,
      }),
  },
  {
    operation: 'GET /api/admin/products',
    name: 'a page size over the cap',
    expectStatus: 400,
    run: (c) => c.call('GET', '/api/admin/products?pageSize=101', { token: c.admin.token }),
  },
  {
    operation: 'GET /api/admin/brands',
    name: 'the brand filter',
    expectStatus: 200,
    run: (c) => c.call('GET', '/api/admin/brands', { token: c.admin.token }),
  },
  {
    operation: 'POST /api/admin/products/:id/images',
    name: 'a new primary image',
    expectStatus: 201,
    run: async (c) =>
      c.call('POST', `/api/admin/products/${(await createdProduct(c)).id}/images`, {
        token: c.admin.token,
        body: { url: 'https://img.example.com/contract-3.jpg', isPrimary: true },
      }),
  },
  {
    operation: 'POST /api/admin/products/:id/images',
    name: 'a deleted product',
    expectStatus: 409,
    run: async (c) =>
      c.call('POST', `/api/admin/products/${await deletedProduct(c)}/images`, {
        token: c.admin.token,
        body: { url: 'https://img.example.com/contract-4.jpg' },
      }),
  },
  {
    operation: 'PUT /api/admin/products/:id/images/order',
    name: 'the images reversed',
    expectStatus: 200,
    run: async (c) => {
      const { id, imageIds } = await createdProduct(c);
      return c.call('PUT', `/api/admin/products/${id}/images/order`, {
        token: c.admin.token,
        body: { imageIds: [...imageIds].reverse() },
      });
    },
  },
  {
    operation: 'PUT /api/admin/products/:id/images/order',
    name: 'an image left out',
    expectStatus: 422,
    run: async (c) => {
      const { id, imageIds } = await createdProduct(c);
      return c.call('PUT', `/api/admin/products/${id}/images/order`, {
        token: c.admin.token,
        body: { imageIds: imageIds.slice(1) },
      });
    },
  },
  {
    operation: 'POST /api/admin/products/:id/images/:imageId/primary',
    name: 'the second image',
    expectStatus: 200,
    run: async (c) => {
      const { id, imageIds } = await createdProduct(c);
      return c.call('POST', `/api/admin/products/${id}/images/${imageIds[1]}/primary`, {
        token: c.admin.token,
      });
    },
  },
  {
    operation: 'POST /api/admin/products/:id/images/:imageId/primary',
    name: 'another product’s image',
    expectStatus: 404,
    run: async (c) => {
      const other = await createdProduct(c);
      const { id } = await createdProduct(c);
      return c.call('POST', `/api/admin/products/${id}/images/${other.imageIds[0]}/primary`, {
        token: c.admin.token,
      });
    },
  },
  {
    operation: 'DELETE /api/admin/products/:id/images/:imageId',
    name: 'the primary image',
    expectStatus: 200,
    run: async (c) => {
      const { id, imageIds } = await createdProduct(c);
      return c.call('DELETE', `/api/admin/products/${id}/images/${imageIds[0]}`, { token: c.admin.token });
    },
  },

  {
    operation: 'GET /api/cart',
    name: 'a guest without X-Cart-Id',
    expectStatus: 200,
    run: async (c) => sameCartIdInHeader(await c.call('GET', '/api/cart')),
  },
  {
    operation: 'GET /api/cart',
    name: 'a guest with a cart',
    expectStatus: 200,
    run: async (c) =>
      sameCartIdInHeader(await c.call('GET', '/api/cart', { headers: { 'x-cart-id': await guestCart(c) } })),
  },
  {
    operation: 'GET /api/cart',
    name: 'a guest cart holding a deleted product',
    expectStatus: 200,
    run: async (c) => {
      const { id } = await createdProduct(c);
      const cartId = await guestCart(c, id);
      await c.call('DELETE', `/api/admin/products/${id}`, { token: c.admin.token });
      const cart = await c.call('GET', '/api/cart', { headers: { 'x-cart-id': cartId } });
      if (cart.body.lines?.[0]?.availability !== 'removed')
        throw new Error('the line is not shown as removed');
      return sameCartIdInHeader(cart);
    },
  },
  {
    operation: 'GET /api/cart',
    name: 'a signed-in user',
    expectStatus: 200,
    run: async (c) => {
      const { accessToken } = await loggedIn(c);
      await c.call('POST', '/api/cart/items', { token: accessToken, body: { productId: c.productId } });
      return c.call('GET', '/api/cart', { token: accessToken });
    },
  },
  {
    operation: 'GET /api/cart',
    name: 'a malformed X-Cart-Id',
    expectStatus: 400,
    run: (c) => c.call('GET', '/api/cart', { headers: { 'x-cart-id': 'not-a-cart-id' } }),
  },
  {
    operation: 'GET /api/cart',
    name: 'an invalid token (gateway)',
    expectStatus: 401,
    run: (c) => c.call('GET', '/api/cart', { token: 'not-a-jwt' }),
  },
  {
    operation: 'DELETE /api/cart',
    name: 'a guest empties the cart',
    expectStatus: 200,
    run: async (c) =>
      sameCartIdInHeader(
        await c.call('DELETE', '/api/cart', { headers: { 'x-cart-id': await guestCart(c) } }),
      ),
  },
  {
    operation: 'POST /api/cart/items',
    name: 'a guest’s first add (a new X-Cart-Id)',
    expectStatus: 200,
    run: async (c) =>
      sameCartIdInHeader(
        await c.call('POST', '/api/cart/items', { body: { productId: c.productId, quantity: 1 } }),
      ),
  },
  {
    operation: 'POST /api/cart/items',
    name: 'a signed-in user',
    expectStatus: 200,
    run: async (c) =>
      c.call('POST', '/api/cart/items', {
        token: (await loggedIn(c)).accessToken,
        body: { productId: c.productId, quantity: 3 },
      }),
  },
  {
    operation: 'POST /api/cart/items',
    name: 'an unknown product',
    expectStatus: 404,
    run: (c) => c.call('POST', '/api/cart/items', { body: { productId: 999999999 } }),
  },
  {
    operation: 'POST /api/cart/items',
    name: 'a quantity of 100',
    expectStatus: 400,
    run: (c) => c.call('POST', '/api/cart/items', { body: { productId: c.productId, quantity: 100 } }),
  },
  {
    operation: 'PATCH /api/cart/items/:productId',
    name: 'a guest’s line',
    expectStatus: 200,
    run: async (c) =>
      sameCartIdInHeader(
        await c.call('PATCH', `/api/cart/items/${c.productId}`, {
          headers: { 'x-cart-id': await guestCart(c) },
          body: { quantity: 5 },
        }),
      ),
  },
  {
    operation: 'PATCH /api/cart/items/:productId',
    name: 'a product not in the cart',
    expectStatus: 404,
    run: async (c) =>
      c.call('PATCH', '/api/cart/items/999999999', {
        headers: { 'x-cart-id': await guestCart(c) },
        body: { quantity: 5 },
      }),
  },
  {
    operation: 'DELETE /api/cart/items/:productId',
    name: 'a guest’s line',
    expectStatus: 200,
    run: async (c) =>
      sameCartIdInHeader(
        await c.call('DELETE', `/api/cart/items/${c.productId}`, {
          headers: { 'x-cart-id': await guestCart(c) },
        }),
      ),
  },
  {
    operation: 'POST /api/cart/merge',
    name: 'a guest cart at login',
    expectStatus: 200,
    run: async (c) => {
      const cartId = await guestCart(c);
      return c.call('POST', '/api/cart/merge', {
        token: (await loggedIn(c)).accessToken,
        headers: { 'x-cart-id': cartId },
      });
    },
  },
  {
    operation: 'POST /api/cart/merge',
    name: 'no token',
    expectStatus: 401,
    run: async (c) => c.call('POST', '/api/cart/merge', { headers: { 'x-cart-id': await guestCart(c) } }),
  },
  {
    operation: 'POST /api/cart/merge',
    name: 'no X-Cart-Id',
    expectStatus: 400,
    run: (c) => c.call('POST', '/api/cart/merge', { token: c.user.token }),
  },

  {
    operation: 'GET /api/admin/users',
    name: 'the newest users',
    expectStatus: 200,
    run: (c) => c.call('GET', '/api/admin/users?limit=5', { token: c.admin.token }),
  },
  {
    operation: 'GET /api/admin/users',
    name: 'a search by email prefix with filters',
    expectStatus: 200,
    run: (c) =>
      c.call(
        'GET',
        `/api/admin/users?q=${encodeURIComponent(c.user.email)}&role=user&status=active&from=2020-01-01`,
        {
          token: c.admin.token,
        },
      ),
  },
  {
    operation: 'GET /api/admin/users',
    name: 'the next page',
    expectStatus: 200,
    run: async (c) => {
      const first = await c.call('GET', '/api/admin/users?limit=1', { token: c.admin.token });
      if (!first.body.nextCursor) throw new Error('only one user');
      return c.call('GET', `/api/admin/users?limit=1&cursor=${first.body.nextCursor}`, {
        token: c.admin.token,
      });
    },
  },
  {
    operation: 'GET /api/admin/users',
    name: 'a garbled cursor',
    expectStatus: 400,
    run: (c) => c.call('GET', '/api/admin/users?cursor=bm90LWEtY3Vyc29y', { token: c.admin.token }),
  },
  {
    operation: 'GET /api/admin/users',
    name: 'a user token (gateway)',
    expectStatus: 403,
    run: (c) => c.call('GET', '/api/admin/users', { token: c.user.token }),
  },
  {
    operation: 'GET /api/admin/users',
    name: 'no token (gateway)',
    expectStatus: 401,
    run: (c) => c.call('GET', '/api/admin/users'),
  },
  {
    operation: 'GET /api/admin/users/:id',
    name: 'a user with orders',
    expectStatus: 200,
    run: async (c) => {
      await placedOrder(c);
      return c.call('GET', `/api/admin/users/${c.user.userId}`, { token: c.admin.token });
    },
  },
  {
    operation: 'GET /api/admin/users/:id',
    name: 'a user without orders',
    expectStatus: 200,
    run: async (c) => c.call('GET', `/api/admin/users/${await freshUserId(c)}`, { token: c.admin.token }),
  },
  {
    operation: 'GET /api/admin/users/:id',
    name: 'an unknown user',
    expectStatus: 404,
    run: (c) => c.call('GET', '/api/admin/users/999999999', { token: c.admin.token }),
  },
  {
    operation: 'PATCH /api/admin/users/:id',
    name: 'a fresh user made admin',
    expectStatus: 200,
    run: async (c) =>
      c.call('PATCH', `/api/admin/users/${await freshUserId(c)}`, {
        token: c.admin.token,
        body: { role: 'admin' },
      }),
  },
  {
    operation: 'PATCH /api/admin/users/:id',
    name: 'an admin demotes themself',
    expectStatus: 409,
    run: (c) =>
      c.call('PATCH', `/api/admin/users/${c.admin.userId}`, { token: c.admin.token, body: { role: 'user' } }),
  },
  {
    operation: 'PATCH /api/admin/users/:id',
    name: 'a field other than role',
    expectStatus: 400,
    run: async (c) =>
      c.call('PATCH', `/api/admin/users/${await freshUserId(c)}`, {
        token: c.admin.token,
        body: { status: 'suspended' },
      }),
  },
  {
    operation: 'PATCH /api/admin/users/:id',
    name: 'an unknown user',
    expectStatus: 404,
    run: (c) =>
      c.call('PATCH', '/api/admin/users/999999999', { token: c.admin.token, body: { role: 'admin' } }),
  },
  {
    operation: 'POST /api/admin/users/:id/suspend',
    name: 'a fresh user with a login',
    expectStatus: 200,
    run: async (c) =>
      c.call('POST', `/api/admin/users/${await freshUserId(c)}/suspend`, { token: c.admin.token }),
  },
  {
    operation: 'POST /api/admin/users/:id/suspend',
    name: 'an admin suspends themself',
    expectStatus: 409,
    run: (c) => c.call('POST', `/api/admin/users/${c.admin.userId}/suspend`, { token: c.admin.token }),
  },
  {
    operation: 'POST /api/admin/users/:id/reactivate',
    name: 'a suspended user',
    expectStatus: 200,
    run: async (c) =>
      c.call('POST', `/api/admin/users/${await suspendedUserId(c)}/reactivate`, { token: c.admin.token }),
  },
  {
    operation: 'POST /api/admin/users/:id/reactivate',
    name: 'an unknown user',
    expectStatus: 404,
    run: (c) => c.call('POST', '/api/admin/users/999999999/reactivate', { token: c.admin.token }),
  },
  {
    operation: 'GET /api/admin/orders',
    name: 'a user’s orders',
    expectStatus: 200,
    run: async (c) => {
      await placedOrder(c);
      return c.call('GET', `/api/admin/orders?userId=${c.user.userId}&limit=5`, { token: c.admin.token });
    },
  },
  {
    operation: 'GET /api/admin/orders',
    name: 'confirmed orders created since an instant',
    expectStatus: 200,
    run: (c) =>
      c.call('GET', '/api/admin/orders?status=CONFIRMED&from=2020-01-01T00:00:00Z', { token: c.admin.token }),
  },
  {
    operation: 'GET /api/admin/orders',
    name: '"to" before "from"',
    expectStatus: 400,
    run: (c) => c.call('GET', '/api/admin/orders?from=2026-03-10&to=2026-03-01', { token: c.admin.token }),
  },
  {
    operation: 'GET /api/admin/orders/:id',
    name: 'a placed order',
    expectStatus: 200,
    run: async (c) => {
      const response = await c.call('GET', `/api/admin/orders/${await placedOrder(c)}`, {
        token: c.admin.token,
      });
      if (response.status === 200 && !response.body.jobs?.length) throw new Error('no jobs shown');
      return response;
    },
  },
  {
    operation: 'GET /api/admin/orders/:id',
    name: 'a cancelled order (refund and stock release)',
    expectStatus: 200,
    run: async (c) => {
      const orderId = await placedOrder(c);
      await c.call('POST', `/api/orders/${orderId}/cancel`, { token: c.user.token });
      return c.call('GET', `/api/admin/orders/${orderId}`, { token: c.admin.token });
    },
  },
  {
    operation: 'POST /api/admin/orders/:id/cancel',
    name: 'a customer’s confirmed order',
    expectStatus: 202,
    run: async (c) =>
      c.call('POST', `/api/admin/orders/${await placedOrder(c)}/cancel`, { token: c.admin.token }),
  },
  {
    operation: 'POST /api/admin/orders/:id/cancel',
    name: 'an order already cancelled',
    expectStatus: 409,
    run: async (c) => {
      const orderId = await placedOrder(c);
      await c.call('POST', `/api/orders/${orderId}/cancel`, { token: c.user.token });
      for (let tries = 0; tries < 100; tries += 1) {
        const read = await c.call('GET', `/api/orders/${orderId}`, { token: c.user.token });
        if (read.body.order?.status === 'CANCELLED') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return c.call('POST', `/api/admin/orders/${orderId}/cancel`, { token: c.admin.token });
    },
  },
  {
    operation: 'GET /api/admin/orders/:id/events',
    name: 'a settled order, any user’s',
    expectStatus: 200,
    run: async (c) => {
      const orderId = await placedOrder(c);
      const response = await fetch(`${c.stack.url}/api/admin/orders/${orderId}/events`, {
        headers: { authorization: `Bearer ${c.admin.token}` },
        signal: AbortSignal.timeout(15_000),
      });
      return { status: response.status, headers: response.headers, body: await response.text() };
    },
  },
  {
    operation: 'GET /api/admin/orders/:id/events',
    name: 'an unknown order',
    expectStatus: 404,
    run: (c) => c.call('GET', '/api/admin/orders/999999999/events', { token: c.admin.token }),
  },
  {
    operation: 'GET /api/admin/orders',
    name: 'search by e-mail prefix',
    expectStatus: 200,
    run: (c) => c.call('GET', `/api/admin/orders?q=${c.user.email.slice(0, 6)}`, { token: c.admin.token }),
  },
  {
    operation: 'GET /api/admin/orders/:id',
    name: 'an unknown order',
    expectStatus: 404,
    run: (c) => c.call('GET', '/api/admin/orders/999999999', { token: c.admin.token }),
  },
  {
    operation: 'GET /api/admin/stats/sales',
    name: 'the last 30 days by day',
    expectStatus: 200,
    run: async (c) => {
      await placedOrder(c);
      return c.call('GET', '/api/admin/stats/sales', { token: c.admin.token });
    },
  },
  {
    operation: 'GET /api/admin/stats/sales',
    name: 'a range by ISO week',
    expectStatus: 200,
    run: (c) =>
      c.call('GET', '/api/admin/stats/sales?from=2026-03-01&to=2026-03-31&granularity=week', {
        token: c.admin.token,
      }),
  },
  {
    operation: 'GET /api/admin/stats/sales',
    name: 'a range longer than 366 days',
    expectStatus: 400,
    run: (c) =>
      c.call('GET', '/api/admin/stats/sales?from=2024-01-01&to=2026-01-01', { token: c.admin.token }),
  },
  {
    operation: 'GET /api/admin/stats/top-products',
    name: 'the last 30 days',
    expectStatus: 200,
    run: async (c) => {
      await placedOrder(c);
      const response = await c.call('GET', '/api/admin/stats/top-products?limit=5', { token: c.admin.token });
      if (response.status === 200 && response.body.items.length === 0) throw new Error('no best sellers');
      return response;
    },
  },
  {
    operation: 'GET /api/admin/stats/top-products',
    name: 'limit=0',
    expectStatus: 400,
    run: (c) => c.call('GET', '/api/admin/stats/top-products?limit=0', { token: c.admin.token }),
  },
  {
    operation: 'GET /api/admin/stats/overview',
    name: 'today',
    expectStatus: 200,
    run: (c) => c.call('GET', '/api/admin/stats/overview', { token: c.admin.token }),
  },
  {
    operation: 'POST /api/admin/stats/rebuild',
    name: 'a month',
    expectStatus: 202,
    run: (c) =>
      c.call('POST', '/api/admin/stats/rebuild?from=2026-03-01&to=2026-03-31', { token: c.admin.token }),
  },
  {
    operation: 'POST /api/admin/stats/rebuild',
    name: 'no range',
    expectStatus: 400,
    run: (c) => c.call('POST', '/api/admin/stats/rebuild', { token: c.admin.token }),
  },
  {
    operation: 'POST /api/admin/dashboard-session',
    name: 'an admin opens the dashboard',
    expectStatus: 201,
    run: async (c) => {
      const response = await c.call('POST', '/api/admin/dashboard-session', { token: c.admin.token });
      if (response.status === 201 && !/^vm_admin=/.test(response.headers.get('set-cookie') ?? ''))
        throw new Error('no vm_admin cookie');
      return response;
    },
  },
  {
    operation: 'POST /api/admin/dashboard-session',
    name: 'a user token (gateway)',
    expectStatus: 403,
    run: (c) => c.call('POST', '/api/admin/dashboard-session', { token: c.user.token }),
  },
  {
    operation: 'DELETE /api/admin/dashboard-session',
    name: 'an admin closes the dashboard',
    expectStatus: 204,
    run: (c) => c.call('DELETE', '/api/admin/dashboard-session', { token: c.admin.token }),
  },
];
