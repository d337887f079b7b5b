import type { ProductSummary } from '../product-cache';
import { productSummaryCache } from './summary-cache';

const summary = (id: number, price = 1000): ProductSummary => ({
  id,
  name: `Product ${id}`,
  brand: 'Test',
  price,
  stock: 10,
  status: 'active',
  imageUrl: null,
  categoryId: 1,
});

describe('productSummaryCache', () => {
  it('when an entry is younger than the TTL, then it is served; at the TTL, then it is gone', () => {
    let now = 0;
    const cache = productSummaryCache({ ttlMs: 1000, maxEntries: 10, now: () => now });
    cache.set(1, summary(1));
    now = 999;
    expect(cache.get(1)).toEqual(summary(1));
    now = 1000;
    expect(cache.get(1)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('when more entries are stored than the bound, then the oldest go and the size stays at the bound', () => {
    let now = 0;
    const cache = productSummaryCache({ ttlMs: 60_000, maxEntries: 3, now: () => now });
    for (const id of [1, 2, 3, 4, 5]) {
      now += 1;
      cache.set(id, summary(id));
    }
    expect(cache.size).toBe(3);
    expect([1, 2, 3, 4, 5].map((id) => cache.get(id)?.id)).toEqual([undefined, undefined, 3, 4, 5]);
  });

  it('when an entry is stored again, then it counts as the newest and its TTL starts again', () => {
    let now = 0;
    const cache = productSummaryCache({ ttlMs: 100, maxEntries: 2, now: () => now });
    cache.set(1, summary(1, 1000));
    cache.set(2, summary(2));
    now = 50;
    cache.set(1, summary(1, 1100));
    cache.set(3, summary(3));
    expect(cache.get(2)).toBeUndefined();
    now = 120;
    expect(cache.get(1)?.price).toBe(1100);
  });

  it('when new entries come in, then expired ones are dropped even below the bound', () => {
    let now = 0;
    const cache = productSummaryCache({ ttlMs: 100, maxEntries: 1000, now: () => now });
    for (const id of [1, 2, 3]) cache.set(id, summary(id));
    now = 100;
    cache.set(4, summary(4));
    expect(cache.size).toBe(1);
  });

  it('when the TTL is 0, then nothing is kept', () => {
    const cache = productSummaryCache({ ttlMs: 0, maxEntries: 10 });
    cache.set(1, summary(1));
    expect(cache.get(1)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('when an entry is served, then it is frozen (every cart read shares the object)', () => {
    const cache = productSummaryCache({ ttlMs: 1000, maxEntries: 10 });
    cache.set(1, summary(1));
    expect(Object.isFrozen(cache.get(1))).toBe(true);
  });
});
