import { randomBytes } from 'node:crypto';
import { Redis, closeRedis } from '../../shared/redis';

/** A Redis key prefix of this test file's own. */
export function testRedisPrefix(label: string): string {
  return `t_${label.replace(/[^A-Za-z0-9]/g, '_').slice(0, 20)}_${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under the prefix (application keys and BullMQ queues alike). */
export async function deleteRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
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
