/**
 * Loads the demo catalogue (and, outside production, the demo accounts) into a migrated database.
 * Idempotent: rows are matched by slug, sku and email, so a second run inserts and changes nothing.
 */
import type { Knex } from 'knex';
import { demoCategories, demoProducts, type ProductSeed } from './catalogue-data';
import { ensureDemoAccounts } from './demo-accounts';

export interface SeedDemoOptions {
  nodeEnv: string;
  demoAccounts: boolean;
  /** Where skipped steps are reported; stderr by default. */
  log?: (line: string) => void;
}

export interface SeedDemoResult {
  /** Demo categories in place after the run (created now or before). */
  categories: number;
  /** Demo products in place after the run. */
  products: number;
  /** Demo accounts in place after the run; 0 when they were refused. */
  users: number;
}

const INSERT_BATCH = 500;

function writeStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function idsBySlug(trx: Knex.Transaction, slugs: string[]): Promise<Map<string, number>> {
  const rows = await trx('categories')
    .whereIn('slug', slugs)
    .select<Array<{ id: number; slug: string }>>('id', 'slug');
  return new Map(rows.map((row) => [row.slug, row.id]));
}

function requireId(ids: Map<string, number>, slug: string): number {
  const id = ids.get(slug);
  if (id === undefined) throw new Error(`category ${slug} is missing after it was upserted`);
  return id;
}

/**
 * On a duplicate slug, take the seed's name, position and parent. `updated_at` comes first because MySQL
 * applies the assignments left to right: it must compare against the old values, so an unchanged row
 * stays byte-for-byte the same.
 */
function categoryMerge(trx: Knex.Transaction): Record<string, Knex.Raw> {
  return {
    updated_at: trx.raw(
      'IF(name <=> VALUES(name) AND position <=> VALUES(position) AND parent_id <=> VALUES(parent_id), updated_at, NOW(3))',
    ),
    name: trx.raw('VALUES(name)'),
    position: trx.raw('VALUES(position)'),
    parent_id: trx.raw('VALUES(parent_id)'),
  };
}

/** The tree belongs to the seed, so names, order and parents follow the data. */
async function upsertCategories(trx: Knex.Transaction): Promise<Map<string, number>> {
  const topLevel = demoCategories.filter((category) => category.parentSlug === null);
  await trx('categories')
    .insert(topLevel.map(({ slug, name, position }) => ({ slug, name, position, parent_id: null })))
    .onConflict('slug')
    .merge(categoryMerge(trx));
  const parentIds = await idsBySlug(
    trx,
    topLevel.map((category) => category.slug),
  );
  const children = demoCategories.filter((category) => category.parentSlug !== null);
  await trx('categories')
    .insert(
      children.map(({ slug, name, position, parentSlug }) => ({
        slug,
        name,
        position,
        parent_id: requireId(parentIds, parentSlug ?? ''),
      })),
    )
    .onConflict('slug')
    .merge(categoryMerge(trx));
  return idsBySlug(
    trx,
    demoCategories.map((category) => category.slug),
  );
}

/**
 * Products are only inserted, never updated: once a product exists its stock, price and status are live
 * data owned by orders and admins, and a re-seed must not reset them or resurrect a deleted product.
 */
async function insertMissingProducts(trx: Knex.Transaction, categoryIds: Map<string, number>): Promise<void> {
  for (let start = 0; start < demoProducts.length; start += INSERT_BATCH) {
    const rows = demoProducts.slice(start, start + INSERT_BATCH).map((product) => ({
      category_id: requireId(categoryIds, product.categorySlug),
      sku: product.sku,
      name: product.name,
      brand: product.brand,
      description: product.description,
      price: product.price,
      stock: product.stock,
      specs: JSON.stringify(product.specs),
    }));
    // No-op update on the unique key rather than INSERT IGNORE, which would also swallow FK and
    // strict-mode errors as warnings.
    await trx('products').insert(rows).onConflict('sku').merge(['sku']);
  }
}

async function insertMissingImages(trx: Knex.Transaction): Promise<void> {
  const bySku = new Map<string, ProductSeed>(demoProducts.map((product) => [product.sku, product]));
  const withoutImages = await trx('products as p')
    .whereIn(
      'p.sku',
      demoProducts.map((product) => product.sku),
    )
    .whereNotExists(trx('product_images as i').select(trx.raw('1')).whereRaw('i.product_id = p.id'))
    .select<Array<{ id: number; sku: string }>>('p.id', 'p.sku');
  const rows = withoutImages.flatMap(({ id, sku }) =>
    (bySku.get(sku)?.imageUrls ?? []).map((url, position) => ({
      product_id: id,
      url,
      position,
      is_primary: position === 0,
    })),
  );
  for (let start = 0; start < rows.length; start += INSERT_BATCH) {
    await trx('product_images').insert(rows.slice(start, start + INSERT_BATCH));
  }
}

/**
 * Seeds the demo category tree, products with images and, unless refused by `nodeEnv`/`demoAccounts`,
 * the demo accounts, in one transaction. Safe to run any number of times.
 */
export async function seedDemo(knex: Knex, options: SeedDemoOptions): Promise<SeedDemoResult> {
  const log = options.log ?? writeStderr;
  return knex.transaction(async (trx) => {
    const categoryIds = await upsertCategories(trx);
    await insertMissingProducts(trx, categoryIds);
    await insertMissingImages(trx);
    const users = await ensureDemoAccounts(trx, options, log);
    return { categories: demoCategories.length, products: demoProducts.length, users };
  });
}
