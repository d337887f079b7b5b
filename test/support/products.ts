import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

/** Inserts products with the given price and stock (and a category for them); returns their ids in order. */
export async function insertProducts(
  db: Knex,
  products: { name?: string; price: number; stock: number }[],
): Promise<number[]> {
  const slug = `test-${randomBytes(4).toString('hex')}`;
  const [categoryId] = await db('categories').insert({ slug, name: 'Test category' });
  const ids: number[] = [];
  for (const [index, product] of products.entries()) {
    const [id] = await db('products').insert({
      category_id: categoryId,
      sku: `${slug}-${index}`,
      name: product.name ?? `Test product ${index}`,
      brand: 'Testbrand',
      description: 'A product made by a test',
      price: product.price,
      stock: product.stock,
    });
    ids.push(Number(id));
  }
  return ids;
}

/** Stock, reservations and releases of one product, for the invariant checks. */
export async function stockPicture(db: Knex, productId: number) {
  const { stock } = await db('products').where({ id: productId }).first('stock');
  const held = (await db('order_items as i')
    .join('orders as o', 'o.id', 'i.order_id')
    .where('i.product_id', productId)
    .whereIn('o.status', ['STOCK_RESERVED', 'CONFIRMED', 'CANCEL_REQUESTED'])
    .sum({ units: 'i.quantity' })
    .first()) as { units: string | number | null };
  const ledger = (await db('stock_ledger')
    .where({ product_id: productId })
    .sum({ total: 'quantity' })
    .first()) as {
    total: string | number | null;
  };
  return { stock: Number(stock), held: Number(held.units ?? 0), ledgerTotal: Number(ledger.total ?? 0) };
}
