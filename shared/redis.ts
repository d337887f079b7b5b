import { Redis, type RedisOptions } from 'ioredis';

export { Redis };

/**
 * How a connection is used decides its failure behaviour:
 * - `worker`: BullMQ workers block on Redis; they must retry forever (`maxRetriesPerRequest: null`).
 * - `producer`/`client`: request paths fail fast so a Redis outage becomes a 503, not a hung request.
 */
export type RedisRole = 'worker' | 'producer' | 'client';

export function createRedis(
  url: string,
  role: RedisRole,
  extra: RedisOptions = {},
  onError: (error: Error) => void = () => undefined,
): Redis {
  const common: RedisOptions = {
    lazyConnect: false,
    connectionName: `voltmall-${role}`,
    // How long disconnect() waits for the socket to close before destroying it (ioredis: 2 s, on a timer that
    // keeps the process alive). Closing a connection that never came up should not hold shutdown.
    disconnectTimeout: 100,
  };
  const byRole: Record<RedisRole, RedisOptions> = {
    worker: { maxRetriesPerRequest: null, enableReadyCheck: false },
    producer: { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 },
    client: {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectTimeout: 2000,
      commandTimeout: 2000,
    },
  };
  const redis = new Redis(url, { ...common, ...byRole[role], ...extra });
  // Commands report their own failures; an unhandled 'error' event would crash the process.
  redis.on('error', onError);
  return redis;
}

/** Application keys live under `<prefix>:`; BullMQ's keys under `<prefix>:bull`. */
export function appKey(prefix: string, ...parts: (string | number)[]): string {
  return [prefix, ...parts].join(':');
}

export function bullPrefix(prefix: string): string {
  return `${prefix}:bull`;
}

/** Resolves once the connection is ready (bounded), so start-up fails clearly when Redis is down. */
export async function waitForRedis(redis: Redis, timeoutMs = 5000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis not ready after ${timeoutMs} ms`)), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Closes a connection cleanly (QUIT) when it is up, or drops it at once when it is not. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    await redis.quit().catch(() => redis.disconnect());
  } else {
    redis.disconnect();
  }
}

/**
 * Deletes every key under `<prefix>:` (application keys and BullMQ queues alike), in SCAN batches so a
 * large prefix never blocks Redis. For tests and benchmarks that own a prefix; never for a shared one.
 */
export async function deleteKeysWithPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    await closeRedis(redis);
  }
}
