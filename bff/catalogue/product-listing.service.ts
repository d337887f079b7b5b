import { createHash } from 'node:crypto';
import { addDays, shopDay } from '../../shared/shop-time';
import type { BffContext } from '../context';
import {
  availabilityOf,
  getProductSummaries,
  loadProductSummaries,
  productListingChangedKey,
  productListingGenerationKey,
  productListingPageKey,
  type Availability,
  type ProductSummary,
} from '../../shared/product-cache';
import { getMany } from '../../shared/redis-keys';
import { bestEffort } from './best-effort-cache';
import type { CategoriesService } from './categories.service';
import { decodeCursor, encodeCursor, queryFingerprint, type ListingPosition } from './listing-cursor';
import {
  productListingRepository,
  type BrandCount,
  type ListingFilters,
  type ProductListingRepository,
} from './product-listing.repository';
import {
  DEFAULT_PAGE_SIZE,
  type ListProductsQuery,
  type SortOrder,
  type SpecFilter,
} from './products.schemas';
import { parseSearchTerms } from './search-terms';

/** How long a computed listing page (ids, cursor, facets) is reused; admin changes retire it sooner. */
export const LISTING_CACHE_TTL_SECONDS = 30;
/** best_selling counts units sold over this many days, today (shop time zone) included. */
export const BEST_SELLING_WINDOW_DAYS = 30;

export interface ListingItem {
  id: number;
  name: string;
  brand: string;
  price: number;
  imageUrl: string | null;
  availability: Availability;
  categoryId: number;
}

export interface ListingFacets {
  brands: BrandCount[];
  categories: Array<{ id: number; slug: string; name: string; count: number }>;
}

export interface ListingPage {
  items: ListingItem[];
  nextCursor: string | null;
  /** Computed on the first page only (no cursor); null on later pages. */
  facets: ListingFacets | null;
}

/** What is cached per page: ids only, so items always show the live summary (price, availability). */
interface CachedPage {
  generation: string;
  ids: number[];
  nextCursor: string | null;
  facets: ListingFacets | null;
}

/** The first day of the best-selling window, as YYYY-MM-DD in the shop's time zone. */
export function salesWindowStart(timeZone: string, now = new Date()): string {
  return addDays(shopDay(now, timeZone), -(BEST_SELLING_WINDOW_DAYS - 1));
}

const emptyPage = (): ListingPage => ({
  items: [],
  nextCursor: null,
  facets: { brands: [], categories: [] },
});

