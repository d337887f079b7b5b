import { createHash } from 'node:crypto';
import { productSummaryKey, type ProductSummary } from '../product-cache';
import { appKey, type Redis } from '../redis';
import { getMany, isClustered, unlinkMany } from '../redis-keys';
import { CLUSTER_SUMMARY_CACHE_ENTRIES, CLUSTER_SUMMARY_CACHE_MS } from './cart-limits';
import type { CartLine } from './carts.repository';
import { productSummaryCache, type ProductSummaryCache } from './summary-cache';

/**
 * The Redis copy of a cart, one hash per cart:
 *   __id   the MySQL cart id (0: the owner has no cart row)
 *   __v    the cart's version (MySQL updated_at in epoch ms; 0 with __id 0)
 *   __gone 1 when the cart was deleted (a merged guest cart): a tombstone, so a late write cannot revive it
 *   <productId> → quantity, one field per line
 * A key that exists always has __id and __v, so an empty cart (present) differs from a missing key
 * (evicted, flushed, expired: rebuild from MySQL).
 */
export interface StoredCart {
  id: number;
  version: number;
  gone: boolean;
  lines: CartLine[];
}

export const NO_CART: StoredCart = { id: 0, version: 0, gone: false, lines: [] };

const ID_FIELD = '__id';
const VERSION_FIELD = '__v';
const GONE_FIELD = '__gone';

/**
 * Replaces the hash with the given state only if it is newer than the stored one: (id, version) compared
 * in that order. A cart's versions only grow, and a recreated cart has a larger id, so writes that reach
 * Redis out of order (two tabs, a slow rebuild racing a write) can never put an older state back.
 */
const APPLY_IF_NEWER = `
local stored = redis.call('HMGET', KEYS[1], '${ID_FIELD}', '${VERSION_FIELD}')
local id = tonumber(ARGV[1])
local version = tonumber(ARGV[2])
if stored[1] and stored[2] then
  local storedId = tonumber(stored[1])
  local storedVersion = tonumber(stored[2])
  if storedId > id or (storedId == id and storedVersion >= version) then
    return 0
  end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], '${ID_FIELD}', ARGV[1], '${VERSION_FIELD}', ARGV[2])
if ARGV[4] == '1' then
  redis.call('HSET', KEYS[1], '${GONE_FIELD}', '1')
end
for i = 5, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
`;
const APPLY_IF_NEWER_SHA = createHash('sha1').update(APPLY_IF_NEWER).digest('hex');

/**
 * The read path in one round trip: the cart hash, and the cached summary of each of its products (MGET on
 * keys built from ARGV[1] + product id). Building keys inside a script is fine on one Redis only: on Redis
 * Cluster the summaries are spread over every slot (one hot slot for the whole catalogue would be worse), so
 * there the read is HGETALL, then the summaries key by key (shared/redis-keys), each summary kept in the
 * process for a second (shared/carts/summary-cache.ts) so a warm read is the HGETALL alone.
 */
const READ_WITH_SUMMARIES = `
local hash = redis.call('HGETALL', KEYS[1])
if #hash == 0 then
  return {}
end
local keys = {}
for i = 1, #hash, 2 do
  if string.byte(hash[i], 1) ~= 95 then
    keys[#keys + 1] = ARGV[1] .. hash[i]
  end
end
if #keys == 0 then
  return {hash, {}}
end
return {hash, redis.call('MGET', unpack(keys))}
`;
const READ_WITH_SUMMARIES_SHA = createHash('sha1').update(READ_WITH_SUMMARIES).digest('hex');

async function evalScript(redis: Redis, script: string, sha: string, key: string, args: (string | number)[]) {
  try {
    return (await redis.evalsha(sha, 1, key, ...args)) as unknown;
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return (await redis.eval(script, 1, key, ...args)) as unknown;
  }
}

/** A stored cart with the cached summaries of its products; `missing` lists products not in the cache. */
export interface StoredCartWithSummaries {
  cart: StoredCart;
  summaries: Map<number, ProductSummary>;
  missing: number[];
}

export type CartKeyOwner = { userId: number } | { guestId: string };

const byProductId = (a: CartLine, b: CartLine): number => a.productId - b.productId;

/** Reads the __ fields and the lines of an HGETALL reply given as [field, value, field, value, ...]. */
function parseHash(flat: string[]): StoredCart | undefined {
  let id: string | undefined;
  let version: string | undefined;
  let gone = false;
  const lines: CartLine[] = [];
  for (let index = 0; index < flat.length; index += 2) {
    const field = flat[index]!;
    const value = flat[index + 1]!;
    if (field === ID_FIELD) id = value;
    else if (field === VERSION_FIELD) version = value;
    else if (field === GONE_FIELD) gone = value === '1';
    else lines.push({ productId: Number(field), quantity: Number(value) });
  }
  if (id === undefined || version === undefined) return undefined;
  return { id: Number(id), version: Number(version), gone, lines: lines.sort(byProductId) };
}

