import type { Knex } from 'knex';
import type { SortOrder, SpecFilter } from './products.schemas';
import { booleanModeQuery, escapeLike, type SearchTerms } from './search-terms';

export interface ListingFilters {
  /** Null: no text search. */
  text: SearchTerms | null;
  /** Null: any category; else the chosen category and its descendants. */
  categoryIds: number[] | null;
  brands: string[];
  minPrice?: number;
  maxPrice?: number;
  inStock: boolean;
  specs: SpecFilter[];
}

export interface PageRequest {
  sort: SortOrder;
  /** Keyset position: rows strictly after this one in the sort order. */
  after?: { key?: number; id: number };
  limit: number;
  /** best_selling: first day (shop time zone) of the sales window. */
  salesSince: string;
}

export interface PageRow {
  id: number;
  /** The sort key of the row (absent for `newest`, which sorts by id alone). */
  key?: number;
}

export interface BrandCount {
  brand: string;
  count: number;
}

export interface FacetCounts {
  brands: BrandCount[];
  categories: Array<{ categoryId: number; count: number }>;
}

/** At most this many values per facet, the most frequent first. */
export const MAX_FACET_VALUES = 100;

const MATCH_COLUMNS = 'MATCH(p.name, p.brand, p.description)';

/**
 * Listing reads: one keyset page of product ids, and the facet counts. Every query is over active
 * products only, and every sort ends with the id, so the order is total and a cursor never skips a tie.
 */
