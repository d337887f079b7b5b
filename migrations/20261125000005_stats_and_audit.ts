import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('daily_sales_stats', (t) => {
    t.date('day').primary().comment('calendar day in the shop time zone');
    t.integer('orders').unsigned().notNullable().defaultTo(0);
    t.integer('units').unsigned().notNullable().defaultTo(0);
    t.bigInteger('revenue').notNullable().defaultTo(0);
    t.integer('refunded_orders').unsigned().notNullable().defaultTo(0);
    t.bigInteger('refunds').notNullable().defaultTo(0);
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
  });

  await knex.schema.createTable('product_sales_stats', (t) => {
    t.date('day').notNullable();
    t.bigInteger('product_id').unsigned().notNullable().references('products.id').onDelete('CASCADE');
    t.integer('units').notNullable().defaultTo(0);
    t.bigInteger('revenue').notNullable().defaultTo(0);
    t.primary(['day', 'product_id']);
    t.index(['product_id']);
  });

  await knex.schema.createTable('stats_applied_events', (t) => {
    t.bigInteger('order_id').unsigned().notNullable();
    t.enum('kind', ['confirmed', 'cancelled']).notNullable();
    t.datetime('applied_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.primary(['order_id', 'kind']);
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id').unsigned();
    t.bigInteger('actor_user_id').unsigned().nullable();
    t.string('action', 60).notNullable();
    t.string('entity_type', 40).notNullable();
    t.string('entity_id', 64).notNullable();
    t.json('before').nullable();
    t.json('after').nullable();
    t.string('request_id', 128).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['entity_type', 'entity_id']);
    t.index(['actor_user_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
  await knex.schema.dropTable('stats_applied_events');
  await knex.schema.dropTable('product_sales_stats');
  await knex.schema.dropTable('daily_sales_stats');
}
