/**
 * Each BFF request has a deadline (REQUEST_TIMEOUT_MS), through the gateway: a handler that has not answered
 * by then gets a 503 DEADLINE_EXCEEDED JSON error for its client; when it finishes later nothing breaks; an
 * order-event stream (SSE), which answers at once and then stays open, is not cut.
 */
import { publishOrderEvent } from '../../shared/orders/order-events';
import type { Knex } from '../../shared/db';
import { insertProducts } from '../support/products';
import { call, createUserWithToken, eventually, startStack, type TestStack } from '../support/stack';
import { insertOrder, insertUser } from '../stats/order-fixtures';

const DEADLINE_MS = 400;

describe('request deadline', () => {
  let stack: TestStack;
  const logLines: string[] = [];
  let admin: { userId: number; token: string };

  beforeAll(async () => {
    stack = await startStack({
      label: 'request_deadline',
      // No statement limit: the lock wait below must outlast the request's deadline, not be cut first.
      env: { REQUEST_TIMEOUT_MS: String(DEADLINE_MS), DB_STATEMENT_TIMEOUT_MS: '0' },
      bffLogLines: logLines,
    });
    admin = await createUserWithToken(stack, 'admin');
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Holds a row lock on the user, so that an admin change to it waits until `release`. */
  async function lockUser(userId: number): Promise<{ release(): Promise<void> }> {
    const trx: Knex.Transaction = await stack.database.db.transaction();
    await trx('users').where({ id: userId }).forUpdate().first();
    return {
      release: async () => {
        await trx.commit();
      },
    };
  }

  const logged = () => logLines.map((line) => JSON.parse(line) as Record<string, unknown>);

  it('when a handler has not answered by the deadline, then the client gets 503 DEADLINE_EXCEEDED, and the late finish breaks nothing', async () => {
    const target = await insertUser(stack.database.db);
    const lock = await lockUser(target);

    const answer = await call(stack.url, 'PATCH', `/api/admin/users/${target}`, {
      token: admin.token,
      body: { role: 'admin' },
    }).finally(() => lock.release());
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({
      error: { code: 'DEADLINE_EXCEEDED', message: expect.any(String), requestId: expect.any(String) },
    });
    const requestId = answer.body.error.requestId as string;
    expect(answer.headers.get('x-request-id')).toBe(requestId);

    // The handler goes on once the lock is free: its change commits and its late answer is dropped.
    await eventually(async () => {
      const row = await stack.database.db('users').where({ id: target }).first('role');
      return row.role === 'admin' ? true : undefined;
    }, 10_000);
    await eventually(
      async () =>
        logged().some((line) => line.requestId === requestId && line.msg === 'late answer dropped')
          ? true
          : undefined,
      10_000,
      'the late answer to be dropped',
    );

    expect(logged().filter((line) => line.level === 50 || line.msg === 'request failed')).toEqual([]);
    expect(logged().find((line) => line.msg === 'request deadline passed')).toMatchObject({
      requestId,
      timeoutMs: DEADLINE_MS,
    });
    expect((await call(stack.url, 'GET', '/healthz')).status).toBe(200);
    expect((await call(stack.url, 'GET', `/api/admin/users/${target}`, { token: admin.token })).status).toBe(
      200,
    );
  });

  it('when an order-event stream stays open past the deadline, then it is not cut and still delivers events', async () => {
    const customer = await createUserWithToken(stack);
    const [productId] = (await insertProducts(stack.database.db, [{ price: 1_000, stock: 10 }])) as [number];
    const orderId = await insertOrder(stack.database.db, {
      userId: customer.userId,
      status: 'PENDING',
      items: [{ productId, quantity: 1, unitPrice: 1_000 }],
    });
    const controller = new AbortController();
    const response = await fetch(`${stack.url}/api/orders/${orderId}/events`, {
      headers: { authorization: `Bearer ${customer.token}` },
      signal: controller.signal,
    });
    try {
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const readUntil = async (wanted: string) => {
        while (!text.includes(wanted)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`the stream ended before "${wanted}": ${text}`);
          text += decoder.decode(value, { stream: true });
        }
      };
      await readUntil('"status":"PENDING"');

      // A request started after the stream that missed its deadline: the stream's deadline has passed too.
      const target = await insertUser(stack.database.db);
      const lock = await lockUser(target);
      const late = await call(stack.url, 'PATCH', `/api/admin/users/${target}`, {
        token: admin.token,
        body: { role: 'admin' },
      }).finally(() => lock.release());
      expect(late.status).toBe(503);

      await stack.database.db('orders').where({ id: orderId }).update({ status: 'REJECTED' });
      await publishOrderEvent(stack.bff.ctx.redis, stack.env.REDIS_PREFIX!, {
        orderId,
        status: 'REJECTED',
        reason: null,
      });
      await readUntil('"status":"REJECTED"');
      expect(text).not.toContain('DEADLINE_EXCEEDED');
    } finally {
      controller.abort();
    }
  });
});
