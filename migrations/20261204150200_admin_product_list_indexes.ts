import type { Knex } from 'knex';

/**
 * The admin console's product table opens on every product, newest edit first (GET /api/admin/products
 * with status=all, sort=-updatedAt): without an index on (updated_at, id) that is a filesort of the whole
 * table for each page. The other sorts and filters of that list are either narrowed by the existing
 * (status, ...) indexes or run on a filtered few.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('products', (t) => {
    t.index(['updated_at', 'id'], 'products_updated_at_id_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('products', (t) => {
    t.dropIndex(['updated_at', 'id'], 'products_updated_at_id_index');
  });
}
