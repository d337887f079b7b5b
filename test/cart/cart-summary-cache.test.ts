import { CLUSTER_SUMMARY_CACHE_ENTRIES, CLUSTER_SUMMARY_CACHE_MS } from '../../shared/carts/cart-limits';
import { cartStore } from '../../shared/carts/cart-store';
import { productSummaryCache } from '../../shared/carts/summary-cache';
import { productSummaryKey, type ProductSummary } from '../../shared/product-cache';
import { closeRedis, createRedis, waitForRedis, type Redis } from '../../shared/redis';
import { isClustered } from '../../shared/redis-keys';
import { deleteRedisPrefix, testRedisPrefix, testRedisTarget } from '../support/redis';

/**
 * The cart read's product summaries on the tests' Redis: on Redis Cluster (REDIS_CLUSTER_NODES) a process
 * keeps each summary it read for CLUSTER_SUMMARY_CACHE_MS (shared/carts/summary-cache.ts), so a change shows
 * within that bound; on one Redis the read is one script and every change shows at once. Run in both modes:
 *   npx jest test/cart/cart-summary-cache.test.ts
 *   REDIS_CLUSTER_NODES=$(bash scripts/redis-cluster.sh nodes) npx jest test/cart/cart-summary-cache.test.ts
 */
describe('cart read: product summaries on Redis Cluster', () => {
  const target = testRedisTarget();
  const prefix = testRedisPrefix('cart-summaries');
  let redis: Redis;
  let clustered: boolean;

  const summary = (id: number, price: number, stock = 50): ProductSummary => ({
    id,
    name: `Product ${id}`,
    brand: 'Test',
    price,
    stock,
    status: 'active',
    imageUrl: null,
    categoryId: 1,
  });
  const writeSummary = (value: ProductSummary) =>
    redis.set(productSummaryKey(prefix, value.id), JSON.stringify(value), 'EX', 60);
  const prices = (summaries: Map<number, ProductSummary>) =>
    Object.fromEntries([...summaries].map(([id, value]) => [id, value.price]));

  beforeAll(async () => {
    redis = createRedis(target, 'client');
    await waitForRedis(redis);
    clustered = isClustered(redis);
  });

  afterAll(async () => {
    await deleteRedisPrefix(target, prefix);
    await closeRedis(redis);
  });

  it('when a summary changes in Redis, then a cart read shows it on one Redis at once and on the cluster within the cache TTL', async () => {
    let now = 1_000_000;
    const cache = productSummaryCache({ ttlMs: CLUSTER_SUMMARY_CACHE_MS, maxEntries: 100, now: () => now });
    const store = cartStore(redis, prefix, { summaryCache: cache });
    const key = store.keyOf({ userId: 1 });
    await store.applyIfNewer(
      key,
      {
        id: 7,
        version: 1,
        gone: false,
        lines: [
          { productId: 11, quantity: 1 },
          { productId: 12, quantity: 2 },
        ],
      },
      60,
    );
    await writeSummary(summary(11, 1000));
    await writeSummary(summary(12, 2000));

    const first = await store.readWithSummaries(key);
    expect(prices(first!.summaries)).toEqual({ 11: 1000, 12: 2000 });
    expect(first!.missing).toEqual([]);

    // A price change, and an invalidation (product-cache drops the key; the next reader reloads it from MySQL).
    await writeSummary(summary(11, 1500));
    await redis.del(productSummaryKey(prefix, 12));

    now += CLUSTER_SUMMARY_CACHE_MS - 1;
    const withinTtl = await store.readWithSummaries(key);
    if (clustered) {
      expect(prices(withinTtl!.summaries)).toEqual({ 11: 1000, 12: 2000 });
      expect(withinTtl!.missing).toEqual([]);
    } else {
      expect(prices(withinTtl!.summaries)).toEqual({ 11: 1500 });
      expect(withinTtl!.missing).toEqual([12]);
    }

    now += 1;
    const afterTtl = await store.readWithSummaries(key);
    expect(prices(afterTtl!.summaries)).toEqual({ 11: 1500 });
    expect(afterTtl!.missing).toEqual([12]);
    expect(cache.size).toBe(clustered ? 1 : 0);
  });

  it('when a cart has more products than the cache holds, then the cache stays at its bound and every line is still priced', async () => {
    const cache = productSummaryCache({ ttlMs: 60_000, maxEntries: 3 });
    const store = cartStore(redis, prefix, { summaryCache: cache });
    const key = store.keyOf({ userId: 2 });
    const ids = [21, 22, 23, 24, 25];
    await store.applyIfNewer(
      key,
      { id: 8, version: 1, gone: false, lines: ids.map((productId) => ({ productId, quantity: 1 })) },
      60,
    );
    for (const id of ids) await writeSummary(summary(id, id * 100));

    for (let read = 0; read < 3; read += 1) {
      const result = await store.readWithSummaries(key);
      expect(prices(result!.summaries)).toEqual(Object.fromEntries(ids.map((id) => [id, id * 100])));
      expect(cache.size).toBe(clustered ? 3 : 0);
    }
  });

  it('when no cache is given, then a store on the cluster makes its own with the default bounds, and one on one Redis none', async () => {
    const store = cartStore(redis, prefix);
    const key = store.keyOf({ userId: 3 });
    await store.applyIfNewer(
      key,
      { id: 9, version: 1, gone: false, lines: [{ productId: 31, quantity: 1 }] },
      60,
    );
    await writeSummary(summary(31, 3100));
    expect(prices((await store.readWithSummaries(key))!.summaries)).toEqual({ 31: 3100 });
    await writeSummary(summary(31, 3200));
    // Read again at once: the cluster's store serves its copy (≤ CLUSTER_SUMMARY_CACHE_MS old), one Redis the new.
    expect(prices((await store.readWithSummaries(key))!.summaries)).toEqual({ 31: clustered ? 3100 : 3200 });
    expect(CLUSTER_SUMMARY_CACHE_MS).toBeLessThanOrEqual(2000);
    expect(CLUSTER_SUMMARY_CACHE_ENTRIES).toBeGreaterThan(0);
  });
});
