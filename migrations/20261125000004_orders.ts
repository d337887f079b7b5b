import type { Knex } from 'knex';

// A frozen copy of shared/orders/order-state-machine.ts (then order-status.ts) as of this migration: a later change to the app's list
// must come with its own migration, never alter what this one created.
const ORDER_STATUSES = [
  'PENDING',
  'STOCK_RESERVED',
  'CONFIRMED',
  'CANCEL_REQUESTED',
  'REJECTED',
  'PAYMENT_FAILED',
  'CANCELLED',
] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('orders', (t) => {
    t.bigIncrements('id').unsigned();
    t.bigInteger('user_id').unsigned().notNullable().references('users.id').onDelete('RESTRICT');
    t.enum('status', [...ORDER_STATUSES])
      .notNullable()
      .defaultTo('PENDING');
    t.integer('total').unsigned().notNullable().comment('integer won');
    t.string('idempotency_key', 128).notNullable();
    t.string('request_hash', 64)
      .notNullable()
      .comment('sha256 of the placing request body, for key reuse checks');
    t.string('failure_reason', 500).nullable();
    t.json('shipping_address').notNullable();
    t.string('payment_method', 30).notNullable();
    t.boolean('from_cart').notNullable().defaultTo(false);
    t.string('request_id', 128).nullable().comment('trace id of the placing request');
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('confirmed_at', { precision: 3 }).nullable();
    t.datetime('cancelled_at', { precision: 3 }).nullable();
    t.unique(['user_id', 'idempotency_key']);
    t.index(['user_id', 'id']);
    t.index(['status', 'updated_at']);
    t.index(['created_at']);
  });

  await knex.schema.createTable('order_items', (t) => {
    t.bigIncrements('id').unsigned();
    t.bigInteger('order_id').unsigned().notNullable().references('orders.id').onDelete('CASCADE');
    t.bigInteger('product_id').unsigned().notNullable().references('products.id').onDelete('RESTRICT');
    t.string('product_name', 200).notNullable().comment('snapshot at order time');
    t.integer('unit_price').unsigned().notNullable().comment('snapshot at order time, won');
    t.integer('quantity').unsigned().notNullable();
    t.integer('line_total').unsigned().notNullable();
    t.unique(['order_id', 'product_id']);
  });

  await knex.schema.createTable('stock_ledger', (t) => {
    t.bigIncrements('id').unsigned();
    t.bigInteger('order_id').unsigned().nullable().references('orders.id').onDelete('RESTRICT');
    t.bigInteger('product_id').unsigned().notNullable().references('products.id').onDelete('RESTRICT');
    t.enum('kind', ['reserve', 'release', 'adjust']).notNullable();
    t.integer('quantity').notNullable().comment('signed change applied to products.stock');
    t.string('reason', 200).nullable();
    t.bigInteger('actor_user_id').unsigned().nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    // NULL order ids (admin adjustments) never collide, so adjustments may repeat.
    t.unique(['order_id', 'product_id', 'kind']);
    t.index(['product_id', 'id']);
  });

  await knex.schema.createTable('payments', (t) => {
    t.bigIncrements('id').unsigned();
    t.bigInteger('order_id').unsigned().notNullable().references('orders.id').onDelete('RESTRICT');
    t.enum('kind', ['charge', 'refund']).notNullable();
    t.string('gateway_key', 100).notNullable().comment('idempotency key sent to the gateway');
    t.string('gateway_payment_key', 200).nullable();
    t.enum('status', ['pending', 'succeeded', 'failed', 'unknown']).notNullable().defaultTo('pending');
    t.integer('amount').unsigned().notNullable();
    t.integer('attempts').unsigned().notNullable().defaultTo(0);
    t.string('last_error', 500).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['order_id', 'kind']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('payments');
  await knex.schema.dropTable('stock_ledger');
  await knex.schema.dropTable('order_items');
  await knex.schema.dropTable('orders');
}
