/**
 * A large synthetic catalogue for benchmarks, built on the demo categories and model tables. Product n
 * (1-based) always gets sku `GEN-<n, 9 digits>` and the same name, price and specs, so runs are
 * reproducible and resumable: a run inserts numbers after the highest one present, up to `count`.
 */
import type { Knex } from 'knex';
import {
  IMAGE_BASE_URL,
  productLines,
  productName,
  stableHash,
  stockFor,
  type ProductLine,
  type VariantRow,
} from './catalogue-data';

export const GENERATED_SKU_PREFIX = 'GEN-';
const SKU_DIGITS = 9;
const GENERATED_SKU = new RegExp(`^${GENERATED_SKU_PREFIX}(\\d{${SKU_DIGITS}})$`);
const MAX_GENERATED = 10 ** SKU_DIGITS - 1;
/** 8 bound columns per row must stay under MySQL's 65,535 placeholders per statement. */
const MAX_BATCH_SIZE = 5000;

export interface GenerateProductsOptions {
  /** How many generated products should exist afterwards (GEN-000000001 … GEN-<count>). */
  count: number;
  batchSize?: number;
  /** Called after each committed batch with rows inserted so far and rows this run will insert. */
  onProgress?: (done: number, total: number) => void;
}

export interface GenerateProductsResult {
  inserted: number;
  seconds: number;
}

export function generatedSku(number: number): string {
  return `${GENERATED_SKU_PREFIX}${String(number).padStart(SKU_DIGITS, '0')}`;
}

/** ±15% around the model's price, rounded to a shop-like price (…9,000 or …900 won). */
function generatedPrice(basePrice: number, number: number): number {
  const factor = 0.85 + (stableHash(`price-${number}`) % 31) / 100;
  const raw = basePrice * factor;
  const step = raw >= 100_000 ? 10_000 : 1_000;
  return Math.max(step, Math.round(raw / step) * step) - step / 10;
}

function pick(number: number): { line: ProductLine; variant: VariantRow } {
  const line = productLines[number % productLines.length];
  const variant = line?.variants[Math.floor(number / productLines.length) % line.variants.length];
  if (!line || !variant) throw new Error('the catalogue has no product lines to generate from');
  return { line, variant };
}

function generatedRow(number: number, categoryIds: Map<string, number>) {
  const { line, variant } = pick(number);
  const [label, price, variantSpecs] = variant;
  const categoryId = categoryIds.get(line.categorySlug);
  if (categoryId === undefined)
    throw new Error(`category ${line.categorySlug} is missing: run seedDemo first`);
  const sku = generatedSku(number);
  return {
    category_id: categoryId,
    sku,
    name: `${productName(line, label)} (variant ${number})`,
    brand: line.brand,
    description: line.description,
    price: generatedPrice(price, number),
    stock: stockFor(stableHash(sku)),
    specs: JSON.stringify({ ...line.specs, ...variantSpecs }),
  };
}

async function highestGeneratedNumber(knex: Knex): Promise<number> {
  // A range on the unique sku index: MAX() is answered from the index without scanning products.
  const row = await knex('products')
    .whereBetween('sku', [generatedSku(0), generatedSku(MAX_GENERATED)])
    .max<{ sku: string | null }>('sku as sku')
    .first();
  if (!row?.sku) return 0;
  const match = GENERATED_SKU.exec(row.sku);
  if (!match?.[1]) throw new Error(`unexpected generated sku ${row.sku}: expected ${generatedSku(1)} style`);
  return Number(match[1]);
}

/**
 * Inserts generated products numbered after the highest existing one up to `count`, `batchSize` rows per
 * transaction (products and their primary images commit together, so an interrupted run resumes cleanly).
 * Needs the demo categories in place (`seedDemo`).
 */
export async function generateProducts(
  knex: Knex,
  { count, batchSize = 1000, onProgress }: GenerateProductsOptions,
): Promise<GenerateProductsResult> {
  if (!Number.isInteger(count) || count < 0 || count > MAX_GENERATED) {
    throw new Error(`count must be an integer from 0 to ${MAX_GENERATED}, got ${count}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new Error(`batchSize must be an integer from 1 to ${MAX_BATCH_SIZE}, got ${batchSize}`);
  }
  const startedAt = performance.now();
  const categoryRows = await knex('categories')
    .whereIn('slug', [...new Set(productLines.map((line) => line.categorySlug))])
    .select<Array<{ id: number; slug: string }>>('id', 'slug');
  const categoryIds = new Map(categoryRows.map((row) => [row.slug, row.id]));

  const first = (await highestGeneratedNumber(knex)) + 1;
  const total = Math.max(0, count - first + 1);
  let done = 0;
  for (let from = first; from <= count; from += batchSize) {
    const to = Math.min(count, from + batchSize - 1);
    const rows = Array.from({ length: to - from + 1 }, (_, offset) =>
      generatedRow(from + offset, categoryIds),
    );
    await knex.transaction(async (trx) => {
      // A plain insert: a duplicate here means another generator is running, which should fail loudly.
      await trx('products').insert(rows);
      await trx.raw(
        `INSERT INTO product_images (product_id, url, position, is_primary)
         SELECT id, CONCAT(?, LOWER(sku), '-1.jpg'), 0, TRUE FROM products WHERE sku BETWEEN ? AND ?`,
        [`${IMAGE_BASE_URL}/`, generatedSku(from), generatedSku(to)],
      );
    });
    done += rows.length;
    onProgress?.(done, total);
  }
  return { inserted: done, seconds: (performance.now() - startedAt) / 1000 };
}
