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
    operation: 'POST /api/auth/sms/send',
    name: 'a user with a phone',
    expectStatus: 202,
    run: async (c) =>
      c.call('POST', '/api/auth/sms/send', { token: (await loggedIn(c)).accessToken, body: {} }),
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
    expectStatus: 400,
    run: (c) => c.call('GET', '/api/auth/oauth/nope/start'),
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
];
