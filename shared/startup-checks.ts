/**
 * What the BFF and the workers do before they open their pools: reach the database and Redis once each.
 *
 * An unreachable service (refused, timed out, host not found, server starting or shutting down) is logged in
 * one line naming the host:port and the reason, and retried with backoff (1, 2, 4, then every 5 s), one line
 * per attempt: the process says nothing about "listening" or "running" before it can serve. A configuration
 * error that no retry fixes (access denied, unknown database, Redis refusing the password) is one fatal line,
 * then exit code 78 (EX_CONFIG), which the supervisor of `npm start` does not restart-loop on
 * (scripts/supervise.mjs). No stack trace either way: the line says what failed.
 */
import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';
import { mysqlConnectionOptions } from './db';
import type { Logger } from './logger';

/** sysexits.h: a configuration error. */
export const EX_CONFIG = 78;

export type ProbeOutcome = { ok: true } | { ok: false; reason: string; config: boolean };

/** A network error's code as a few words; undefined when it is not a network error. */
function networkReason(code: string | undefined): string | undefined {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ETIMEDOUT':
      return 'timed out';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'PROTOCOL_CONNECTION_LOST':
      return 'connection closed by the server';
    default:
      return undefined;
  }
}

/** What a failed database connection means, and whether it is a configuration error (no retry helps). */
export function classifyDatabaseError(error: unknown): { reason: string; config: boolean } {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  const network = networkReason(code);
  if (network) return { reason: network, config: false };
  if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_DBACCESS_DENIED_ERROR') {
    return { reason: 'access denied (check the user and password in DATABASE_URL)', config: true };
  }
  if (code === 'ER_BAD_DB_ERROR') {
    return { reason: 'unknown database (check DATABASE_URL, or run npm run migrate)', config: true };
  }
  return { reason: String(message ?? code ?? error).split('\n')[0] ?? 'unknown error', config: false };
}

/** What a failed Redis connection means, and whether it is a configuration error. */
export function classifyRedisError(error: unknown): { reason: string; config: boolean } {
  const { code, message = '' } = (error ?? {}) as { code?: string; message?: string };
  const network = networkReason(code);
  if (network) return { reason: network, config: false };
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(message)) {
    return { reason: 'access denied (check the password in REDIS_URL)', config: true };
  }
  if (/connect ETIMEDOUT|timed? ?out/i.test(message)) return { reason: 'timed out', config: false };
  return { reason: message.split('\n')[0] || String(error), config: false };
}

function hostPort(url: string, defaultPort: number): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || defaultPort}`;
}

export async function probeDatabase(databaseUrl: string, timeoutMs: number): Promise<ProbeOutcome> {
  let connection: mysql.Connection | undefined;
  try {
    connection = await mysql.createConnection({
      ...mysqlConnectionOptions(databaseUrl),
      connectTimeout: timeoutMs,
    });
    await connection.query('SELECT 1');
    return { ok: true };
  } catch (error) {
    return { ok: false, ...classifyDatabaseError(error) };
  } finally {
    // destroy, not end: a half-open connection must not hold the probe.
    connection?.destroy();
  }
}

export async function probeRedis(redisUrl: string, timeoutMs: number): Promise<ProbeOutcome> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    disconnectTimeout: 100,
    connectionName: 'voltmall-startup-check',
  });
  let lastError: unknown;
  redis.on('error', (error) => (lastError = error));
  try {
    await redis.connect();
    await redis.ping();
    return { ok: true };
  } catch (error) {
    // ioredis reports "Connection is closed." when the socket failed; the 'error' event has the cause.
    const cause = /connection is closed/i.test((error as Error).message ?? '') ? (lastError ?? error) : error;
    return { ok: false, ...classifyRedisError(cause) };
  } finally {
    redis.disconnect();
  }
}

export interface StartupCheckOptions {
  /** Each probe's own time limit. */
  timeoutMs?: number;
  /** The wait after the first failed attempt; it doubles up to `maxDelayMs`. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Ends the process on a configuration error; tests replace it. */
  exit?: (code: number) => never;
}

/**
 * Resolves once the database and Redis both answer. Logs one warn line per failed attempt; exits 78 on a
 * configuration error (see the file's header).
 */
export async function waitForDependencies(
  urls: { DATABASE_URL: string; REDIS_URL: string },
  logger: Logger,
  options: StartupCheckOptions = {},
): Promise<void> {
  const { timeoutMs = 3000, firstDelayMs = 1000, maxDelayMs = 5000 } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const targets = [
    {
      what: 'database',
      at: hostPort(urls.DATABASE_URL, 3306),
      probe: () => probeDatabase(urls.DATABASE_URL, timeoutMs),
    },
    { what: 'redis', at: hostPort(urls.REDIS_URL, 6379), probe: () => probeRedis(urls.REDIS_URL, timeoutMs) },
  ];
  for (let attempt = 1; ; attempt += 1) {
    const outcomes = await Promise.all(targets.map((target) => target.probe()));
    const failed = targets
      .map((target, index) => ({ ...target, outcome: outcomes[index]! }))
      .filter((entry) => !entry.outcome.ok);
    if (failed.length === 0) {
      if (attempt > 1) logger.info({ attempts: attempt }, 'database and redis reachable');
      return;
    }
    const describe = (entry: (typeof failed)[number]) =>
      `${entry.what} at ${entry.at}: ${entry.outcome.ok ? 'ok' : entry.outcome.reason}`;
    const configErrors = failed.filter((entry) => !entry.outcome.ok && entry.outcome.config);
    if (configErrors.length > 0) {
      logger.fatal(
        { exitCode: EX_CONFIG },
        `cannot start: ${configErrors.map(describe).join('; ')} (a configuration error: not retrying)`,
      );
      logger.flush?.();
      return exit(EX_CONFIG);
    }
    const delayMs = Math.min(maxDelayMs, firstDelayMs * 2 ** (attempt - 1));
    logger.warn(
      { attempt, retryInMs: delayMs },
      `cannot reach ${failed.map(describe).join('; ')}; retrying in ${delayMs / 1000} s (attempt ${attempt})`,
    );
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}
