/**
 * The whole system on a real local Redis Cluster (scripts/redis-cluster.sh: six redis-server processes,
 * three primaries and three replicas): orders placed end to end through the gateway, cart lines and a guest
 * cart's merge, session revocation read by the gateway's Lua across a MOVED redirect, and every key where
 * shared/redis-keys.ts says it lives (CLUSTER KEYSLOT). redis-server is part of this project's services
 * (scripts/ensure-services.sh): when it is missing this file fails, it never skips.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { startPaymentGateway } from '../../fakes/payment-gateway';
import type { StartedFake } from '../../fakes/fake-server';
import { productSummaryKey } from '../../shared/product-cache';
import { queueHashTag } from '../../shared/redis-keys';
import { revokedUserKey, sessionRevocations } from '../../shared/session-revocation';
import { orderEventsChannel } from '../../shared/orders/order-events';
import { insertProducts, stockPicture } from '../support/products';
import { call, createUserWithToken, eventually, startStack, type TestStack } from '../support/stack';

const SCRIPT = path.join(__dirname, '../../scripts/redis-cluster.sh');
/**
 * A cluster of this file's own (ports 7200-7205, not the 7100s of `npm run test:cluster`): the failover test
 * kills a primary, which must not disturb other test files running on the shared cluster at the same time.
 */
const OWN_CLUSTER = {
  REDIS_CLUSTER_PORT: '7200',
  REDIS_CLUSTER_DIR: path.join(__dirname, '../../.run/redis-cluster-smoke'),
};
const clusterScript = (...args: string[]): string =>
  execFileSync('bash', [SCRIPT, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...OWN_CLUSTER },
  }).trim();

const address = {
  recipient: 'Kim Min-su',
  phone: '010-1234-5678',
  postalCode: '06236',
  address1: '123 Teheran-ro, Gangnam-gu',
};

