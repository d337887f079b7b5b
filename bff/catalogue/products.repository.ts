import type { Knex } from 'knex';

export type SpecValue = string | number | boolean;
export type ProductSpecs = Record<string, SpecValue>;

export interface ProductRecord {
  id: number;
  categoryId: number;
  sku: string;
  name: string;
  brand: string;
  description: string;
  price: number;
  stock: number;
  status: 'active' | 'deleted';
  specs: ProductSpecs;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

/** Fields an admin edits directly (stock moves only through stock adjustments). */
export interface ProductChanges {
  categoryId?: number;
  sku?: string;
  name?: string;
  brand?: string;
  description?: string;
  price?: number;
  specs?: ProductSpecs;
}

interface ProductRow {
  id: number | string;
  category_id: number;
  sku: string;
  name: string;
  brand: string;
  description: string;
  price: number;
  stock: number;
  status: 'active' | 'deleted';
  specs: string | ProductSpecs | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

/** MariaDB's JSON is LONGTEXT (a string on the wire); MySQL's arrives parsed. */
function parseSpecs(value: ProductRow['specs']): ProductSpecs {
  if (value === null) return {};
  return typeof value === 'string' ? (JSON.parse(value) as ProductSpecs) : value;
}

function toRecord(row: ProductRow): ProductRecord {
  return {
    id: Number(row.id),
    categoryId: Number(row.category_id),
    sku: row.sku,
    name: row.name,
    brand: row.brand,
    description: row.description,
    price: row.price,
    stock: row.stock,
    status: row.status,
    specs: parseSpecs(row.specs),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
  };
}

function toColumns(changes: ProductChanges): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  if (changes.categoryId !== undefined) columns.category_id = changes.categoryId;
  if (changes.sku !== undefined) columns.sku = changes.sku;
  if (changes.name !== undefined) columns.name = changes.name;
  if (changes.brand !== undefined) columns.brand = changes.brand;
  if (changes.description !== undefined) columns.description = changes.description;
  if (changes.price !== undefined) columns.price = changes.price;
  if (changes.specs !== undefined) columns.specs = JSON.stringify(changes.specs);
  return columns;
}

/** The catalogue's reads and writes of the products table (stock moves: stock-adjustments.repository). */
export function productsRepository(db: Knex) {
  return {
    async findById(id: number, trx?: Knex.Transaction): Promise<ProductRecord | undefined> {
      const row = (await (trx ?? db)('products').where({ id }).first()) as ProductRow | undefined;
      return row && toRecord(row);
    },

    /** Reads and locks the row: admin writes to one product (and its images) run one at a time. */
    async findByIdForUpdate(id: number, trx: Knex.Transaction): Promise<ProductRecord | undefined> {
      const row = (await trx('products').where({ id }).forUpdate().first()) as ProductRow | undefined;
      return row && toRecord(row);
    },

    async insert(
      trx: Knex.Transaction,
      product: Required<Omit<ProductChanges, 'description' | 'specs'>> &
        Pick<ProductChanges, 'description' | 'specs'> & { stock: number },
    ): Promise<number> {
      const [id] = await trx('products').insert({
        ...toColumns(product),
        description: product.description ?? '',
        specs: JSON.stringify(product.specs ?? {}),
        stock: product.stock,
        status: 'active',
      });
      return Number(id);
    },

    /** Applies `changes` only if the row is at one of `versions`; returns whether it did. */
    async updateIfVersion(
      trx: Knex.Transaction,
      id: number,
      versions: number[],
      changes: ProductChanges,
    ): Promise<boolean> {
      const updated = await trx('products')
        .where({ id })
        .whereIn('version', versions)
        .update({ ...toColumns(changes), version: trx.raw('version + 1'), updated_at: trx.fn.now(3) });
      return updated === 1;
    },

    /** Soft delete / restore: moves the status and bumps the version, so edits based on before fail. */
    async setStatus(trx: Knex.Transaction, id: number, status: 'active' | 'deleted'): Promise<boolean> {
      const updated = await trx('products')
        .where({ id })
        .whereNot({ status })
        .update({
          status,
          deleted_at: status === 'deleted' ? trx.fn.now(3) : null,
          version: trx.raw('version + 1'),
          updated_at: trx.fn.now(3),
        });
      return updated === 1;
    },
  };
}

export type ProductsRepository = ReturnType<typeof productsRepository>;
