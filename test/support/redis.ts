import { randomBytes } from 'node:crypto';
import { deleteKeysWithPrefix } from '../../shared/redis';

/** A Redis key prefix of this test file's own. */
export function testRedisPrefix(label: string): string {
  return `t_${label.replace(/[^A-Za-z0-9]/g, '_').slice(0, 20)}_${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under the test's prefix (application keys and BullMQ queues alike). */
export const deleteRedisPrefix = deleteKeysWithPrefix;
