import { startPaymentGateway } from '../../fakes/payment-gateway';
import type { StartedFake } from '../../fakes/fake-server';
import { paymentsService } from '../../workers/payments/payments.service';
import { TossPaymentsGateway } from '../../workers/payments/toss-payments-gateway';
import { MAX_CART_LINES } from '../../shared/carts/cart-limits';
import { insertProducts, stockPicture } from '../support/products';
import { call, createUserWithToken, eventually, startStack, type TestStack } from '../support/stack';

const address = {
  recipient: 'Kim Min-su',
  phone: '010-1234-5678',
  postalCode: '06236',
  address1: '123 Teheran-ro, Gangnam-gu',
};

describe('orders through the gateway, the workers and the payment gateway', () => {
  let stack: TestStack;
  let pg: StartedFake<any>;
  let user: { userId: number; token: string };
  let other: { userId: number; token: string };
  let key = 0;
  const nextKey = () => `order-test-key-${Date.now()}-${(key += 1)}`;

  beforeAll(async () => {
    pg = await startPaymentGateway({ port: 0 });
    stack = await startStack({
      label: 'orders',
      workerDomains: ['orders', 'stock', 'payments', 'stats'],
      env: { PAYMENT_GATEWAY_URL: pg.url, PAYMENT_GATEWAY_TIMEOUT_MS: '1000' },
    });
    user = await createUserWithToken(stack);
    other = await createUserWithToken(stack);
  });
  afterAll(async () => {
    await stack?.close();
    await pg?.close();
  });
  afterEach(async () => {
    await fetch(`${pg.url}/__control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ declineRate: 0 }),
    });
  });

  const place = (body: unknown, options: { token?: string; key?: string | null; prefer?: string } = {}) =>
    call(stack.url, 'POST', '/api/orders', {
      token: options.token ?? user.token,
      body,
      headers: {
        ...(options.key === null ? {} : { 'idempotency-key': options.key ?? nextKey() }),
        ...(options.prefer ? { prefer: options.prefer } : {}),
      },
    });
  const chargesFor = async (orderId: number) =>
    (await (await fetch(`${pg.url}/__charges?orderId=order-${orderId}`)).json()) as {
      charges: unknown[];
      refunds: unknown[];
    };

  it('when an order is placed, then it answers 202 at once and the workers confirm it with one charge', async () => {
    const [productId] = await insertProducts(stack.database.db, [{ price: 129_000, stock: 10 }]);
    const response = await place(
      { items: [{ productId, quantity: 2 }], shippingAddress: address, paymentMethod: 'card' },
      {},
    );
    expect(response.status).toBe(202);
    expect(response.body).toEqual({
      orderId: expect.any(Number),
      status: 'PENDING',
      links: {
        self: `/api/orders/${response.body.orderId}`,
        events: expect.any(String),
        cancel: expect.any(String),
      },
    });
    expect(response.headers.get('location')).toBe(`/api/orders/${response.body.orderId}`);

    const orderId = response.body.orderId as number;
    const order = await eventually(async () => {
      const read = await call(stack.url, 'GET', `/api/orders/${orderId}`, { token: user.token });
      return read.body.order.status === 'CONFIRMED' ? read.body.order : undefined;
    });
    expect(order).toMatchObject({
      total: 258_000,
      items: [{ productId, unitPrice: 129_000, quantity: 2, lineTotal: 258_000 }],
    });
    expect((await chargesFor(orderId)).charges).toHaveLength(1);
    expect(await stockPicture(stack.database.db, productId!)).toEqual({ stock: 8, held: 2, ledgerTotal: -2 });
  });

  it('when Prefer: wait is given, then the answer is 201 with the final state', async () => {
    const [productId] = await insertProducts(stack.database.db, [{ price: 5_000, stock: 3 }]);
    const response = await place(
      { items: [{ productId, quantity: 1 }], shippingAddress: address, paymentMethod: 'card' },
      { prefer: 'wait=10' },
    );
    expect(response.status).toBe(201);
    expect(response.headers.get('preference-applied')).toBe('wait=10');
    expect(response.body.status).toBe('CONFIRMED');
    expect(response.body.order.confirmedAt).toEqual(expect.any(String));
  });

  it('when stock is short, then the order ends REJECTED naming the product and nothing changes', async () => {
    const [plenty, scarce] = await insertProducts(stack.database.db, [
      { name: 'Plenty Phone', price: 1_000, stock: 100 },
      { name: 'Scarce Camera', price: 2_000, stock: 1 },
    ]);
    const response = await place(
      {
        items: [
          { productId: plenty, quantity: 1 },
          { productId: scarce, quantity: 2 },
        ],
        shippingAddress: address,
        paymentMethod: 'card',
      },
      { prefer: 'wait=10' },
    );
    expect(response.status).toBe(201);
    expect(response.body.status).toBe('REJECTED');
    expect(response.body.order.failureReason).toContain('Scarce Camera');
    expect(response.body.order.failureReason).not.toContain('Plenty Phone');
    expect(await stockPicture(stack.database.db, plenty!)).toEqual({ stock: 100, held: 0, ledgerTotal: 0 });
    expect(await stockPicture(stack.database.db, scarce!)).toEqual({ stock: 1, held: 0, ledgerTotal: 0 });
    expect((await chargesFor(response.body.orderId)).charges).toHaveLength(0);
  });

  it('when the payment is declined, then PAYMENT_FAILED with the reason and the stock back', async () => {
    const [productId] = await insertProducts(stack.database.db, [{ price: 10_000, stock: 5 }]);
    await fetch(`${pg.url}/__control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ declineRate: 1 }),
    });
    const response = await place(
      { items: [{ productId, quantity: 3 }], shippingAddress: address, paymentMethod: 'card' },
      { prefer: 'wait=10' },
    );
    expect(response.body.status).toBe('PAYMENT_FAILED');
    expect(response.body.order.failureReason).toMatch(/declined/i);
    const picture = await eventually(async () => {
      const now = await stockPicture(stack.database.db, productId!);
      return now.stock === 5 ? now : undefined;
    });
    expect(picture).toEqual({ stock: 5, held: 0, ledgerTotal: 0 });
    const kinds = await stack.database
      .db('stock_ledger')
      .where({ product_id: productId })
      .orderBy('id')
      .pluck('kind');
    expect(kinds).toEqual(['reserve', 'release']);
  });

  it('when a confirmed order is cancelled, then it is refunded once, the stock returns and it ends CANCELLED', async () => {
    const [productId] = await insertProducts(stack.database.db, [{ price: 50_000, stock: 4 }]);
    const placed = await place(
      { items: [{ productId, quantity: 4 }], shippingAddress: address, paymentMethod: 'card' },
      { prefer: 'wait=10' },
    );
    expect(placed.body.status).toBe('CONFIRMED');
    const orderId = placed.body.orderId;

    const cancel = await call(stack.url, 'POST', `/api/orders/${orderId}/cancel`, { token: user.token });
    expect(cancel.status).toBe(202);
    const cancelled = await eventually(async () => {
      const read = await call(stack.url, 'GET', `/api/orders/${orderId}`, { token: user.token });
      return read.body.order.status === 'CANCELLED' ? read.body.order : undefined;
    });
    expect(cancelled.cancelledAt).toEqual(expect.any(String));
    const { charges, refunds } = await chargesFor(orderId);
    expect([charges.length, refunds.length]).toEqual([1, 1]);
    expect(await stockPicture(stack.database.db, productId!)).toEqual({ stock: 4, held: 0, ledgerTotal: 0 });
    const payments = await stack.database
      .db('payments')
      .where({ order_id: orderId })
      .orderBy('kind')
      .select('kind', 'status');
    expect(payments).toEqual([
      { kind: 'charge', status: 'succeeded' },
      { kind: 'refund', status: 'succeeded' },
    ]);

    const again = await call(stack.url, 'POST', `/api/orders/${orderId}/cancel`, { token: user.token });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ORDER_NOT_CANCELLABLE');
  });

  it('when an order is placed from the cart, then once confirmed the bought lines leave the cart and others stay', async () => {
    const shopper = await createUserWithToken(stack);
    const [bought, alsoBought] = await insertProducts(stack.database.db, [
      { price: 7_000, stock: 10 },
      { price: 8_000, stock: 10 },
    ]);
    for (const productId of [bought, alsoBought]) {
      const add = await call(stack.url, 'POST', '/api/cart/items', {
        token: shopper.token,
        body: { productId, quantity: 2 },
      });
      expect(add.status).toBe(200);
    }
    const placed = await place(
      { fromCart: true, shippingAddress: address, paymentMethod: 'card' },
      { token: shopper.token, prefer: 'wait=10' },
    );
    expect(placed.body.status).toBe('CONFIRMED');
    expect(
      placed.body.order.items.map((item: { productId: number; quantity: number }) => [
        item.productId,
        item.quantity,
      ]),
    ).toEqual([
      [bought, 2],
      [alsoBought, 2],
    ]);
    // A line added after the order was placed is not part of it.
    const [later] = await insertProducts(stack.database.db, [{ price: 9_000, stock: 10 }]);
    await call(stack.url, 'POST', '/api/cart/items', {
      token: shopper.token,
      body: { productId: later, quantity: 1 },
    });
    const cart = await eventually(async () => {
      const read = await call(stack.url, 'GET', '/api/cart', { token: shopper.token });
      return read.body.lines.length === 1 ? read.body : undefined;
    });
    expect(cart.lines.map((line: { productId: number }) => line.productId)).toEqual([later]);
  });

  it('when a full cart is ordered, then the order takes every line the cart holds', async () => {
    const shopper = await createUserWithToken(stack);
    const productIds = await insertProducts(
      stack.database.db,
      Array.from({ length: MAX_CART_LINES }, () => ({ price: 1_000, stock: 5 })),
    );
    for (const productId of productIds) {
      const add = await call(stack.url, 'POST', '/api/cart/items', {
        token: shopper.token,
        body: { productId, quantity: 1 },
      });
      expect(add.status).toBe(200);
    }
    const placed = await place(
      { fromCart: true, shippingAddress: address, paymentMethod: 'card' },
      { token: shopper.token, prefer: 'wait=10' },
    );
    expect(placed.body.status).toBe('CONFIRMED');
    expect(placed.body.order.items).toHaveLength(MAX_CART_LINES);
    expect(placed.body.order.total).toBe(MAX_CART_LINES * 1_000);
  });

  it('when an order lists as many items as a cart may hold, then it is accepted; one more is 400', async () => {
    const productIds = await insertProducts(
      stack.database.db,
      Array.from({ length: MAX_CART_LINES + 1 }, () => ({ price: 1_000, stock: 5 })),
    );
    const items = productIds.map((productId) => ({ productId, quantity: 1 }));
    const tooMany = await place({ items, shippingAddress: address, paymentMethod: 'card' });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.code).toBe('VALIDATION_FAILED');
    const full = await place({ items: items.slice(1), shippingAddress: address, paymentMethod: 'card' });
    expect(full.status).toBe(202);
  });

  it('when the cart is empty, then placing from it is 422 CART_EMPTY', async () => {
    const shopper = await createUserWithToken(stack);
    const response = await place(
      { fromCart: true, shippingAddress: address, paymentMethod: 'card' },
      { token: shopper.token },
    );
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('CART_EMPTY');
  });

  it('when the same key is replayed, then the same order comes back; with another body, 422', async () => {
    const [productId] = await insertProducts(stack.database.db, [{ price: 1_000, stock: 10 }]);
    const body = { items: [{ productId, quantity: 1 }], shippingAddress: address, paymentMethod: 'card' };
    const idempotencyKey = nextKey();
    const responses = await Promise.all([1, 2, 3, 4, 5].map(() => place(body, { key: idempotencyKey })));
    const ids = new Set(responses.map((response) => response.body.orderId));
    expect(ids.size).toBe(1);
    expect(responses.every((response) => response.status === 202)).toBe(true);
    expect(
      await stack.database.db('orders').where({ idempotency_key: idempotencyKey }).count({ n: '*' }),
    ).toEqual([{ n: 1 }]);

    const different = await place({ ...body, paymentMethod: 'transfer' }, { key: idempotencyKey });
    expect(different.status).toBe(422);
    expect(different.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');

    const otherUser = await place(body, { key: idempotencyKey, token: other.token });
    expect(otherUser.status).toBe(202);
    expect(otherUser.body.orderId).not.toBe([...ids][0]);
  });

  it('when a key is replayed after its order emptied the cart or its product was withdrawn, then the same order comes back', async () => {
    const shopper = await createUserWithToken(stack);
    const [inCart, withdrawn] = await insertProducts(stack.database.db, [
      { price: 3_000, stock: 10 },
      { price: 4_000, stock: 10 },
    ]);
    await call(stack.url, 'POST', '/api/cart/items', {
      token: shopper.token,
      body: { productId: inCart, quantity: 1 },
    });
    const fromCart = { fromCart: true, shippingAddress: address, paymentMethod: 'card' };
    const cartKey = nextKey();
    const first = await place(fromCart, { token: shopper.token, key: cartKey, prefer: 'wait=10' });
    expect(first.body.status).toBe('CONFIRMED');
    await eventually(async () => {
      const read = await call(stack.url, 'GET', '/api/cart', { token: shopper.token });
      return read.body.lines.length === 0 ? true : undefined;
    });
    const cartReplay = await place(fromCart, { token: shopper.token, key: cartKey });
    expect(cartReplay.status).toBe(202);
    expect(cartReplay.body.orderId).toBe(first.body.orderId);

    const items = {
      items: [{ productId: withdrawn, quantity: 1 }],
      shippingAddress: address,
      paymentMethod: 'card',
    };
    const itemsKey = nextKey();
    const placed = await place(items, { token: shopper.token, key: itemsKey });
    expect(placed.status).toBe(202);
    await stack.database.db('products').where({ id: withdrawn }).update({ status: 'deleted' });
    const itemsReplay = await place(items, { token: shopper.token, key: itemsKey });
    expect(itemsReplay.status).toBe(202);
    expect(itemsReplay.body.orderId).toBe(placed.body.orderId);
    // A new key for the withdrawn product is refused.
    expect((await place(items, { token: shopper.token })).status).toBe(422);
  });

  it('when the charge runs again after its order was confirmed, then it reports the confirmation again (its hand-offs are re-sent) and charges nothing more', async () => {
    const [productId] = await insertProducts(stack.database.db, [{ price: 2_000, stock: 5 }]);
    const placed = await place(
      { items: [{ productId, quantity: 1 }], shippingAddress: address, paymentMethod: 'card' },
      { prefer: 'wait=10' },
    );
    expect(placed.body.status).toBe('CONFIRMED');
    const orderId = placed.body.orderId as number;

    // As a retried charge job would, after its first attempt confirmed the order but failed to hand off.
    const gateway = new TossPaymentsGateway({ baseUrl: pg.url, secretKey: 'never-used', timeoutMs: 1000 });
    try {
      expect(
        await paymentsService(stack.database.db, stack.database.sqlBatches, gateway).charge(orderId),
      ).toEqual({
        kind: 'confirmed',
        fromCart: false,
      });
    } finally {
      await gateway.close();
    }
    expect((await chargesFor(orderId)).charges).toHaveLength(1);
    expect(await stack.database.db('payments').where({ order_id: orderId }).select('kind', 'status')).toEqual(
      [{ kind: 'charge', status: 'succeeded' }],
    );
  });

  it('when another user asks for an order, then 404, and lists only show one’s own orders', async () => {
    const [productId] = await insertProducts(stack.database.db, [{ price: 1_000, stock: 10 }]);
    const placed = await place({
      items: [{ productId, quantity: 1 }],
      shippingAddress: address,
      paymentMethod: 'card',
    });
    const peek = await call(stack.url, 'GET', `/api/orders/${placed.body.orderId}`, { token: other.token });
    expect(peek.status).toBe(404);
    const cancel = await call(stack.url, 'POST', `/api/orders/${placed.body.orderId}/cancel`, {
      token: other.token,
    });
    expect(cancel.status).toBe(404);
    const list = await call(stack.url, 'GET', '/api/orders', { token: other.token });
    expect(list.body.items.map((order: { id: number }) => order.id)).not.toContain(placed.body.orderId);
  });

  it('when a user walks the order list by cursor, then every order appears once, newest first', async () => {
    const walker = await createUserWithToken(stack);
    const [productId] = await insertProducts(stack.database.db, [{ price: 1_000, stock: 100 }]);
    const placedIds: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      const placed = await place(
        { items: [{ productId, quantity: 1 }], shippingAddress: address, paymentMethod: 'card' },
        { token: walker.token },
      );
      placedIds.push(placed.body.orderId);
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await call(
        stack.url,
        'GET',
        `/api/orders?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token: walker.token },
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((order: { id: number }) => order.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...placedIds].reverse());
    const filtered = await call(stack.url, 'GET', '/api/orders?status=REJECTED', { token: walker.token });
    expect(filtered.body.items).toEqual([]);
  });

  it('when order events are streamed, then the stream shows the states up to the final one and ends', async () => {
    const [productId] = await insertProducts(stack.database.db, [{ price: 1_000, stock: 10 }]);
    const placed = await place({
      items: [{ productId, quantity: 1 }],
      shippingAddress: address,
      paymentMethod: 'card',
    });
    const response = await fetch(`${stack.url}/api/orders/${placed.body.orderId}/events`, {
      headers: { authorization: `Bearer ${user.token}` },
      signal: AbortSignal.timeout(20_000),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text();
    const statuses = [...text.matchAll(/"status":"([A-Z_]+)"/g)].map((match) => match[1]);
    expect(statuses[statuses.length - 1]).toBe('CONFIRMED');
  });

  it.each([
    [
      'no Idempotency-Key',
      { items: [{ productId: 1, quantity: 1 }], shippingAddress: address, paymentMethod: 'card' },
      null,
    ],
    [
      'a short Idempotency-Key',
      { items: [{ productId: 1, quantity: 1 }], shippingAddress: address, paymentMethod: 'card' },
      'abc',
    ],
    ['no items nor fromCart', { shippingAddress: address, paymentMethod: 'card' }, undefined],
    [
      'both items and fromCart',
      {
        items: [{ productId: 1, quantity: 1 }],
        fromCart: true,
        shippingAddress: address,
        paymentMethod: 'card',
      },
      undefined,
    ],
    [
      'quantity 0',
      { items: [{ productId: 1, quantity: 0 }], shippingAddress: address, paymentMethod: 'card' },
      undefined,
    ],
    [
      'quantity 1e9',
      { items: [{ productId: 1, quantity: 1e9 }], shippingAddress: address, paymentMethod: 'card' },
      undefined,
    ],
    [
      'a duplicated product',
      {
        items: [
          { productId: 1, quantity: 1 },
          { productId: 1, quantity: 2 },
        ],
        shippingAddress: address,
        paymentMethod: 'card',
      },
      undefined,
    ],
    [
      'a bad postal code',
      {
        items: [{ productId: 1, quantity: 1 }],
        shippingAddress: { ...address, postalCode: 'x' },
        paymentMethod: 'card',
      },
      undefined,
    ],
    [
      'an unknown payment method',
      { items: [{ productId: 1, quantity: 1 }], shippingAddress: address, paymentMethod: 'cash' },
      undefined,
    ],
    [
      'a client-sent price',
      { items: [{ productId: 1, quantity: 1, price: 1 }], shippingAddress: address, paymentMethod: 'card' },
      undefined,
    ],
    ['a string body', 'order please', undefined],
  ])('when the order has %s, then 400', async (_name, body, headerKey) => {
    const response = await place(body, { key: headerKey as string | null | undefined });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('when a product is unknown, then 422 naming it and no order is written', async () => {
    const before = await stack.database.db('orders').count({ n: '*' });
    const response = await place({
      items: [{ productId: 999_999_999, quantity: 1 }],
      shippingAddress: address,
      paymentMethod: 'card',
    });
    expect(response.status).toBe(422);
    expect(response.body.error.details).toEqual({ productIds: [999_999_999] });
    expect(await stack.database.db('orders').count({ n: '*' })).toEqual(before);
  });

  it.each(['abc', '0', '-1', '99999999999999999999', '1.5'])(
    'when the order id is %s, then 400',
    async (id) => {
      const response = await call(stack.url, 'GET', `/api/orders/${id}`, { token: user.token });
      expect(response.status).toBe(400);
    },
  );

  it('when orders are called without a token, then the gateway answers 401', async () => {
    expect((await call(stack.url, 'GET', '/api/orders')).status).toBe(401);
  });
});
