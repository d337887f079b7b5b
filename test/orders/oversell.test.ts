import { startPaymentGateway } from '../../fakes/payment-gateway';
import type { StartedFake } from '../../fakes/fake-server';
import { insertProducts, stockPicture } from '../support/products';
import { call, createUserWithToken, eventually, startStack, type TestStack } from '../support/stack';

const address = {
  recipient: 'Lee Ji-eun',
  phone: '010-9876-5432',
  postalCode: '04524',
  address1: '1 Sejong-daero, Jung-gu',
};

describe('oversell protection', () => {
  let stack: TestStack;
  let pg: StartedFake<any>;

  beforeAll(async () => {
    pg = await startPaymentGateway({ port: 0 });
    stack = await startStack({
      label: 'oversell',
      workerDomains: ['orders', 'stock', 'payments', 'stats'],
      env: { PAYMENT_GATEWAY_URL: pg.url },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await pg?.close();
  });

  it('when 200 orders race for 50 units, then exactly 50 are confirmed, stock is 0 and the ledger matches', async () => {
    const [productId] = await insertProducts(stack.database.db, [
      { name: 'Hot Console', price: 598_000, stock: 50 },
    ]);
    const users = await Promise.all(Array.from({ length: 20 }, () => createUserWithToken(stack)));

    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        call(stack.url, 'POST', '/api/orders', {
          token: users[index % users.length]!.token,
          headers: { 'idempotency-key': `oversell-${index}-${Date.now()}` },
          body: { items: [{ productId, quantity: 1 }], shippingAddress: address, paymentMethod: 'card' },
        }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(200).fill(202));
    const orderIds = responses.map((response) => response.body.orderId as number);

    const statuses = await eventually(
      async () => {
        const rows = (await stack.database.db('orders').whereIn('id', orderIds).select('status')) as {
          status: string;
        }[];
        return rows.every((row) => ['CONFIRMED', 'REJECTED'].includes(row.status)) ? rows : undefined;
      },
      60_000,
      'every order settled',
    );
    const counts = statuses.reduce<Record<string, number>>(
      (acc, row) => ({ ...acc, [row.status]: (acc[row.status] ?? 0) + 1 }),
      {},
    );
    expect(counts).toEqual({ CONFIRMED: 50, REJECTED: 150 });
    expect(await stockPicture(stack.database.db, productId!)).toEqual({
      stock: 0,
      held: 50,
      ledgerTotal: -50,
    });

    const { charges } = (await (await fetch(`${pg.url}/__charges`)).json()) as {
      charges: { orderId: string }[];
    };
    expect(charges).toHaveLength(50);
    expect(new Set(charges.map((charge) => charge.orderId)).size).toBe(50);
  });
});
