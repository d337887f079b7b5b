import knexFactory, { type Knex } from 'knex';
import { Model } from 'objection';
import path from 'node:path';
import { statementTimeoutSql } from './sql-flavour';

export type { Knex };

const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'migrations');

/** Sets the session to UTC; run first on every new connection (knex's and shared/sql-batches'). */
export const SESSION_UTC_SQL = "SET time_zone = '+00:00'";

/** mysql2 connection options for a MySQL/MariaDB URL: utf8mb4, UTC on the wire, big numbers intact. */
export function mysqlConnectionOptions(databaseUrl: string) {
  const url = new URL(databaseUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.replace(/^\//, '') || undefined,
    charset: 'utf8mb4',
    timezone: 'Z',
    supportBigNumbers: true,
  };
}

type SessionConnection = {
  query: (sql: string, values: unknown[], cb: (error: (Error & { errno?: number }) | null) => void) => void;
};

/** MySQL's answer to a variable it does not know (MariaDB's max_statement_time). */
const ER_UNKNOWN_SYSTEM_VARIABLE = 1193;

/**
 * Limits a connection's statements to `timeoutMs`: MariaDB's max_statement_time (seconds, every statement),
 * else MySQL's max_execution_time (ms, SELECT only). A statement cut off fails with an error that
 * shared/db-errors classifies as the database being unavailable (503).
 */
function setStatementTimeout(
  connection: SessionConnection,
  timeoutMs: number,
  done: (error: Error | null) => void,
): void {
  // MariaDB's form first; a server that does not know its variable is MySQL (shared/sql-flavour).
  const mariadb = statementTimeoutSql('mariadb', timeoutMs);
  connection.query(mariadb.sql, mariadb.values, (error) => {
    if (error?.errno !== ER_UNKNOWN_SYSTEM_VARIABLE) return done(error);
    const mysql = statementTimeoutSql('mysql', timeoutMs);
    connection.query(mysql.sql, mysql.values, done);
  });
}

/** What a pool sets on each of its sessions besides UTC. */
export interface SessionLimits {
  /** Cuts off any statement running longer than this (ms); unset or 0: no limit. */
  statementTimeoutMs?: number;
}

/** How long a pool waits for a connection: to be made (mysql2's connectTimeout) and to be handed out. */
export interface PoolTimeouts {
  connectTimeoutMs?: number;
}

/** Knex options for a MySQL/MariaDB URL: utf8mb4, UTC on the wire and in the session. */
export function knexConfig(
  databaseUrl: string,
  poolMax = 10,
  limits: SessionLimits = {},
  timeouts: PoolTimeouts = {},
): Knex.Config {
  return {
    client: 'mysql2',
    connection: {
      ...mysqlConnectionOptions(databaseUrl),
      dateStrings: false,
      ...(timeouts.connectTimeoutMs ? { connectTimeout: timeouts.connectTimeoutMs } : {}),
    },
    ...(timeouts.connectTimeoutMs ? { acquireConnectionTimeout: timeouts.connectTimeoutMs } : {}),
    pool: {
      min: 0,
      max: poolMax,
      afterCreate(connection: SessionConnection, done: (error: Error | null, connection: unknown) => void) {
        connection.query(SESSION_UTC_SQL, [], (error) => {
          if (error || !limits.statementTimeoutMs) return done(error, connection);
          setStatementTimeout(connection, limits.statementTimeoutMs, (limitError) =>
            done(limitError, connection),
          );
        });
      },
    },
    migrations: {
      directory: MIGRATIONS_DIR,
      tableName: 'knex_migrations',
      loadExtensions: [path.extname(__filename)],
    },
  };
}

/** Creates the knex instance and binds objection's models to it. Callers own `destroy()`. */
export function createDatabase(databaseUrl: string, poolMax?: number, limits?: SessionLimits): Knex {
  const knex = knexFactory(knexConfig(databaseUrl, poolMax, limits));
  Model.knex(knex);
  return knex;
}

/** Creates the database named in the URL if it does not exist (utf8mb4, unicode collation). */
export async function ensureDatabaseExists(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = url.pathname.replace(/^\//, '');
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`database name "${name}" must be letters, digits and _`);
  url.pathname = '/';
  const admin = knexFactory(knexConfig(url.toString(), 1));
  try {
    await admin.raw(
      `CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await admin.destroy();
  }
}

/** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
export function withTransaction<T>(knex: Knex, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return knex.transaction(work);
}

/** MySQL/MariaDB duplicate-key error, for turning a unique-index race into a domain answer. */
export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  // knex raises the driver's error; objection wraps it (UniqueViolationError) and keeps it as nativeError.
  const { code, nativeError } = error as { code?: string; nativeError?: { code?: string } };
  return code === 'ER_DUP_ENTRY' || nativeError?.code === 'ER_DUP_ENTRY';
}
