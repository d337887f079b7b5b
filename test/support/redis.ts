import { randomBytes } from 'node:crypto';
import { deleteKeysWithPrefix, type RedisTarget } from '../../shared/redis';

/** A Redis key prefix of this test file's own. */
export function testRedisPrefix(label: string): string {
  return `t_${label.replace(/[^A-Za-z0-9]/g, '_').slice(0, 20)}_${randomBytes(4).toString('hex')}`;
}

/**
 * Where the tests' Redis is: REDIS_URL, or the local Redis Cluster when REDIS_CLUSTER_NODES is set (the
 * cluster runs of .ci/run and test/cluster; scripts/redis-cluster.sh).
 */
export function testRedisTarget(): RedisTarget {
  const nodes = process.env.REDIS_CLUSTER_NODES?.split(',').filter((node) => node.trim() !== '');
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  return nodes?.length ? { REDIS_URL: url, REDIS_CLUSTER_NODES: nodes } : url;
}

/**
 * Deletes every key under the test's prefix (application keys and BullMQ queues alike). Given the tests'
 * REDIS_URL while they run on the cluster, it cleans the cluster.
 */
export const deleteRedisPrefix = (target: RedisTarget, prefix: string): Promise<void> =>
  deleteKeysWithPrefix(target === process.env.REDIS_URL ? testRedisTarget() : target, prefix);
