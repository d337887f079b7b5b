import type { Knex } from 'knex';

/** The durable copy of carts: Redis serves reads, MySQL survives a Redis loss. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('carts', (t) => {
    t.bigIncrements('id').unsigned();
    t.bigInteger('user_id').unsigned().nullable().unique().references('users.id').onDelete('CASCADE');
    t.string('guest_id', 64).nullable().unique().comment('X-Cart-Id of a guest cart');
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['updated_at']);
  });

  await knex.schema.createTable('cart_items', (t) => {
    t.bigInteger('cart_id').unsigned().notNullable().references('carts.id').onDelete('CASCADE');
    t.bigInteger('product_id').unsigned().notNullable().references('products.id').onDelete('CASCADE');
    t.smallint('quantity').unsigned().notNullable();
    t.datetime('added_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.primary(['cart_id', 'product_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('cart_items');
  await knex.schema.dropTable('carts');
}
