import type { ConnectionOptions } from 'bullmq';
import { notificationsQueue, ordersQueue, statsQueue } from '../queues';
import type { TypedQueue } from '../queues/define-queue';
import type { NotificationJobs } from '../queues/notifications.queue';
import type { OrderJobs } from '../queues/orders.queue';
import type { StatsJobs } from '../queues/stats.queue';
import { bullPrefix } from '../shared/redis';

/** The queues the BFF enqueues to. Their connection fails fast, so a Redis outage becomes a 503. */
export interface Producers {
  notifications: TypedQueue<NotificationJobs>;
  orders: TypedQueue<OrderJobs>;
  stats: TypedQueue<StatsJobs>;
  closeAll(): Promise<void>;
}

export function createProducers(connection: ConnectionOptions, redisPrefix: string): Producers {
  const prefix = bullPrefix(redisPrefix);
  const producers = {
    notifications: notificationsQueue.createProducer(connection, prefix),
    orders: ordersQueue.createProducer(connection, prefix),
    stats: statsQueue.createProducer(connection, prefix),
  };
  return {
    ...producers,
    async closeAll() {
      await Promise.all(Object.values(producers).map((producer) => producer.close()));
    },
  };
}
