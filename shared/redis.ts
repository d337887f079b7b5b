import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

export { Redis };

/**
 * Where Redis is: one server (`REDIS_URL`), or a Redis Cluster (`REDIS_CLUSTER_NODES`, comma-separated
 * host:port seeds; the client discovers the rest). A plain URL string means one server.
 */
export type RedisTarget = string | { REDIS_URL: string; REDIS_CLUSTER_NODES?: string[] };

/** The seed nodes of a cluster target, or undefined for one server. */
export function clusterNodesOf(target: RedisTarget): { host: string; port: number }[] | undefined {
  if (typeof target === 'string' || !target.REDIS_CLUSTER_NODES?.length) return undefined;
  return target.REDIS_CLUSTER_NODES.map((node) => {
    const at = node.lastIndexOf(':');
    return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
  });
}

/**
 * How a connection is used decides its failure behaviour:
 * - `worker`: BullMQ workers block on Redis; they must retry forever (`maxRetriesPerRequest: null`).
 * - `producer`/`client`: request paths fail fast so a Redis outage becomes a 503, not a hung request.
 */
export type RedisRole = 'worker' | 'producer' | 'client';

export function createRedis(
  target: RedisTarget,
  role: RedisRole,
  extra: RedisOptions = {},
  onError: (error: Error) => void = () => undefined,
  clusterExtra: Omit<ClusterOptions, 'redisOptions'> = {},
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
  const options: RedisOptions = { ...common, ...byRole[role], ...extra };
  const nodes = clusterNodesOf(target);
  // The one place a Cluster client is made. Its command API is Redis's (ioredis shares the Commander), so
  // callers keep the Redis type; isCluster tells the few that place keys differently (shared/redis-keys).
  const redis = nodes
    ? (createCluster(nodes, role, options, clusterExtra) as unknown as Redis)
    : new Redis(typeof target === 'string' ? target : target.REDIS_URL, options);
  // Commands report their own failures; an unhandled 'error' event would crash the process.
  redis.on('error', onError);
  return redis;
}

function createCluster(
  nodes: { host: string; port: number }[],
  role: RedisRole,
  options: RedisOptions,
  clusterExtra: Omit<ClusterOptions, 'redisOptions'>,
): Cluster {
  // The offline queue is a cluster-level option; lazyConnect too (the node connections are made by it).
  const { enableOfflineQueue, lazyConnect, ...redisOptions } = options;
  return new Cluster(nodes, {
    enableOfflineQueue: enableOfflineQueue ?? true,
    lazyConnect,
    enableReadyCheck: true,
    // A failover moves slots: retry a command that met MOVED/TRYAGAIN/CLUSTERDOWN shortly, a few times.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    retryDelayOnTryAgain: 100,
    // The request-path client sends the per-key commands of a multi-key read (shared/redis-keys getMany) in
    // one write per node; BullMQ's connections (worker, producer) keep ioredis's plain behaviour.
    enableAutoPipelining: role === 'client',
    ...clusterExtra,
    redisOptions,
  });
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
 * large prefix never blocks Redis; on a cluster, on every primary, one UNLINK per key (keys of one batch
 * are in different slots). For tests and benchmarks that own a prefix; never for a shared one.
 */
export async function deleteKeysWithPrefix(target: RedisTarget, prefix: string): Promise<void> {
  const nodes = clusterNodesOf(target);
  const url = typeof target === 'string' ? target : target.REDIS_URL;
  const client = nodes
    ? new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: 1 } })
    : new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    if (client instanceof Cluster) await waitForRedis(client as unknown as Redis);
    const servers = client instanceof Cluster ? client.nodes('master') : [client];
    for (const server of servers) {
      let cursor = '0';
      do {
        const [next, keys] = await server.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length === 0) continue;
        if (client instanceof Cluster) await Promise.all(keys.map((key) => server.unlink(key)));
        else await server.unlink(...keys);
      } while (cursor !== '0');
    }
  } finally {
    await closeRedis(client as unknown as Redis);
  }
}
