/**
 * Faults the API fuzz test found, each pinned by a focused test through the real gateway so that it
 * stays fixed whatever the fuzz happens to generate next time.
 */
import { insertProducts } from '../support/products';
import { createUserWithToken, startStack, type TestStack } from '../support/stack';
import { sendRaw } from './raw-http';

describe('faults found by the API fuzz', () => {
  let stack: TestStack;
  let admin: { token: string };
  let productId: number;
  let categoryId: number;
  let gatewayPort: number;

  beforeAll(async () => {
    stack = await startStack({ label: 'fuzz_findings' });
    admin = await createUserWithToken(stack, 'admin');
    [productId] = (await insertProducts(stack.database.db, [{ price: 1000, stock: 5 }])) as [number];
    categoryId = Number(
      (await stack.database.db('products').where({ id: productId }).first('category_id')).category_id,
    );
    gatewayPort = Number(new URL(stack.url).port);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const post = (target: string, bodyText: string, token?: string) =>
    sendRaw(
      gatewayPort,
      {
        method: 'POST',
        target,
        headers: [
          ['content-type', 'application/json'],
          ...(token ? ([['authorization', `Bearer ${token}`]] as [string, string][]) : []),
        ],
        body: Buffer.from(bodyText, 'utf8'),
      },
      5000,
    );

  it.each([
    [
      'a stock adjustment reason',
      () => `/api/admin/products/${productId}/stock-adjustments`,
      () => '{"delta":1,"reason":"\\udfff\\ud800"}',
    ],
    [
      'a product spec',
      () => '/api/admin/products',
      () =>
        `{"sku":"lone-1","name":"Lone","brand":"B","price":100,"categoryId":${categoryId},"specs":{"colour":"\\ud800"}}`,
    ],
    [
      'an object key',
      () => `/api/admin/products/${productId}/stock-adjustments`,
      () => '{"delta":1,"reason":"ok","\\udc00":1}',
    ],
  ])(
    'when %s holds an unpaired UTF-16 surrogate (\\ud800), then the answer is 400 VALIDATION_FAILED, not a 500',
    async (_what, target, bodyText) => {
      const answer = await post(target(), bodyText(), admin.token);
      expect(answer.outcome).toBe('answered');
      if (answer.outcome !== 'answered') return;
      expect({ status: answer.status, code: JSON.parse(answer.body.toString()).error?.code }).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    },
  );

  it('when a text holds a well-formed surrogate pair (an emoji), then it is accepted', async () => {
    const answer = await post(
      `/api/admin/products/${productId}/stock-adjustments`,
      '{"delta":1,"reason":"restock \\ud83d\\ude00"}',
      admin.token,
    );
    expect(answer.outcome === 'answered' ? answer.status : answer.outcome).toBe(201);
  });

  it('when the request headers add up to more than 16 KiB but each fits the gateway, then the BFF answers with JSON, not a bare 431', async () => {
    const padding = 'x'.repeat(10_000);
    const answer = await sendRaw(
      gatewayPort,
      {
        method: 'GET',
        target: `/api/products/${productId}`,
        headers: [
          ['x-padding-one', padding],
          ['x-padding-two', padding],
        ],
      },
      5000,
    );
    expect(answer.outcome).toBe('answered');
    if (answer.outcome !== 'answered') return;
    expect({ status: answer.status, type: answer.headers['content-type'] }).toEqual({
      status: 200,
      type: expect.stringMatching(/^application\/json/),
    });
  });
});
