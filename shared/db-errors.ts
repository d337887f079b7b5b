/**
 * Which database failures mean "the database is unavailable right now" rather than "this code has a bug":
 * the connection could not be made or was lost, the pool had no connection to give in time, the server is
 * shutting down or refuses more clients, or a statement was cut off by a lock or statement time limit. The
 * request that met one may succeed when retried, so it answers 503 with Retry-After, never 500.
 */
const UNAVAILABLE_CODES = new Set([
  // the network and the socket
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  // mysql2's protocol layer
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  // the server
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_SERVER_SHUTDOWN',
  'ER_NORMAL_SHUTDOWN',
  'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_QUERY_INTERRUPTED',
  'ER_STATEMENT_TIMEOUT',
  'ER_QUERY_TIMEOUT',
]);

/**
 * Server error numbers that mysql2 has no code name for: MariaDB's ER_STATEMENT_TIMEOUT (max_statement_time
 * exceeded) arrives with `errno` 1969 and no `code`.
 */
const UNAVAILABLE_ERRNOS = new Set([1969]);

/** Error names of the pool layers: knex/tarn's acquire timeout. */
const UNAVAILABLE_NAMES = new Set(['KnexTimeoutError', 'TimeoutError']);

/** True when `error` (or an error it wraps) says the database cannot serve the request right now. */
export function isDatabaseUnavailableError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const { code, errno, name, fatal, nativeError, cause } = current as {
      code?: unknown;
      errno?: unknown;
      name?: unknown;
      fatal?: unknown;
      nativeError?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if (typeof errno === 'number' && UNAVAILABLE_ERRNOS.has(errno)) return true;
    if (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) return true;
    // mysql2 marks errors after which the connection is unusable as fatal.
    if (fatal === true) return true;
    current = nativeError ?? cause;
  }
  return false;
}

/** Seconds a client should wait before retrying a request that met an unavailable database. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
