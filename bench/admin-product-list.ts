/**
 * The admin console's product table (GET /api/admin/products) at catalogue scale, on the repository alone:
 * a scratch database with BENCH_PRODUCTS (50,000) products over 20 categories and 40 brands, a tenth of them
 * deleted, then each case's page (list + count) timed over 10 runs after a warm-up. The database is dropped
 * afterwards. MariaDB at BENCH_MYSQL_URL (default mysql://voltmall:voltmall@127.0.0.1:3306).
 * Run: npx tsx bench/admin-product-list.ts   (docs/admin.md has the numbers)
 */
import { randomBytes } from 'node:crypto';
import { adminProductsRepository } from '../bff/catalogue/admin-products.repository';
import { adminProductListQuery } from '../bff/catalogue/admin-products.schemas';
import { createDatabase, ensureDatabaseExists } from '../shared/db';

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 50_000);
const CASES = [
  '',
  '?status=active&stock=low',
  '?q=galaxy',
  '?q=SKU-4999',
  '?brand=Brand7&sort=price',
  `?categoryId=1&sort=-stock`,
  '?sort=-updatedAt&page=400',
];

async function main(): Promise<void> {
  const name = `vm_bench_admin_products_${randomBytes(4).toString('hex')}`;
  const url = `${process.env.BENCH_MYSQL_URL ?? 'mysql://voltmall:voltmall@127.0.0.1:3306'}/${name}`;
  await ensureDatabaseExists(url);
  const db = createDatabase(url, 5);
  try {
    await db.migrate.latest();
    const categories: number[] = [];
    for (let c = 0; c < 20; c += 1)
      categories.push(Number((await db('categories').insert({ slug: `c${c}`, name: `Category ${c}` }))[0]));
    for (let start = 0; start < PRODUCTS; start += 2000) {
      const rows = [];
      for (let i = start; i < Math.min(PRODUCTS, start + 2000); i += 1) {
        const at = new Date(Date.UTC(2026, 0, 1) + i * 1000);
        rows.push({
          category_id: categories[i % 20],
          sku: `SKU-${i}`,
          name: `Product ${i} ${i % 7 === 0 ? 'Galaxy' : 'Thing'}`,
          brand: `Brand${i % 40}`,
          description: '',
          price: 1000 + ((i * 37) % 100_000),
          stock: i % 13,
          status: i % 10 === 0 ? 'deleted' : 'active',
          created_at: at,
          updated_at: at,
        });
      }
      await db('products').insert(rows);
    }
    await db.raw('ANALYZE TABLE products');
    const repository = adminProductsRepository(db);
    console.log(`GET /api/admin/products on ${PRODUCTS} products: one page (list + count), mean of 10`);
    for (const search of CASES) {
      const query = adminProductListQuery.parse(Object.fromEntries(new URLSearchParams(search)));
      await repository.list(query);
      const started = performance.now();
      for (let run = 0; run < 10; run += 1) await repository.list(query);
      console.log(
        `  ${(search || '(default)').padEnd(28)} ${((performance.now() - started) / 10).toFixed(1)} ms`,
      );
    }
  } finally {
    await db.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
