import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('categories', (t) => {
    t.increments('id').unsigned();
    t.integer('parent_id').unsigned().nullable().references('categories.id').onDelete('RESTRICT');
    t.string('slug', 80).notNullable().unique();
    t.string('name', 100).notNullable();
    t.integer('position').notNullable().defaultTo(0);
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
  });

  await knex.schema.createTable('products', (t) => {
    t.bigIncrements('id').unsigned();
    t.integer('category_id').unsigned().notNullable().references('categories.id').onDelete('RESTRICT');
    t.string('sku', 64).notNullable().unique();
    t.string('name', 200).notNullable();
    t.string('brand', 80).notNullable();
    t.text('description').notNullable();
    t.integer('price').unsigned().notNullable().comment('integer won');
    t.integer('stock').unsigned().notNullable().defaultTo(0);
    t.enum('status', ['active', 'deleted']).notNullable().defaultTo('active');
    t.json('specs').nullable();
    t.integer('version')
      .unsigned()
      .notNullable()
      .defaultTo(1)
      .comment('optimistic concurrency for admin updates');
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('deleted_at', { precision: 3 }).nullable();
    t.index(['status', 'category_id', 'id']);
    t.index(['status', 'brand', 'id']);
    t.index(['status', 'price', 'id']);
    t.index(['status', 'created_at', 'id']);
  });
  await knex.raw('ALTER TABLE products ADD FULLTEXT INDEX products_fulltext (name, brand, description)');

  await knex.schema.createTable('product_images', (t) => {
    t.bigIncrements('id').unsigned();
    t.bigInteger('product_id').unsigned().notNullable().references('products.id').onDelete('CASCADE');
    t.string('url', 2048).notNullable();
    t.integer('position').notNullable().defaultTo(0);
    t.boolean('is_primary').notNullable().defaultTo(false);
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['product_id', 'position']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('product_images');
  await knex.schema.dropTable('products');
  await knex.schema.dropTable('categories');
}
