import type { Knex } from 'knex';

/**
 * The catalogue's facet index: listing facets are one GROUP BY (category_id, brand) over active products,
 * which this index answers as a covering scan in group order (no temporary table, no row lookups), and
 * whose category prefix serves category-filtered browsing too.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('products', (t) => {
    t.index(['status', 'category_id', 'brand'], 'products_status_category_brand_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('products', (t) => {
    t.dropIndex(['status', 'category_id', 'brand'], 'products_status_category_brand_index');
  });
}
