import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { createDatabase, ensureDatabaseExists } from '../../shared/db';
import { createSqlBatches, type SqlBatches } from '../../shared/sql-batches';

export interface TestDatabase {
  url: string;
  name: string;
  db: Knex;
  /** Batched statements on the same database (a pool of its own, opened on first use). */
  sqlBatches: SqlBatches;
  /** Destroys the pools and drops the database. */
  drop(): Promise<void>;
}

/** A database of this test file's own, migrated to the latest schema. */
export async function createTestDatabase(
  label: string,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const name = `vm_t_${label.replace(/[^A-Za-z0-9]/g, '_').slice(0, 24)}_${randomBytes(4).toString('hex')}`;
  const url = `${process.env.TEST_MYSQL_URL ?? 'mysql://voltmall:voltmall@127.0.0.1:3306'}/${name}`;
  await ensureDatabaseExists(url);
  const db = createDatabase(url, 10);
  if (options.migrate !== false) await db.migrate.latest();
  const sqlBatches = createSqlBatches(url, 5);
  return {
    url,
    name,
    db,
    sqlBatches,
    async drop() {
      await sqlBatches.close();
      await db.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      await db.destroy();
    },
  };
}