export interface CartStoreOptions {
  /**
   * The in-process summary cache of the cluster read path. Default: on Redis Cluster one of
   * CLUSTER_SUMMARY_CACHE_ENTRIES entries for CLUSTER_SUMMARY_CACHE_MS each; none on one Redis, whose read
   * is one script either way.
   */
  summaryCache?: ProductSummaryCache;
}

export function cartStore(redis: Redis, prefix: string, options: CartStoreOptions = {}) {
  const summaryCache =
    options.summaryCache ??
    (isClustered(redis)
      ? productSummaryCache({ ttlMs: CLUSTER_SUMMARY_CACHE_MS, maxEntries: CLUSTER_SUMMARY_CACHE_ENTRIES })
      : undefined);
  // The summary key of product N is summaryKeyBase + N; checked so a change of format cannot go unnoticed.
  const summaryKeyBase = productSummaryKey(prefix, 0).slice(0, -1);
  if (productSummaryKey(prefix, 12345) !== `${summaryKeyBase}12345`)
    throw new Error('cart-store: product summary keys are no longer <base><id>; update READ_WITH_SUMMARIES');

  /**
   * readWithSummaries on a cluster: the hash, then the summaries the process has not read within the last
   * second (each its own slot), key by key.
   */
  async function readWithSummariesKeyByKey(key: string): Promise<StoredCartWithSummaries | undefined> {
    const cart = parseHash(Object.entries(await redis.hgetall(key)).flat());
    if (!cart) return undefined;
    const summaries = new Map<number, ProductSummary>();
    const toRead: number[] = [];
    for (const { productId } of cart.lines) {
      const summary = summaryCache?.get(productId);
      if (summary) summaries.set(productId, summary);
      else toRead.push(productId);
    }
    const cached = await getMany(
      redis,
      toRead.map((id) => `${summaryKeyBase}${id}`),
    );
    const missing: number[] = [];
    toRead.forEach((id, index) => {
      const value = cached[index];
      if (!value) {
        missing.push(id);
        return;
      }
      const summary = JSON.parse(value) as ProductSummary;
      summaries.set(id, summary);
      summaryCache?.set(id, summary);
    });
    return { cart, summaries, missing };
  }

  return {
    keyOf(owner: CartKeyOwner): string {
      return 'userId' in owner
        ? appKey(prefix, 'cart', 'user', owner.userId)
        : appKey(prefix, 'cart', 'guest', owner.guestId);
    },

    /** The stored cart, or undefined when Redis does not hold this key. One HGETALL. */
    async read(key: string): Promise<StoredCart | undefined> {
      const hash = await redis.hgetall(key);
      return parseHash(Object.entries(hash).flat());
    },

    /**
     * The stored cart and the cached summaries of its products, in one round trip; undefined when Redis
     * does not hold the cart.
     */
    async readWithSummaries(key: string): Promise<StoredCartWithSummaries | undefined> {
      if (isClustered(redis)) return readWithSummariesKeyByKey(key);
      const reply = (await evalScript(redis, READ_WITH_SUMMARIES, READ_WITH_SUMMARIES_SHA, key, [
        summaryKeyBase,
      ])) as [string[], (string | null)[]] | [];
      if (reply.length === 0) return undefined;
      const [flat, cached] = reply;
      const cart = parseHash(flat);
      if (!cart) return undefined;
      // MGET answered in the hash's field order; map by product id before the lines were sorted.
      const summaries = new Map<number, ProductSummary>();
      const missing: number[] = [];
      let position = 0;
      for (let index = 0; index < flat.length; index += 2) {
        const field = flat[index]!;
        if (field.charCodeAt(0) === 95 /* '_' */) continue;
        const value = cached[position];
        position += 1;
        if (value) summaries.set(Number(field), JSON.parse(value) as ProductSummary);
        else missing.push(Number(field));
      }
      return { cart, summaries, missing };
    },

    /** Writes `cart` unless Redis already holds this state or a newer one; true when written. */
    async applyIfNewer(key: string, cart: StoredCart, ttlSeconds: number): Promise<boolean> {
      const args: (string | number)[] = [
        cart.id,
        cart.version,
        Math.max(1, Math.ceil(ttlSeconds)),
        cart.gone ? 1 : 0,
      ];
      for (const line of cart.lines) args.push(line.productId, line.quantity);
      let written: unknown;
      try {
        written = await redis.evalsha(APPLY_IF_NEWER_SHA, 1, key, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        written = await redis.eval(APPLY_IF_NEWER, 1, key, ...args);
      }
      return written === 1;
    },

    /**
     * Drops keys, so the next read rebuilds them from MySQL. Several carts (a merge drops the user's and the
     * guest's) are separate slots on a cluster: dropped one by one there, which is as safe, since each drop
     * only makes the next read rebuild its cart.
     */
    async invalidate(...keys: string[]): Promise<void> {
      await unlinkMany(redis, keys);
    },
  };
}

export type CartStore = ReturnType<typeof cartStore>;
