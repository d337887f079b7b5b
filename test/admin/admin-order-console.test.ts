/**
 * What the console needs of orders, through nginx with real workers and the fake payment gateway: the live
 * order-event stream of any user's order, the order's timeline, and the list's search.
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

/** The `event: status` payloads of an SSE body, in order. */
function statusEvents(body: string): { status: string }[] {
  return body
    .split('\n\n')
    .filter((block) => block.startsWith('event: status'))
    .map((block) => JSON.parse(/^data: (.*)$/m.exec(block)![1]!));
}

describe('admin order console', () => {
  let stack: TestStack;
  let pg: StartedFake<any>;
  let admin: { userId: number; token: string };
  let customer: { userId: number; token: string; email: string };
  let productId: number;
  let sequence = 0;

  beforeAll(async () => {
    pg = await startPaymentGateway({ port: 0 });
    stack = await startStack({
      label: 'admin_console_orders',
      workerDomains: ['orders', 'stock', 'payments'],
      env: { PAYMENT_GATEWAY_URL: pg.url, PAYMENT_GATEWAY_TIMEOUT_MS: '1000' },
    });
    admin = await createUserWithToken(stack, 'admin');
    customer = await createUserWithToken(stack, 'user');
    [productId] = (await insertProducts(stack.database.db, [
      { name: 'Galaxy Buds', price: 150_000, stock: 50 },
    ])) as [number];
  });
  afterAll(async () => {
    await stack?.close();
    await pg?.close();
  });

  const get = (path: string, token = admin.token) => call(stack.url, 'GET', path, { token });

  async function placeOrder(prefer?: string): Promise<number> {
    sequence += 1;
    const placed = await call(stack.url, 'POST', '/api/orders', {
      token: customer.token,
      body: { items: [{ productId, quantity: 1 }], shippingAddress: address, paymentMethod: 'card' },
      headers: {
        'idempotency-key': `console-${sequence}-${Date.now()}`,
        ...(prefer ? { prefer } : {}),
      },
    });
    expect([201, 202]).toContain(placed.status);
    return placed.body.orderId as number;
  }

  it('when an admin follows a customer’s order live, then the stream tells its states up to CONFIRMED and ends', async () => {
    const orderId = await placeOrder();
    const response = await fetch(`${stack.url}/api/admin/orders/${orderId}/events`, {
      headers: { authorization: `Bearer ${admin.token}` },
      signal: AbortSignal.timeout(20_000),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = statusEvents(await response.text());
    expect(events.at(-1)).toMatchObject({ orderId, status: 'CONFIRMED', failureReason: null });
    // Each event is a change: no state is told twice in a row.
    expect(events.every((event, index) => index === 0 || event.status !== events[index - 1]!.status)).toBe(
      true,
    );
  });

  it('when the stream is asked by a customer, for an unknown order, or with a bad id, then 403, 404 and 400', async () => {
    const orderId = await placeOrder('wait=10');
    expect((await get(`/api/admin/orders/${orderId}/events`, customer.token)).status).toBe(403);
    const unknown = await get('/api/admin/orders/999999999/events');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    expect((await get('/api/admin/orders/abc/events')).status).toBe(400);
  });

  it('when an order was confirmed and then cancelled, then its timeline tells each step in order, the refund and the release included', async () => {
    const orderId = await placeOrder('wait=10');
    const confirmed = await get(`/api/admin/orders/${orderId}`);
    expect(confirmed.body.order.status).toBe('CONFIRMED');
    const statuses = (timeline: any[]) =>
      timeline.filter((entry) => entry.type === 'status').map((entry) => entry.status);
    expect(statuses(confirmed.body.timeline)).toEqual(['PENDING', 'STOCK_RESERVED', 'CONFIRMED']);

    expect(
      (await call(stack.url, 'POST', `/api/orders/${orderId}/cancel`, { token: customer.token })).status,
    ).toBe(202);
    const cancelled = await eventually(async () => {
      const read = await get(`/api/admin/orders/${orderId}`);
      return read.body.order.status === 'CANCELLED' ? read : undefined;
    });
    const timeline = cancelled.body.timeline as {
      at: string;
      type: string;
      status?: string;
      summary: string;
    }[];
    expect(statuses(timeline)).toEqual(['PENDING', 'STOCK_RESERVED', 'CONFIRMED', 'CANCELLED']);
    expect(cancelled.body.order.cancelRequestedAt).toEqual(
      timeline.find((entry) => entry.type === 'cancel')?.at,
    );
    const summaries = timeline.map((entry) => entry.summary);
    expect(summaries).toEqual(
      expect.arrayContaining([
        'Charge of 150000 won started',
        'Charge succeeded after 1 attempt',
        'Cancellation requested',
        'Refund of 150000 won started',
        'Refund succeeded after 1 attempt',
        `Stock reserve of product ${productId}: -1`,
        `Stock release of product ${productId}: +1`,
      ]),
    );
    const times = timeline.map((entry) => entry.at);
    expect([...times].sort()).toEqual(times);
    const indexOf = (summary: string) => summaries.indexOf(summary);
    expect(indexOf('Cancellation requested')).toBeLessThan(indexOf('Refund of 150000 won started'));
    expect(indexOf('Charge succeeded after 1 attempt')).toBeLessThan(indexOf('Cancellation requested'));
  });

  it('when the list is searched, then q finds an order by its id or by the start of the customer’s e-mail', async () => {
    const orderId = await placeOrder('wait=10');
    const byId = await get(`/api/admin/orders?q=${orderId}`);
    expect(byId.status).toBe(200);
    expect(byId.body.items.map((item: any) => item.id)).toEqual([orderId]);

    const prefix = customer.email.slice(0, customer.email.indexOf('.') + 3);
    const byEmail = await get(`/api/admin/orders?q=${encodeURIComponent(prefix.toUpperCase())}`);
    expect(byEmail.body.items.length).toBeGreaterThanOrEqual(4);
    expect(byEmail.body.items.every((item: any) => item.user.email === customer.email)).toBe(true);

    // Not a prefix, and LIKE wildcards match only themselves.
    expect((await get(`/api/admin/orders?q=${customer.email.slice(2)}`)).body.items).toEqual([]);
    expect((await get('/api/admin/orders?q=%25')).body.items).toEqual([]);
    expect((await get('/api/admin/orders?q=_')).body.items).toEqual([]);
    const combined = await get(`/api/admin/orders?q=${orderId}&status=PENDING`);
    expect(combined.body.items).toEqual([]);
    const tooLong = await get(`/api/admin/orders?q=${'a'.repeat(255)}`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.code).toBe('VALIDATION_FAILED');
  });
});
