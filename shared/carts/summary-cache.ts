import type { ProductSummary } from '../product-cache';

export interface SummaryCacheOptions {
  /** How long an entry is served after it was stored; 0 turns the cache off. */
  ttlMs: number;
  /** Most entries kept: past it, the oldest goes (which is also the one that expires first). */
  maxEntries: number;
  /** The clock, in ms (tests pass their own). */
  now?: () => number;
}

/**
 * A short, bounded, in-process cache of product summaries for the cart read on Redis Cluster (issue #19).
 * There a cart's summaries are one GET per line on up to every shard (each key in its own slot), after the
 * cart's own HGETALL; this cache turns a warm read back into that one HGETALL. Nothing tells a process that a
 * summary changed (product-cache deletes the Redis key), so an entry is trusted for `ttlMs` only: a price,
 * stock or status change shows in a cart read at most that long after the key was dropped. Orders never
 * price from it (they read the products table). Entries are kept in insertion order, so expired ones are
 * dropped from the front as new ones come in, and the size never exceeds `maxEntries`.
 */
export function productSummaryCache(options: SummaryCacheOptions) {
  const now = options.now ?? Date.now;
  const entries = new Map<number, { summary: ProductSummary; expiresAt: number }>();

  return {
    /** The summary stored for `productId` less than `ttlMs` ago, else undefined. */
    get(productId: number): ProductSummary | undefined {
      const entry = entries.get(productId);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(productId);
        return undefined;
      }
      return entry.summary;
    },

    /** Stores a summary just read from Redis (frozen: every cart read that gets it shares the object). */
    set(productId: number, summary: ProductSummary): void {
      if (options.ttlMs <= 0 || options.maxEntries <= 0) return;
      const at = now();
      // Re-inserted at the end, so the map stays ordered by expiry and the front is always the oldest.
      entries.delete(productId);
      for (const [id, entry] of entries) {
        if (entry.expiresAt > at && entries.size < options.maxEntries) break;
        entries.delete(id);
      }
      entries.set(productId, { summary: Object.freeze(summary), expiresAt: at + options.ttlMs });
    },

    get size(): number {
      return entries.size;
    },
  };
}

export type ProductSummaryCache = ReturnType<typeof productSummaryCache>;
