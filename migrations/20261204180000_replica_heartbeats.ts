import type { Knex } from 'knex';

/**
 * Read-replica lag, measured the way pt-heartbeat does (shared/read-replica.ts): each BFF process writes its
 * own row on the primary every few hundred ms with its own clock, and reads the same row back from the
 * replica; now minus the replicated `beat_at_ms` is how far the replica is behind, whatever the replication
 * threads say. Rows of processes that are gone are deleted after a day.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('replica_heartbeats', (t) => {
    t.string('source', 64).primary();
    t.bigInteger('beat_at_ms').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('replica_heartbeats');
}
