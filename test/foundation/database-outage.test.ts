import { startTestBff, type TestBff } from '../support/bff';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { insertProducts } from '../support/products';
import { deleteRedisPrefix, testRedisPrefix } from '../support/redis';
import { call } from '../support/stack';
import { quietConnectionLoss } from '../support/quiet-connection-loss';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

/**
 * With the database unreachable, every route that needs it answers 503 SERVICE_UNAVAILABLE with
 * Retry-After (a dependency is down: the client may retry), never 500 (a bug) or a hang; once the
 * database is back, the same calls succeed again.
 */
describe('when the database is down', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let bff: TestBff;
  let user: Record<string, string>;
  let admin: Record<string, string>;
  let guest: Record<string, string>;
  let productId: number;
  let orderId: number;
  const prefix = testRedisPrefix('db_outage');

  const address = { recipient: 'Kim', phone: '010-1111-2222', postalCode: '06236', address1: 'Teheran-ro 1' };

  beforeAll(async () => {
    database = await createTestDatabase('db_outage');
    const [userId] = await database.db('users').insert({ email: 'outage@example.com' });
    const [adminId] = await database.db('users').insert({ email: 'admin@example.com', role: 'admin' });
    [productId] = (await insertProducts(database.db, [{ price: 1_000, stock: 5 }])) as [number];
    proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(database.url).port || 3306) });
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    bff = await startTestBff({ DATABASE_URL: viaProxy.toString(), REDIS_PREFIX: prefix });
    const identity = (id: number, role: string) => ({
      'x-gateway-secret': bff.config.GATEWAY_SECRET,
      'x-user-id': String(id),
      'x-user-role': role,
    });
    guest = { 'x-gateway-secret': bff.config.GATEWAY_SECRET };
    user = identity(userId!, 'user');
    admin = identity(adminId!, 'admin');
    const placed = await call(bff.url, 'POST', '/api/orders', {
      headers: { ...user, 'idempotency-key': 'db-outage-order-1' },
      body: { items: [{ productId, quantity: 1 }], shippingAddress: address, paymentMethod: 'card' },
    });
    expect(placed.status).toBe(202);
    orderId = placed.body.orderId;
  });
  afterAll(async () => {
    await bff?.close();
    await proxy?.close();
    await database?.drop();
    await deleteRedisPrefix(process.env.REDIS_URL!, prefix);
  });

  const routes = (): [string, string, Record<string, string>, unknown][] => [
    ['GET', `/api/products/${productId}`, guest, undefined],
    ['GET', '/api/products?q=phone', guest, undefined],
    ['GET', '/api/categories', guest, undefined],
    ['POST', '/api/auth/login', guest, { email: 'outage@example.com', password: 'Passw0rd!' }],
    ['GET', '/api/users/me', user, undefined],
    ['GET', '/api/cart', user, undefined],
    ['GET', '/api/orders', user, undefined],
    ['GET', `/api/orders/${orderId}`, user, undefined],
    [
      'POST',
      '/api/orders',
      { ...user, 'idempotency-key': 'db-outage-order-2' },
      { items: [{ productId, quantity: 1 }], shippingAddress: address, paymentMethod: 'card' },
    ],
    ['POST', `/api/orders/${orderId}/cancel`, user, undefined],
    ['GET', '/api/admin/orders', admin, undefined],
    ['GET', '/api/admin/users', admin, undefined],
  ];

  it('when any route that needs it is called, then 503 with Retry-After; after the database is back, it works', async () => {
    const restoreConsole = quietConnectionLoss();
    await proxy.cut();
    try {
      for (const [method, path, headers, body] of routes()) {
        const response = await call(bff.url, method, path, { headers, body });
        expect([method, path, response.status, response.body.error?.code]).toEqual([
          method,
          path,
          503,
          'SERVICE_UNAVAILABLE',
        ]);
        expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      }
    } finally {
      await proxy.restore();
      restoreConsole();
    }
    const read = await call(bff.url, 'GET', `/api/orders/${orderId}`, { headers: user });
    expect(read.status).toBe(200);
  });
});
