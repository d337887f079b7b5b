import type { Knex } from 'knex';
import { LOW_STOCK_THRESHOLD } from '../../shared/product-cache';
import type { AdminProductListQuery, AdminProductSort } from './admin-products.schemas';
import { escapeLike } from './search-terms';

export interface AdminProductListRow {
  id: number;
  sku: string;
  name: string;
  brand: string;
  categoryId: number;
  categoryName: string;
  price: number;
  stock: number;
  status: 'active' | 'deleted';
  primaryImageUrl: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

export interface StockLedgerRow {
  id: number;
  delta: number;
  reason: string | null;
  adminId: number | null;
  orderId: number | null;
  kind: 'reserve' | 'release' | 'adjust';
  createdAt: Date;
}

interface ListRow {
  id: number | string;
  sku: string;
  name: string;
  brand: string;
  category_id: number | string;
  category_name: string;
  price: number;
  stock: number;
  status: 'active' | 'deleted';
  primary_image_url: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

const SORT_COLUMNS: Record<string, string> = {
  name: 'p.name',
  price: 'p.price',
  stock: 'p.stock',
  updatedAt: 'p.updated_at',
  createdAt: 'p.created_at',
};

function orderOf(sort: AdminProductSort): { column: string; order: 'asc' | 'desc' }[] {
  const descending = sort.startsWith('-');
  const column = SORT_COLUMNS[descending ? sort.slice(1) : sort]!;
  const order = descending ? 'desc' : 'asc';
  return [
    { column, order },
    { column: 'p.id', order },
  ];
}

type Filters = Omit<AdminProductListQuery, 'sort' | 'page' | 'pageSize'>;

function applyFilters(query: Knex.QueryBuilder, filters: Filters): Knex.QueryBuilder {
  // Both statuses named for `all` too: the (status, category_id | brand, …) indexes then still apply.
  query.whereIn('p.status', filters.status === 'all' ? ['active', 'deleted'] : [filters.status]);
  if (filters.categoryId !== undefined) query.where('p.category_id', filters.categoryId);
  if (filters.brand !== undefined) query.where('p.brand', filters.brand);
  if (filters.stock === 'out') query.where('p.stock', 0);
  if (filters.stock === 'in') query.where('p.stock', '>', 0);
  if (filters.stock === 'low') query.whereBetween('p.stock', [1, LOW_STOCK_THRESHOLD]);
  if (filters.q !== undefined) {
    const pattern = escapeLike(filters.q);
    // The sku prefix can use the sku's unique index; the name part is a scan of what the other filters left.
    query.where((match) =>
      match
        .whereRaw(`p.sku LIKE ? ESCAPE '!'`, [`${pattern}%`])
        .orWhereRaw(`p.name LIKE ? ESCAPE '!'`, [`%${pattern}%`]),
    );
  }
  return query;
}

/** Admin reads of the catalogue: every product whatever its status, brands, and a product's stock ledger. */
export function adminProductsRepository(db: Knex) {
  return {
    /** One page by offset (admins jump to a page), and the total matching the filters. */
    async list(query: AdminProductListQuery): Promise<{ rows: AdminProductListRow[]; total: number }> {
      const filtered = () => applyFilters(db('products as p'), query);
      const [countRow, rows] = await Promise.all([
        filtered().count<{ total: number | string }[]>({ total: '*' }),
        // No join: the page is read in the sort's index order and each of its rows looks up its category
        // and image (a join let the optimizer start from categories and sort every product).
        filtered()
          .select(
            'p.id',
            'p.sku',
            'p.name',
            'p.brand',
            'p.category_id',
            db.raw('(SELECT c.name FROM categories c WHERE c.id = p.category_id) AS category_name'),
            'p.price',
            'p.stock',
            'p.status',
            'p.version',
            'p.created_at',
            'p.updated_at',
            'p.deleted_at',
            // The image the shop shows first: primary, else the first by position (as the detail orders them).
            db.raw(
              `(SELECT i.url FROM product_images i WHERE i.product_id = p.id
                ORDER BY i.is_primary DESC, i.position, i.id LIMIT 1) AS primary_image_url`,
            ),
          )
          .orderBy(orderOf(query.sort))
          .limit(query.pageSize)
          .offset((query.page - 1) * query.pageSize),
      ]);
      return {
        total: Number(countRow[0]?.total ?? 0),
        rows: (rows as ListRow[]).map((row) => ({
          id: Number(row.id),
          sku: row.sku,
          name: row.name,
          brand: row.brand,
          categoryId: Number(row.category_id),
          categoryName: row.category_name,
          price: row.price,
          stock: row.stock,
          status: row.status,
          primaryImageUrl: row.primary_image_url ?? null,
          version: row.version,
          createdAt: row.created_at,
          updatedAt: row.updated_at,
          deletedAt: row.deleted_at,
        })),
      };
    },

    /** Every brand with its number of products (deleted ones included: the list filters by status too). */
    async brands(): Promise<{ brand: string; products: number }[]> {
      const rows = await db('products')
        .groupBy('brand')
        .orderBy('brand')
        .select<{ brand: string; products: number | string }[]>('brand', db.raw('COUNT(*) AS products'));
      return rows.map((row) => ({ brand: row.brand, products: Number(row.products) }));
    },

    /**
     * A product's ledger, newest first, keyset-paged on id, with the stock after each move. The ledger keeps
     * deltas, not levels: the level after a move is today's stock minus every later move, read in one
     * transaction so the stock and the moves agree. Every change of products.stock writes a ledger row
     * (orders' reserve/release, admins' adjustments); only a product's initial stock at creation has none.
     */
    async stockLedger(
      productId: number,
      page: { beforeId?: number; limit: number },
    ): Promise<{ rows: (StockLedgerRow & { stockAfter: number })[] } | undefined> {
      return db.transaction(
        async (trx) => {
          const product = await trx('products').where({ id: productId }).first<{ stock: number }>('stock');
          if (!product) return undefined;
          const query = trx('stock_ledger')
            .where({ product_id: productId })
            .orderBy('id', 'desc')
            .limit(page.limit + 1)
            .select<
              {
                id: number | string;
                quantity: number;
                reason: string | null;
                actor_user_id: number | string | null;
                order_id: number | string | null;
                kind: StockLedgerRow['kind'];
                created_at: Date;
              }[]
            >('id', 'quantity', 'reason', 'actor_user_id', 'order_id', 'kind', 'created_at');
          let laterMoves = 0;
          if (page.beforeId !== undefined) {
            query.where('id', '<', page.beforeId);
            const later = await trx('stock_ledger')
              .where({ product_id: productId })
              .where('id', '>=', page.beforeId)
              .sum<{ total: number | string | null }[]>({ total: 'quantity' });
            laterMoves = Number(later[0]?.total ?? 0);
          }
          const rows = await query;
          let stockAfter = product.stock - laterMoves;
          return {
            rows: rows.map((row) => {
              const view = {
                id: Number(row.id),
                delta: row.quantity,
                reason: row.reason,
                adminId: row.actor_user_id === null ? null : Number(row.actor_user_id),
                orderId: row.order_id === null ? null : Number(row.order_id),
                kind: row.kind,
                createdAt: row.created_at,
                stockAfter,
              };
              stockAfter -= row.quantity;
              return view;
            }),
          };
        },
        { readOnly: true },
      );
    },
  };
}
