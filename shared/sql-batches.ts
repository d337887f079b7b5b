import mysql from 'mysql2/promise';
import { mysqlConnectionOptions, SESSION_UTC_SQL } from './db';

/**
 * Statements that travel to MySQL together: several statements in one round trip, and transactions whose
 * BEGIN rides with their first statements and COMMIT with their last. For the order flow's hot paths, where
 * each order costs a dozen statements and the round trips, not the statements, were most of the cost
 * (docs/orders.md#throughput). Everything else goes through knex.
 *
 * It has a pool of its own, because `multipleStatements` is a connection setting: knex's connections keep
 * it off. Statements here must take every value through `?` placeholders (escaped by mysql2), never by
 * string concatenation: with several statements allowed on a connection, an injected value could add one.
 */

/** One SQL statement and the values for its `?` placeholders. */
export interface SqlStatement {
  sql: string;
  values: readonly unknown[];
}

export const statement = (sql: string, values: readonly unknown[] = []): SqlStatement => ({ sql, values });

/** `?, ?, ?` for a list of values, e.g. `IN (${placeholders(ids)})`. */
export const placeholders = (values: readonly unknown[]): string => values.map(() => '?').join(', ');

/** What one statement answered: rows for a SELECT, a result header for everything else. */
export type StatementResult = Record<string, unknown>[] | mysql.ResultSetHeader;

export function rowsOf<Row>(result: StatementResult | undefined): Row[] {
  if (!Array.isArray(result)) throw new Error('expected the rows of a SELECT');
  return result as Row[];
}

export function affectedRows(result: StatementResult | undefined): number {
  if (result === undefined || Array.isArray(result)) throw new Error('expected the result of a write');
  return result.affectedRows;
}

export function insertId(result: StatementResult | undefined): number {
  if (result === undefined || Array.isArray(result)) throw new Error('expected the result of an INSERT');
  return Number(result.insertId);
}

/** A transaction on one connection. Every call is one round trip; results come back in statement order. */
export interface BatchTransaction {
  /** Runs the statements; the first call also begins the transaction (in the same round trip). */
  run(...statements: SqlStatement[]): Promise<StatementResult[]>;
  /** Runs the statements, then COMMIT: the transaction ends here. */
  commit(...statements: SqlStatement[]): Promise<StatementResult[]>;
  /** ROLLBACK, then the statements on their own (autocommit): the transaction ends here. */
  rollback(...statements: SqlStatement[]): Promise<StatementResult[]>;
}

export interface SqlBatches {
  /** Runs the statements in one round trip, each committed on its own (autocommit). */
  run(...statements: SqlStatement[]): Promise<StatementResult[]>;
  /**
   * Runs `work` in one transaction. `work` ends it with `commit` or `rollback`; if it returns without doing
   * so, or throws (a failed statement included), the transaction is rolled back and nothing it wrote stays.
   */
  transaction<T>(work: (tx: BatchTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const BEGIN = statement('BEGIN');
const COMMIT = statement('COMMIT');
const ROLLBACK = statement('ROLLBACK');

type Queryable = Pick<mysql.PoolConnection, 'query'>;

/** Sends the statements as one multi-statement query and returns one result per statement. */
async function send(connection: Queryable, statements: SqlStatement[]): Promise<StatementResult[]> {
  if (statements.length === 0) return [];
  const sql = statements.map((entry) => entry.sql).join(';\n');
  const values = statements.flatMap((entry) => entry.values);
  const [results] = await connection.query(sql, values);
  // One statement answers with its own result; several answer with a list of them.
  return (statements.length === 1 ? [results] : results) as StatementResult[];
}

export function createSqlBatches(databaseUrl: string, poolMax = 10): SqlBatches {
  const pool = mysql.createPool({
    // As knex's connections (shared/db.ts): utf8mb4, UTC on the wire and in the session.
    ...mysqlConnectionOptions(databaseUrl),
    multipleStatements: true,
    // No stack captured per query (mysql2's promise API does so by default, ~3% of a worker's CPU): an
    // error still names the statement's failure; its stack starts in mysql2 instead of the caller.
    trace: false,
    connectionLimit: poolMax,
    maxIdle: poolMax,
  });
  // Queued ahead of anything else on a new connection; one that cannot set it is not used.
  pool.pool.on('connection', (connection) => {
    connection.query(SESSION_UTC_SQL, (error) => {
      if (error) connection.destroy();
    });
  });

  return {
    async run(...statements) {
      return send(pool, statements);
    },

    async transaction(work) {
      const connection = await pool.getConnection();
      // Moved by the calls of `work`: idle (nothing sent), open (BEGIN sent), ended (COMMIT or ROLLBACK sent).
      let state = 'idle' as 'idle' | 'open' | 'ended';
      const step =
        (before: SqlStatement[], after: SqlStatement[], ends: boolean) =>
        async (...statements: SqlStatement[]) => {
          if (state === 'ended') throw new Error('the transaction has already ended');
          // Nothing begun yet: BEGIN goes first (a rollback of nothing needs no ROLLBACK, see `rollback`).
          const head = state === 'idle' ? [BEGIN, ...before] : before;
          state = 'open';
          const results = await send(connection, [...head, ...statements, ...after]);
          if (ends) state = 'ended';
          return results.slice(head.length, head.length + statements.length);
        };
      const rollbackThen = step([ROLLBACK], [], true);
      const tx: BatchTransaction = {
        run: step([], [], false),
        commit: step([], [COMMIT], true),
        async rollback(...statements) {
          if (state !== 'idle') return rollbackThen(...statements);
          state = 'ended'; // nothing was begun: the statements simply run
          return send(connection, statements);
        },
      };
      // Rolls back what is still open and returns the connection to the pool. A failed statement stops the
      // rest of its batch (COMMIT included) and leaves its transaction open, so this runs on errors too. A
      // connection that cannot even roll back is closed instead, which makes the server roll back.
      const finish = async (): Promise<void> => {
        if (state !== 'open') return connection.release();
        state = 'ended';
        await send(connection, [ROLLBACK]).then(
          () => connection.release(),
          () => connection.destroy(),
        );
      };
      try {
        const result = await work(tx);
        await finish();
        return result;
      } catch (error) {
        await finish();
        throw error;
      }
    },

    close: () => pool.end(),
  };
}