export function productListingRepository(db: Knex) {
  function applyFilters(
    query: Knex.QueryBuilder,
    filters: ListingFilters,
    options: { brands: boolean },
  ): void {
    query.where('p.status', 'active');
    const text = filters.text;
    if (text && text.fulltextWords.length > 0) {
      query.whereRaw(`${MATCH_COLUMNS} AGAINST (? IN BOOLEAN MODE)`, [booleanModeQuery(text.fulltextWords)]);
    }
    for (const word of text?.prefixWords ?? []) {
      const pattern = escapeLike(word);
      query.whereRaw(`(p.name LIKE ? ESCAPE '!' OR p.name LIKE ? ESCAPE '!' OR p.brand LIKE ? ESCAPE '!')`, [
        `${pattern}%`,
        `% ${pattern}%`,
        `${pattern}%`,
      ]);
    }
    if (filters.categoryIds) query.whereIn('p.category_id', filters.categoryIds);
    if (options.brands && filters.brands.length > 0) query.whereIn('p.brand', filters.brands);
    if (filters.minPrice !== undefined) query.where('p.price', '>=', filters.minPrice);
    if (filters.maxPrice !== undefined) query.where('p.price', '<=', filters.maxPrice);
    if (filters.inStock) query.where('p.stock', '>', 0);
    for (const spec of filters.specs) {
      // The key is whitelisted to [a-z0-9_] and bound as a quoted JSON path, never spliced into SQL.
      query.whereRaw(`JSON_UNQUOTE(JSON_EXTRACT(p.specs, ?)) IN (${spec.values.map(() => '?').join(', ')})`, [
        `$."${spec.key}"`,
        ...spec.values,
      ]);
    }
  }

  /**
   * Relevance is computed from the row alone (name words starting with a query word count 4, a brand
   * starting with one counts 2), not from MATCH's score: InnoDB's score depends on corpus statistics,
   * so every insert would shift it and a cursor walk could skip or repeat rows.
   */
  function relevanceScore(text: SearchTerms | null): Knex.Raw {
    const words = text ? [...text.fulltextWords, ...text.prefixWords] : [];
    if (words.length === 0) return db.raw('0');
    const parts: string[] = [];
    const bindings: string[] = [];
    for (const word of words) {
      const pattern = escapeLike(word);
      parts.push(
        `(CASE WHEN p.name LIKE ? ESCAPE '!' OR p.name LIKE ? ESCAPE '!' THEN 4 ELSE 0 END` +
          ` + CASE WHEN p.brand LIKE ? ESCAPE '!' THEN 2 ELSE 0 END)`,
      );
      bindings.push(`${pattern}%`, `% ${pattern}%`, `${pattern}%`);
    }
    return db.raw(parts.join(' + '), bindings);
  }

  function toRows(rows: Array<{ id: number | string; sort_key?: number | string | null }>): PageRow[] {
    return rows.map((row) =>
      row.sort_key === undefined
        ? { id: Number(row.id) }
        : { id: Number(row.id), key: Number(row.sort_key ?? 0) },
    );
  }

  return {
    async findPage(filters: ListingFilters, page: PageRequest): Promise<PageRow[]> {
      const query = db('products as p');
      applyFilters(query, filters, { brands: true });
      const { after, limit } = page;
      switch (page.sort) {
        case 'newest':
          query.select('p.id').orderBy('p.id', 'desc').limit(limit);
          if (after) query.where('p.id', '<', after.id);
          return toRows(await query);
        case 'price_asc':
        case 'price_desc': {
          const asc = page.sort === 'price_asc';
          query
            .select('p.id', 'p.price as sort_key')
            .orderBy([
              { column: 'p.price', order: asc ? 'asc' : 'desc' },
              { column: 'p.id', order: asc ? 'asc' : 'desc' },
            ])
            .limit(limit);
          if (after) {
            // The redundant range on price lets MariaDB use the (status, price, id) index for the seek.
            const key = after.key ?? 0;
            query
              .where('p.price', asc ? '>=' : '<=', key)
              .where((or) =>
                or.where('p.price', asc ? '>' : '<', key).orWhere('p.id', asc ? '>' : '<', after.id),
              );
          }
          return toRows(await query);
        }
        case 'best_selling': {
          const sales = db('product_sales_stats')
            .where('day', '>=', page.salesSince)
            .groupBy('product_id')
            .select('product_id', db.raw('SUM(units) AS units'));
          const units = 'COALESCE(sales.units, 0)';
          query
            .leftJoin(sales.as('sales'), 'sales.product_id', 'p.id')
            .select('p.id', db.raw(`${units} AS sort_key`))
            .orderByRaw(`${units} DESC, p.id DESC`)
            .limit(limit);
          if (after) {
            const key = after.key ?? 0;
            query.where((or) =>
              or
                .whereRaw(`${units} < ?`, [key])
                .orWhere((tie) => tie.whereRaw(`${units} = ?`, [key]).where('p.id', '<', after.id)),
            );
          }
          return toRows(await query);
        }
        case 'relevance': {
          query.select('p.id', db.raw('(?) AS sort_key', [relevanceScore(filters.text)]));
          const ranked = db.from(query.as('ranked')).select('id', 'sort_key');
          if (after) {
            const key = after.key ?? 0;
            ranked.where((or) =>
              or
                .where('sort_key', '<', key)
                .orWhere((tie) => tie.where('sort_key', key).where('id', '<', after.id)),
            );
          }
          ranked.orderBy([
            { column: 'sort_key', order: 'desc' },
            { column: 'id', order: 'desc' },
          ]);
          return toRows(await ranked.limit(limit));
        }
      }
    },

    /**
     * Both facets from one GROUP BY (category, brand) over the query without its brand filter: brand
     * counts ignore the chosen brands (so a shopper can add more), category counts respect them (a
     * drill-down). One pass instead of two halves the FULLTEXT work; with the (status, category_id,
     * brand) index a browse without text is a covering index scan.
     */
    async facetCounts(filters: ListingFilters): Promise<FacetCounts> {
      const query = db('products as p');
      applyFilters(query, filters, { brands: false });
      query.select('p.category_id', 'p.brand').count({ total: '*' }).groupBy('p.category_id', 'p.brand');
      if (filters.brands.length > 0) {
        // Counted by MySQL, so "chosen" follows the column's collation exactly as the page's filter does.
        query.select(
          db.raw(`SUM(p.brand IN (${filters.brands.map(() => '?').join(', ')})) AS chosen`, filters.brands),
        );
      }
      const rows = (await query) as Array<{
        category_id: number;
        brand: string;
        total: number | string;
        chosen?: number | string | null;
      }>;
      const brands = new Map<string, BrandCount>();
      const categories = new Map<number, number>();
      for (const row of rows) {
        const total = Number(row.total);
        const key = row.brand.toLowerCase();
        const entry = brands.get(key) ?? { brand: row.brand, count: 0 };
        entry.count += total;
        brands.set(key, entry);
        const inPage = filters.brands.length > 0 ? Number(row.chosen ?? 0) : total;
        const categoryId = Number(row.category_id);
        if (inPage > 0) categories.set(categoryId, (categories.get(categoryId) ?? 0) + inPage);
      }
      return {
        brands: [...brands.values()]
          .sort((a, b) => b.count - a.count || (a.brand < b.brand ? -1 : a.brand > b.brand ? 1 : 0))
          .slice(0, MAX_FACET_VALUES),
        categories: [...categories.entries()]
          .map(([categoryId, count]) => ({ categoryId, count }))
          .sort((a, b) => b.count - a.count || a.categoryId - b.categoryId)
          .slice(0, MAX_FACET_VALUES),
      };
    },
  };
}

export type ProductListingRepository = ReturnType<typeof productListingRepository>;
