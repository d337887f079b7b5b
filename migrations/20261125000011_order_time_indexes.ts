import type { Knex } from 'knex';

/** Statistics rebuilds and reconciliation read orders by the day they were confirmed or cancelled. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => {
    t.index(['confirmed_at'], 'orders_confirmed_at_index');
    t.index(['cancelled_at'], 'orders_cancelled_at_index');
    t.index(['status', 'id'], 'orders_status_id_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => {
    t.dropIndex(['confirmed_at'], 'orders_confirmed_at_index');
    t.dropIndex(['cancelled_at'], 'orders_cancelled_at_index');
    t.dropIndex(['status', 'id'], 'orders_status_id_index');
  });
}