describe('the stack on a local Redis Cluster', () => {
  let stack: TestStack;
  let pg: StartedFake<any>;
  let admin: Cluster;
  let prefix: string;
  const savedNodes = process.env.REDIS_CLUSTER_NODES;
  let key = 0;
  const nextKey = () => `cluster-smoke-${Date.now()}-${(key += 1)}`;

  beforeAll(async () => {
    clusterScript('start');
    const nodes = clusterScript('nodes').split('\n').pop()!;
    // Every process the stack starts (BFF, workers, gateway) reads this: the cluster instead of REDIS_URL.
    process.env.REDIS_CLUSTER_NODES = nodes;
    admin = new Cluster(
      nodes.split(',').map((node) => ({ host: node.split(':')[0]!, port: Number(node.split(':')[1]) })),
    );
    pg = await startPaymentGateway({ port: 0 });
    stack = await startStack({
      label: 'cluster',
      workerDomains: ['orders', 'stock', 'payments', 'stats'],
      env: {
        PAYMENT_GATEWAY_URL: pg.url,
        PAYMENT_GATEWAY_TIMEOUT_MS: '1000',
        // A failover may lose the last writes a dead primary had not yet sent its replica (replication is
        // asynchronous): the sweeper re-drives an order whose job vanished, here within seconds.
        ORDER_SWEEP_INTERVAL_MS: '1000',
        ORDER_STUCK_AFTER_SECONDS: '3',
      },
    });
    prefix = stack.bff.config.REDIS_PREFIX;
  }, 90_000);
  afterAll(async () => {
    // The cluster is stopped however the rest goes (a cleanup that fails or hangs on a broken cluster
    // included: it gets 30 s, within the hook's own limit), so no redis-server outlives the run to take the
    // next run's ports.
    try {
      await Promise.race([
        (async () => {
          await stack?.close();
          await pg?.close();
          await admin?.quit();
        })(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('cleanup hung')), 30_000).unref()),
      ]);
    } finally {
      clusterScript('stop');
      if (savedNodes === undefined) delete process.env.REDIS_CLUSTER_NODES;
      else process.env.REDIS_CLUSTER_NODES = savedNodes;
    }
  }, 60_000);

  const slotOf = async (name: string): Promise<number> => Number(await admin.cluster('KEYSLOT', name));
  /** host:port of the primary serving `slot`. */
  const primaryOf = async (slot: number): Promise<string> => {
    const ranges = await admin.cluster('SLOTS');
    const primary = ranges.find(([from, to]) => slot >= from && slot <= to)?.[2];
    if (!primary) throw new Error(`slot ${slot} is not served`);
    return `${primary[0]}:${primary[1]}`;
  };
  /** Every key under `match` on the cluster (a SCAN of each primary). */
  const keysMatching = async (match: string): Promise<string[]> => {
    const found: string[] = [];
    for (const node of admin.nodes('master')) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', 1000);
        cursor = next;
        found.push(...keys);
      } while (cursor !== '0');
    }
    return found;
  };
  const place = (token: string, body: unknown, prefer?: string) =>
    call(stack.url, 'POST', '/api/orders', {
      token,
      body,
      headers: { 'idempotency-key': nextKey(), ...(prefer ? { prefer } : {}) },
    });

  it('when REDIS_CLUSTER_NODES is set, then the BFF and the workers talk to the cluster', async () => {
    expect(stack.bff.ctx.redis.isCluster).toBe(true);
    expect(stack.workers!.ctx.redis.isCluster).toBe(true);
    expect(stack.workers!.ctx.connection.isCluster).toBe(true);
    expect(clusterScript('status')).toMatch(/state=ok/);
    // Started means every replica has synced: one that never did refuses to take over a dead primary
    // (CI once saw the cluster stay down after a kill 4 s after start, mid-sync).
    const roles = await Promise.all(
      process.env.REDIS_CLUSTER_NODES!.split(',').map(async (node) => {
        const client = new Redis(Number(node.split(':')[1]), node.split(':')[0]!, { lazyConnect: true });
        try {
          return await client.info('replication');
        } finally {
          client.disconnect();
        }
      }),
    );
    const replicas = roles.filter((info) => /role:slave/.test(info));
    expect(replicas).toHaveLength(3);
    for (const info of replicas) expect(info).toMatch(/master_link_status:up/);
  });

  it('when a guest fills a cart and merges it into a user cart, then the lines add up and each cart key is where its name puts it', async () => {
    const user = await createUserWithToken(stack);
    const [first, second, third] = await insertProducts(stack.database.db, [
      { price: 1_000, stock: 50 },
      { price: 2_000, stock: 50 },
      { price: 3_000, stock: 50 },
    ]);
    const guestAdd = await call(stack.url, 'POST', '/api/cart/items', {
      body: { productId: first, quantity: 2 },
    });
    expect(guestAdd.status).toBe(200);
    const cartId = guestAdd.headers.get('x-cart-id')!;
    const headers = { 'x-cart-id': cartId };
    expect(
      (
        await call(stack.url, 'POST', '/api/cart/items', {
          headers,
          body: { productId: second, quantity: 1 },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call(stack.url, 'POST', '/api/cart/items', {
          token: user.token,
          body: { productId: first, quantity: 1 },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call(stack.url, 'POST', '/api/cart/items', {
          token: user.token,
          body: { productId: third, quantity: 4 },
        })
      ).status,
    ).toBe(200);

    const merged = await call(stack.url, 'POST', '/api/cart/merge', { token: user.token, headers });
    expect(merged.status).toBe(200);
    const quantities = (merged.body.lines as { productId: number; quantity: number }[]).map((line) => [
      line.productId,
      line.quantity,
    ]);
    expect(quantities).toEqual([
      [first, 3],
      [second, 1],
      [third, 4],
    ]);
    // The warm read path on the cluster (HGETALL, then the summaries key by key) answers the same.
    const read = await call(stack.url, 'GET', '/api/cart', { token: user.token });
    expect(read.body).toEqual(merged.body);
    expect(read.body.total).toBe(3 * 1_000 + 2_000 + 4 * 3_000);

    const userKey = `${prefix}:cart:user:${user.userId}`;
    const guestKey = `${prefix}:cart:guest:${cartId}`;
    // Each cart key is in its own slot (no hash tag), on the primary that serves that slot.
    expect(await admin.hget(userKey, String(first))).toBe('3');
    expect(await admin.hget(guestKey, '__gone')).toBe('1');
    for (const cartKey of [userKey, guestKey]) {
      const slot = await slotOf(cartKey);
      const [host, port] = (await primaryOf(slot)).split(':');
      const owner = admin.nodes('master').find((node) => node.options.port === Number(port));
      expect(owner?.options.host).toBe(host);
      expect(await owner!.exists(cartKey)).toBe(1);
    }
    // Product summaries spread over the slots too.
    const summaryKeys = [first, second, third].map((id) => productSummaryKey(prefix, id!));
    expect((await Promise.all(summaryKeys.map((name) => admin.exists(name)))).every(Boolean)).toBe(true);
  });

  it('when orders are placed through the gateway, then each is confirmed and each queue keeps its keys in its own slot', async () => {
    const user = await createUserWithToken(stack);
    const productIds = await insertProducts(
      stack.database.db,
      Array.from({ length: 6 }, () => ({ price: 10_000, stock: 20 })),
    );
    const accepted: number[] = [];
    for (const productId of productIds) {
      const response = await place(user.token, {
        items: [{ productId, quantity: 2 }],
        shippingAddress: address,
        paymentMethod: 'card',
      });
      expect(response.status).toBe(202);
      accepted.push(response.body.orderId as number);
    }
    // One from the cart, with Prefer: wait: the answer comes from the order event (sharded pub/sub).
    expect(
      (
        await call(stack.url, 'POST', '/api/cart/items', {
          token: user.token,
          body: { productId: productIds[0], quantity: 1 },
        })
      ).status,
    ).toBe(200);
    const fromCart = await place(
      user.token,
      { fromCart: true, shippingAddress: address, paymentMethod: 'card' },
      'wait=15',
    );
    expect(fromCart.status).toBe(201);
    expect(fromCart.body.status).toBe('CONFIRMED');
    accepted.push(fromCart.body.orderId as number);

    for (const orderId of accepted) {
      await eventually(async () => {
        const read = await call(stack.url, 'GET', `/api/orders/${orderId}`, { token: user.token });
        return read.body.order.status === 'CONFIRMED' ? true : undefined;
      });
    }
    expect(await stockPicture(stack.database.db, productIds[0]!)).toEqual({
      stock: 17,
      held: 3,
      ledgerTotal: -3,
    });
    // The cart order's line left the cart (the clear-cart job ran on the cluster too).
    await eventually(async () => {
      const cart = await call(stack.url, 'GET', '/api/cart', { token: user.token });
      return cart.body.lines.length === 0 ? true : undefined;
    });

    // Every queue's keys share the slot of its hash tag; the busy queues sit on different primaries.
    const primaries = new Map<string, string>();
    for (const queue of ['orders', 'stock', 'payments', 'stats']) {
      const keys = await keysMatching(`${prefix}:bull:${queueHashTag(queue).replace(/[{}]/g, '\\$&')}:*`);
      expect(keys.length).toBeGreaterThan(0);
      const tagSlot = await slotOf(queueHashTag(queue));
      const slots = new Set(await Promise.all(keys.map(slotOf)));
      expect([...slots]).toEqual([tagSlot]);
      primaries.set(queue, await primaryOf(tagSlot));
    }
    expect(new Set([primaries.get('orders'), primaries.get('stock'), primaries.get('payments')]).size).toBe(
      3,
    );
    // Nothing of BullMQ lands outside a queue's tagged prefix.
    const untagged = (await keysMatching(`${prefix}:bull:*`)).filter((name) => !name.includes(':{'));
    expect(untagged).toEqual([]);
    expect(await slotOf(orderEventsChannel(prefix, accepted[0]!))).toBeGreaterThanOrEqual(0);

    // Bull Board and the metrics read the same tagged queues.
    const admin = await createUserWithToken(stack, 'admin');
    const board = await call(
      stack.url,
      'GET',
      '/admin/queues/api/queues?activeQueue=orders&status=completed',
      {
        token: admin.token,
      },
    );
    expect(board.status).toBe(200);
    const ordersQueue = (board.body.queues as { name: string; counts: Record<string, number> }[]).find(
      (queue) => queue.name === 'orders',
    );
    expect(ordersQueue?.counts.completed).toBeGreaterThanOrEqual(accepted.length);
    const scrape = await (await fetch(`${stack.workers!.metrics!.url}/metrics`)).text();
    const completed = /voltmall_queue_jobs\{queue="payments",state="completed"\} (\d+)/.exec(scrape)?.[1];
    expect(Number(completed)).toBeGreaterThanOrEqual(accepted.length);
  });

  it('when a user is revoked, then the gateway refuses their token, reading the record across a MOVED redirect', async () => {
    const user = await createUserWithToken(stack);
    expect((await call(stack.url, 'GET', '/api/cart', { token: user.token })).status).toBe(200);
    const recordKey = revokedUserKey(prefix, user.userId, true);
    // The gateway is configured with the first seed node; the records' slot is served by another primary.
    const seed = process.env.REDIS_CLUSTER_NODES!.split(',')[0];
    expect(await primaryOf(await slotOf(recordKey))).not.toBe(seed);

    await sessionRevocations({ redis: stack.bff.ctx.redis, config: stack.bff.config }).revokeUser(
      user.userId,
    );
    expect(await admin.get(recordKey)).toMatch(/^\d+$/);
    const refused = await eventually(async () => {
      const response = await call(stack.url, 'GET', '/api/cart', { token: user.token });
      return response.status === 401 ? response : undefined;
    }, 5000);
    expect(refused.body.error.code).toBe('TOKEN_REVOKED');
  });

  it('when the primary holding the orders queue dies while orders are placed, then its replica takes over, every accepted order ends confirmed and carts keep their lines', async () => {
    const user = await createUserWithToken(stack);
    const [productId, cartProduct] = await insertProducts(stack.database.db, [
      { price: 1_000, stock: 1_000 },
      { price: 7_000, stock: 10 },
    ]);
    const add = await call(stack.url, 'POST', '/api/cart/items', {
      token: user.token,
      body: { productId: cartProduct, quantity: 2 },
    });
    expect(add.status).toBe(200);

    const slot = await slotOf(queueHashTag('orders'));
    const victim = await primaryOf(slot);
    const total = 20;
    const accepted: number[] = [];
    let refusals = 0;
    /** A client that retries a 503 with the same idempotency key, as the API asks, until accepted. */
    const placeUntilAccepted = async (): Promise<number> => {
      const idempotencyKey = nextKey();
      const deadline = Date.now() + 60_000;
      for (;;) {
        const response = await call(stack.url, 'POST', '/api/orders', {
          token: user.token,
          body: { items: [{ productId, quantity: 1 }], shippingAddress: address, paymentMethod: 'card' },
          headers: { 'idempotency-key': idempotencyKey },
        });
        if (response.status === 202 || response.status === 201) return response.body.orderId as number;
        if (response.status !== 503 || Date.now() > deadline)
          throw new Error(`order refused: ${response.status} ${JSON.stringify(response.body)}`);
        refusals += 1;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    for (let index = 0; index < total; index += 1) {
      if (index === 5) {
        clusterScript('kill-node', victim.split(':')[1]!);
      }
      accepted.push(await placeUntilAccepted());
    }
    // The replica was promoted: the slot is served by another node.
    const promoted = await eventually(
      async () => {
        const owner = await primaryOf(slot).catch(() => undefined);
        return owner && owner !== victim ? owner : undefined;
      },
      30_000,
      'a replica promoted',
    );
    expect(promoted).not.toBe(victim);

    for (const orderId of accepted) {
      await eventually(
        async () => {
          const read = await call(stack.url, 'GET', `/api/orders/${orderId}`, { token: user.token });
          return read.body?.order?.status === 'CONFIRMED' ? true : undefined;
        },
        90_000,
        `order ${orderId} confirmed`,
      );
    }
    // docs/orders.md's invariants: one unit held per order, the ledger agrees, one charge each.
    expect(new Set(accepted).size).toBe(total);
    expect(await stockPicture(stack.database.db, productId!)).toEqual({
      stock: 1_000 - total,
      held: total,
      ledgerTotal: -total,
    });
    for (const orderId of accepted) {
      const charges = (await (await fetch(`${pg.url}/__charges?orderId=order-${orderId}`)).json()) as {
        charges: unknown[];
      };
      expect(charges.charges).toHaveLength(1);
    }
    const cart = await call(stack.url, 'GET', '/api/cart', { token: user.token });
    expect(cart.status).toBe(200);
    expect(cart.body.lines).toEqual([expect.objectContaining({ productId: cartProduct, quantity: 2 })]);
    // Reported, not asserted (it depends on timing): how many placements met the failover window.
    process.stdout.write(`[cluster failover] ${total} orders accepted, ${refusals} retried 503s\n`);
  }, 240_000);
});
