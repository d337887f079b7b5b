/**
 * The SQL that must differ between the two servers we run on, MariaDB (10.11+) and MySQL (8.0, 8.4), as plain
 * functions of the server's flavour; shared/sql-flavour.test.ts pins each form. Everything else we send is
 * one form both accept (docs/ARCHITECTURE.md, "SQL on MariaDB and MySQL"): keep it that way, and add a
 * function here only where no common form exists.
 */

export type SqlFlavour = 'mariadb' | 'mysql';

/** The flavour of a server from its `SELECT VERSION()` (MariaDB says so, e.g. `10.11.14-MariaDB-0+deb12u2`). */
export function sqlFlavourOf(version: string): SqlFlavour {
  return /mariadb/i.test(version) ? 'mariadb' : 'mysql';
}

export interface SqlStatementText {
  sql: string;
  values: unknown[];
}

/**
 * Limits the session's statements to `timeoutMs` (0: no limit). MariaDB: `max_statement_time` in seconds,
 * every statement. MySQL: `max_execution_time` in whole milliseconds, read-only SELECTs only (its writes
 * wait for locks up to `innodb_lock_wait_timeout` instead). Neither server knows the other's variable
 * (error 1193).
 */
export function statementTimeoutSql(flavour: SqlFlavour, timeoutMs: number): SqlStatementText {
  return flavour === 'mariadb'
    ? { sql: 'SET SESSION max_statement_time = ?', values: [timeoutMs / 1000] }
    : { sql: 'SET SESSION max_execution_time = ?', values: [Math.ceil(timeoutMs)] };
}

/** Reads the session's statement time limit back, in milliseconds, as the column `ms`. */
export function statementTimeoutReadSql(flavour: SqlFlavour): string {
  return flavour === 'mariadb'
    ? 'SELECT ROUND(@@SESSION.max_statement_time * 1000) AS ms'
    : 'SELECT @@SESSION.max_execution_time AS ms';
}

/**
 * The server error number of a statement cut off by that limit: MariaDB's ER_STATEMENT_TIMEOUT (1969, which
 * mysql2 has no code name for), MySQL's ER_QUERY_TIMEOUT (3024). shared/db-errors turns both into a 503.
 */
export function statementTimeoutErrno(flavour: SqlFlavour): number {
  return flavour === 'mariadb' ? 1969 : 3024;
}
