import type { Knex } from 'knex';

/**
 * A customer's cancel is a durable request: the BFF records when it was accepted on the order row, in the
 * statement that answers, and the charge step reads it before charging (shared/orders/order-state-machine.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => {
    t.datetime('cancel_requested_at', { precision: 3 }).nullable().after('cancelled_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => {
    t.dropColumn('cancel_requested_at');
  });
}
