import type { Knex } from 'knex';
import { REPLICA_STALENESS_BOUND_MS } from './read-replica';
import { appKey, type Redis } from './redis';
import { getMany, setManyWithTtl, unlinkMany } from './redis-keys';

/**
 * The Redis-cached product summary: what a cart line or a listing needs to show price, name and
 * availability without touching MySQL. Written on a miss (cache-aside), deleted on every admin change and
 * on every stock change, and bounded by a TTL so a lost invalidation heals by itself.
 */
export interface ProductSummary {
  id: number;
  name: string;
  brand: string;
  price: number;
  stock: number;
  status: 'active' | 'deleted';
  imageUrl: string | null;
  categoryId: number;
}

export type Availability = 'in_stock' | 'low_stock' | 'out_of_stock' | 'removed';

/** At or below this many units a product shows as low on stock. */
export const LOW_STOCK_THRESHOLD = 5;
export const PRODUCT_CACHE_TTL_SECONDS = 600;

export function availabilityOf(summary: Pick<ProductSummary, 'stock' | 'status'>, wanted = 1): Availability {
  if (summary.status !== 'active') return 'removed';
  if (summary.stock <= 0 || summary.stock < wanted) return 'out_of_stock';
  return summary.stock <= LOW_STOCK_THRESHOLD ? 'low_stock' : 'in_stock';
}

export const productSummaryKey = (prefix: string, id: number): string =>
  appKey(prefix, 'product', 'summary', id);
export const productDetailKey = (prefix: string, id: number): string =>
  appKey(prefix, 'product', 'detail', id);

/**
 * Summaries for `ids` straight from MySQL (primary image included), bypassing Redis: the loader behind
 * {@link getProductSummaries}, and the fallback of a reader that must keep working while Redis is down.
 */
export async function loadProductSummaries(db: Knex, ids: number[]): Promise<ProductSummary[]> {
  if (ids.length === 0) return [];
  const rows = (await db('products as p')
    .leftJoin('product_images as i', function joinPrimary() {
      this.on('i.product_id', '=', 'p.id').andOn('i.is_primary', '=', db.raw('1'));
    })
    .whereIn('p.id', ids)
    .select(
      'p.id',
      'p.name',
      'p.brand',
      'p.price',
      'p.stock',
      'p.status',
      'i.url as imageUrl',
      'p.category_id as categoryId',
    )) as ProductSummary[];
  const unique = new Map<number, ProductSummary>();
  for (const row of rows)
    if (!unique.has(Number(row.id)))
      unique.set(Number(row.id), { ...row, id: Number(row.id), categoryId: Number(row.categoryId) });
  return [...unique.values()];
}

/**
 * Summaries for `ids` in one MGET; misses are loaded from MySQL in one query and cached. Unknown ids are
 * absent from the result.
 */
export async function getProductSummaries(
  deps: { db: Knex; redis: Redis; prefix: string },
  ids: number[],
): Promise<Map<number, ProductSummary>> {
  const result = new Map<number, ProductSummary>();
  if (ids.length === 0) return result;
  const cached = await getMany(
    deps.redis,
    ids.map((id) => productSummaryKey(deps.prefix, id)),
  );
  const missing: number[] = [];
  ids.forEach((id, index) => {
    const value = cached[index];
    if (value) result.set(id, JSON.parse(value) as ProductSummary);
    else missing.push(id);
  });
  if (missing.length > 0) {
    const loaded = await loadProductSummaries(deps.db, missing);
    for (const summary of loaded) result.set(summary.id, summary);
    await setManyWithTtl(
      deps.redis,
      loaded.map((summary) => ({
        key: productSummaryKey(deps.prefix, summary.id),
        value: JSON.stringify(summary),
      })),
      PRODUCT_CACHE_TTL_SECONDS,
    );
  }
  return result;
}

/** Drops the cached summary and detail of each product; call after any change to a product or its stock. */
export async function invalidateProducts(redis: Redis, prefix: string, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await unlinkMany(
    redis,
    ids.flatMap((id) => [productSummaryKey(prefix, id), productDetailKey(prefix, id)]),
  );
}

/**
 * Key of the product-listing generation: a counter that is part of every cached listing page, so bumping
 * it retires all of them at once (there is no way to know which cached pages one product appears on).
 */
export const productListingGenerationKey = (prefix: string): string =>
  appKey(prefix, 'product', 'listing', 'generation');

/**
 * Present for {@link REPLICA_STALENESS_BOUND_MS} after a listing change: listing pages are then computed on the
 * primary, since a read replica may not hold the change yet and the page would be cached without it.
 */
export const productListingChangedKey = (prefix: string): string =>
  appKey(prefix, 'product', 'listing', 'changed');

/** Key of one cached listing page; `queryDigest` identifies the query, sort, page size and cursor. */
export const productListingPageKey = (prefix: string, queryDigest: string): string =>
  appKey(prefix, 'product', 'listing', 'page', queryDigest);

/**
 * Retires every cached listing page; call after a change that can move a product in or out of a listing
 * or reorder it (create, edit, delete, restore). Stock moves need not call it: listed items show live
 * availability from the summaries, and the `inStock` filter may lag by the page TTL.
 */
export async function invalidateProductListings(redis: Redis, prefix: string): Promise<void> {
  await Promise.all([
    redis.set(productListingChangedKey(prefix), '1', 'PX', REPLICA_STALENESS_BOUND_MS),
    redis.incr(productListingGenerationKey(prefix)),
  ]);
}
