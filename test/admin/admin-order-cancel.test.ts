/**
 * POST /api/admin/orders/:id/cancel through nginx with real workers and the fake payment gateway: an admin
 * cancels a customer's order exactly as the customer's own cancel does (refund, stock back), audited with the
 * admin's id; customers, unknown orders, bad ids and final orders are refused.
 */
import type { StartedFake } from '../../fakes/fake-server';
import { startPaymentGateway } from '../../fakes/payment-gateway';
import { insertProducts } from '../support/products';
import { call, createUserWithToken, eventually, startStack, type TestStack } from '../support/stack';

const address = {
  recipient: 'Park Min-ji',
  phone: '010-4444-5555',
  postalCode: '04524',
  address1: '1 Sejong-daero, Jung-gu',
};

describe('admin order cancel', () => {
  let stack: TestStack;
  let pg: StartedFake<any>;
  let admin: { userId: number; token: string };
  let customer: { userId: number; token: string };
  let productId: number;
  let sequence = 0;

  beforeAll(async () => {
    pg = await startPaymentGateway({ port: 0 });
    stack = await startStack({
      label: 'admin_order_cancel',
      workerDomains: ['orders', 'stock', 'payments'],
      env: { PAYMENT_GATEWAY_URL: pg.url, PAYMENT_GATEWAY_TIMEOUT_MS: '1000' },
    });
    admin = await createUserWithToken(stack, 'admin');
    customer = await createUserWithToken(stack, 'user');
    [productId] = (await insertProducts(stack.database.db, [
      { name: 'Cancel test TV', price: 300_000, stock: 5 },
    ])) as [number];
  });
  afterAll(async () => {
    await stack?.close();
    await pg?.close();
  });

  const cancel = (orderId: number | string, token = admin.token) =>
    call(stack.url, 'POST', `/api/admin/orders/${orderId}/cancel`, { token });
  const stock = async () =>
    Number((await stack.database.db('products').where({ id: productId }).first('stock')).stock);

  async function confirmedOrder(): Promise<number> {
    sequence += 1;
    const placed = await call(stack.url, 'POST', '/api/orders', {
      token: customer.token,
      body: { items: [{ productId, quantity: 1 }], shippingAddress: address, paymentMethod: 'card' },
      headers: { 'idempotency-key': `admin-cancel-${sequence}-${Date.now()}`, prefer: 'wait=10' },
    });
    expect([201, 202]).toContain(placed.status);
    expect(placed.body.order?.status ?? placed.body.status).toBe('CONFIRMED');
    return placed.body.orderId as number;
  }

  it('when an admin cancels a customer’s confirmed order, then it is refunded, the stock returns and the audit names the admin', async () => {
    const stockBefore = await stock();
    const orderId = await confirmedOrder();
    expect(await stock()).toBe(stockBefore - 1);

    const answer = await cancel(orderId);
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ orderId, status: 'CANCEL_REQUESTED' });
    expect(answer.body.links.self).toBe(`/api/orders/${orderId}`);

    const done = await eventually(async () => {
      const read = await call(stack.url, 'GET', `/api/admin/orders/${orderId}`, { token: admin.token });
      return read.body.order.status === 'CANCELLED' ? read.body : undefined;
    });
    expect(done.order.payments.map((p: any) => [p.kind, p.status])).toEqual([
      ['charge', 'succeeded'],
      ['refund', 'succeeded'],
    ]);
    await eventually(async () => ((await stock()) === stockBefore ? true : undefined));
    const audit = await stack.database
      .db('audit_log')
      .where({ action: 'order.cancel', entity_type: 'order', entity_id: String(orderId) })
      .select('actor_user_id', 'before', 'after');
    expect(audit).toHaveLength(1);
    expect(Number(audit[0].actor_user_id)).toBe(admin.userId);
    const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);
    expect([json(audit[0].before), json(audit[0].after)]).toEqual([
      { status: 'CONFIRMED' },
      { status: 'CANCEL_REQUESTED' },
    ]);

    // Final now: a second cancel is refused as the customer's would be.
    const again = await cancel(orderId);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: 'ORDER_NOT_CANCELLABLE',
      details: { status: 'CANCELLED' },
    });
  });

  it('when a customer calls it, or the order is unknown, or the id is bad, then 403, 404 and 400', async () => {
    const orderId = await confirmedOrder();
    const byCustomer = await cancel(orderId, customer.token);
    expect(byCustomer.status).toBe(403);
    const unknown = await cancel(999_999_999);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    const bad = await cancel('abc');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    // Nothing of that touched the order.
    const read = await call(stack.url, 'GET', `/api/orders/${orderId}`, { token: customer.token });
    expect(read.body.order.status).toBe('CONFIRMED');
  });
});