/** Search, filter, sort and keyset pagination over active products, with facets on the first page. */
export function productListingService(
  ctx: Pick<BffContext, 'db' | 'reads' | 'redis' | 'config' | 'logger'>,
  categories: CategoriesService,
) {
  const prefix = ctx.config.REDIS_PREFIX;
  /**
   * Pages being computed right now, by cache key and generation: when a popular page expires, the
   * requests that miss together share one computation instead of each running the same SQL. Transient
   * coalescing only; nothing here outlives the computation or is needed by another instance.
   */
  const inFlight = new Map<string, Promise<CachedPage>>();

  async function facetsFor(
    repository: ProductListingRepository,
    filters: ListingFilters,
  ): Promise<ListingFacets> {
    const [{ brands, categories: categoryCounts }, refs] = await Promise.all([
      repository.facetCounts(filters),
      categories.refsById(),
    ]);
    return {
      brands,
      categories: categoryCounts.flatMap(({ categoryId, count }) => {
        const ref = refs.get(categoryId);
        return ref ? [{ ...ref, count }] : [];
      }),
    };
  }

  /** One page's ids, cursor and facets, read through `repository` (the replica's or the primary's). */
  async function computePage(
    repository: ProductListingRepository,
    filters: ListingFilters,
    sort: SortOrder,
    fingerprint: string,
    limit: number,
    after: ListingPosition | undefined,
  ): Promise<Omit<CachedPage, 'generation'>> {
    const salesSince = after?.since ?? salesWindowStart(ctx.config.SHOP_TIME_ZONE);
    const [rows, facets] = await Promise.all([
      repository.findPage(filters, { sort, after, limit: limit + 1, salesSince }),
      after ? null : facetsFor(repository, filters),
    ]);
    const pageRows = rows.slice(0, limit);
    const last = pageRows[pageRows.length - 1];
    const nextCursor =
      rows.length > limit && last
        ? encodeCursor({
            sort,
            fingerprint,
            key: last.key,
            id: last.id,
            since: sort === 'best_selling' ? salesSince : undefined,
          })
        : null;
    return { ids: pageRows.map((row) => row.id), nextCursor, facets };
  }

  function coalesce(key: string, compute: () => Promise<CachedPage>): Promise<CachedPage> {
    const running = inFlight.get(key);
    if (running) return running;
    const started = compute().finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  }

  async function summaries(ids: number[]): Promise<Map<number, ProductSummary>> {
    const cached = await bestEffort(ctx.logger, 'read product summaries', () =>
      getProductSummaries({ db: ctx.db, redis: ctx.redis, prefix }, ids),
    );
    return (
      cached ?? new Map((await loadProductSummaries(ctx.db, ids)).map((summary) => [summary.id, summary]))
    );
  }

  async function hydrate(ids: number[]): Promise<ListingItem[]> {
    const byId = await summaries(ids);
    return ids.flatMap((id) => {
      const summary = byId.get(id);
      // A product deleted between the id query and now is left out rather than shown as removed.
      if (!summary || summary.status !== 'active') return [];
      const { name, brand, price, imageUrl, categoryId } = summary;
      return [{ id, name, brand, price, imageUrl, availability: availabilityOf(summary), categoryId }];
    });
  }

  return {
    async list(query: ListProductsQuery, specs: SpecFilter[]): Promise<ListingPage> {
      const text = parseSearchTerms(query.q);
      const sort = query.sort ?? (text ? 'relevance' : 'newest');
      const brands = [...new Set(query.brand ?? [])].sort((a, b) => a.localeCompare(b));
      const canonical = {
        text,
        category: query.category?.toLowerCase() ?? null,
        brands: brands.map((brand) => brand.toLowerCase()),
        minPrice: query.minPrice ?? null,
        maxPrice: query.maxPrice ?? null,
        inStock: query.inStock === 'true',
        specs,
        sort,
      };
      const fingerprint = queryFingerprint(canonical);
      // Checked before anything else, so a bad cursor is a 400 even when the result would be empty.
      const after = query.cursor ? decodeCursor(query.cursor, { sort, fingerprint }) : undefined;

      if (text && text.fulltextWords.length === 0 && text.prefixWords.length === 0) return emptyPage();
      const categoryIds = query.category ? await categories.withDescendants(query.category) : null;
      if (query.category && !categoryIds) return emptyPage();

      const filters: ListingFilters = {
        text,
        categoryIds,
        brands,
        minPrice: query.minPrice,
        maxPrice: query.maxPrice,
        inStock: canonical.inStock,
        specs,
      };
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      const pageKey = productListingPageKey(
        prefix,
        createHash('sha256')
          .update(JSON.stringify([canonical, limit, query.cursor ?? null]))
          .digest('base64url'),
      );
      // The change fence matters only where a replica may serve the computation: read it only then.
      const keys = [productListingGenerationKey(prefix), pageKey];
      if (ctx.reads.hasReplica) keys.push(productListingChangedKey(prefix));
      const [generation, cachedJson, justChanged] =
        (await bestEffort(ctx.logger, 'read listing page', () => getMany(ctx.redis, keys))) ?? [];
      const currentGeneration = generation ?? '0';
      const cached = cachedJson ? (JSON.parse(cachedJson) as CachedPage) : undefined;
      const page =
        cached?.generation === currentGeneration
          ? cached
          : await coalesce(`${pageKey}@${currentGeneration}`, async () => {
              // Tagged with the generation read before computing: a change committed meanwhile retires it.
              // Computed on the read replica unless the catalogue changed so recently that the replica may
              // not hold the change yet (or Redis could not say): the page is cached, so it must show it.
              const computed: CachedPage = {
                generation: currentGeneration,
                ...(await ctx.reads.read(
                  (db) => computePage(productListingRepository(db), filters, sort, fingerprint, limit, after),
                  { primary: justChanged !== null }, // undefined too: Redis did not answer, or no replica
                )),
              };
              await bestEffort(ctx.logger, 'write listing page', () =>
                ctx.redis.set(pageKey, JSON.stringify(computed), 'EX', LISTING_CACHE_TTL_SECONDS),
              );
              return computed;
            });
      return { items: await hydrate(page.ids), nextCursor: page.nextCursor, facets: page.facets };
    },
  };
}
