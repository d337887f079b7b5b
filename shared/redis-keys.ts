import type { Redis } from './redis';

/**
 * Key placement on Redis Cluster (issue #19), defined here once. Redis Cluster refuses a command, MULTI or
 * Lua script whose keys sit in different hash slots (CROSSSLOT); a key's slot is CRC16 of its hash tag (the
 * part between the first `{` and the next `}`) or of the whole key. So:
 *
 * - Single Redis (the default): no hash tags anywhere, every key name exactly as before — a deploy that
 *   keeps one Redis keeps its queues, revocation records and caches.
 * - Cluster (REDIS_CLUSTER_NODES): only the keys that must share a slot get a tag —
 *   - each BullMQ queue under its own tagged prefix `<prefix>:bull:{<queue>:jobs}` ({@link queuePrefix}):
 *     BullMQ's Lua scripts touch many keys of one queue, and the five queues spread over the shards;
 *   - the session revocation records under `<prefix>:{revoked}:…` (shared/session-revocation.ts): the
 *     gateway reads a token's user and login records in one MGET;
 *   - everything else (carts, product caches, listing pages, rate limits, login throttle, SMS codes, OAuth
 *     state, order-stream slots) is one key per command or script already; the few places that read or drop
 *     several unrelated keys at once do it key by key in cluster mode ({@link getMany}, {@link unlinkMany}).
 * - The order-event channel is published with SPUBLISH and read with SSUBSCRIBE in cluster mode (sharded
 *   pub/sub: a message goes to one shard, not to every node), PUBLISH/SUBSCRIBE on a single Redis.
 *
 * docs/ARCHITECTURE.md has the table of every key and queue.
 */

/** True when `redis` is an ioredis Cluster client (shared/redis createRedis with REDIS_CLUSTER_NODES). */
export const isClustered = (redis: Pick<Redis, 'isCluster'> | { isCluster?: boolean }): boolean =>
  redis.isCluster === true;

/** The hash tag of a queue on the cluster: `{orders:jobs}` puts orders, stock and payments on three shards. */
export const queueHashTag = (queueName: string): string => `{${queueName}:jobs}`;

/**
 * The BullMQ prefix of one queue, given the shared base `<prefix>:bull` (shared/redis bullPrefix): the base
 * itself on a single Redis (all queues share it, as before), `<prefix>:bull:{<queue>:jobs}` on the cluster,
 * so each queue's keys (`<queuePrefix>:<queue>:wait`, …) share one slot. Every Queue, Worker and dashboard
 * handle of a queue is made with this prefix (queues/define-queue does it for producers and workers).
 */
export function queuePrefix(bullBase: string, queueName: string, clustered: boolean): string {
  return clustered ? `${bullBase}:${queueHashTag(queueName)}` : bullBase;
}

/** Whether a BullMQ connection (an ioredis instance or connection options) is a cluster client. */
export const isClusterConnection = (connection: unknown): boolean =>
  typeof connection === 'object' && connection !== null && isClustered(connection as { isCluster?: boolean });

/** The tag of the revocation records on the cluster: one slot, so the gateway's MGET of two records works. */
export const REVOCATION_HASH_TAG = '{revoked}';

/**
 * GET of several keys: one MGET on a single Redis; on the cluster, one GET per key, sent at once (the keys
 * are in different slots). Values in the order of `keys`.
 */
export async function getMany(redis: Redis, keys: string[]): Promise<(string | null)[]> {
  if (keys.length === 0) return [];
  if (!isClustered(redis)) return redis.mget(keys);
  return Promise.all(keys.map((key) => redis.get(key)));
}

/** UNLINK of several keys: one command on a single Redis, one per key on the cluster. */
export async function unlinkMany(redis: Redis, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  if (!isClustered(redis)) {
    await redis.unlink(...keys);
    return;
  }
  await Promise.all(keys.map((key) => redis.unlink(key)));
}

/** SET with a TTL of several keys: one pipeline on a single Redis, one SET per key on the cluster. */
export async function setManyWithTtl(
  redis: Redis,
  entries: { key: string; value: string }[],
  ttlSeconds: number,
): Promise<void> {
  if (entries.length === 0) return;
  if (!isClustered(redis)) {
    const pipeline = redis.pipeline();
    for (const { key, value } of entries) pipeline.set(key, value, 'EX', ttlSeconds);
    await pipeline.exec();
    return;
  }
  await Promise.all(entries.map(({ key, value }) => redis.set(key, value, 'EX', ttlSeconds)));
}
