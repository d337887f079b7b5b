import { startTestBff, type TestBff } from '../support/bff';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { insertProducts } from '../support/products';
import { call } from '../support/stack';

/** With Redis unreachable, request paths that need it answer 503 with Retry-After, never 500 or a hang. */
describe('when Redis is down', () => {
  let database: TestDatabase;
  let bff: TestBff;
  let headers: Record<string, string>;
  let productId: number;

  beforeAll(async () => {
    database = await createTestDatabase('redis_outage');
    const [userId] = await database
      .db('users')
      .insert({ email: 'outage@example.com', phone: '+821055556666' });
    [productId] = (await insertProducts(database.db, [{ price: 1_000, stock: 5 }])) as [number];
    bff = await startTestBff({
      DATABASE_URL: database.url,
      REDIS_PREFIX: 'outage',
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    headers = {
      'x-gateway-secret': bff.config.GATEWAY_SECRET,
      'x-user-id': String(userId),
      'x-user-role': 'user',
    };
  });
  afterAll(async () => {
    await bff?.close();
    await database?.drop();
  });

  it.each([
    ['POST', '/api/auth/sms/send', {}],
    ['POST', '/api/auth/sms/verify', { code: '123456' }],
    ['GET', '/api/cart', undefined],
  ])('when %s %s is called, then 503 with Retry-After', async (method, path, body) => {
    const response = await call(bff.url, method, path, { headers, body });
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('when an order is placed, then it is accepted and kept PENDING for the sweeper', async () => {
    const response = await call(bff.url, 'POST', '/api/orders', {
      headers: { ...headers, 'idempotency-key': 'redis-outage-order-1' },
      body: {
        items: [{ productId, quantity: 1 }],
        shippingAddress: {
          recipient: 'Kim',
          phone: '010-1111-2222',
          postalCode: '06236',
          address1: 'Teheran-ro 1',
        },
        paymentMethod: 'card',
      },
    });
    expect(response.status).toBe(202);
    const order = await database.db('orders').where({ id: response.body.orderId }).first('status');
    expect(order.status).toBe('PENDING');
  });
});
