import { notificationsQueue } from './notifications.queue';
import { ordersQueue } from './orders.queue';
import { paymentsQueue } from './payments.queue';
import { statsQueue } from './stats.queue';
import { stockQueue } from './stock.queue';

export { notificationsQueue, ordersQueue, paymentsQueue, statsQueue, stockQueue };

/** Every queue of the system by domain name, as `WORKER_QUEUES` names them. */
export const queueDefinitions = {
  orders: ordersQueue,
  stock: stockQueue,
  payments: paymentsQueue,
  stats: statsQueue,
  notifications: notificationsQueue,
} as const;

export type DomainName = keyof typeof queueDefinitions;
export const DOMAIN_NAMES = Object.keys(queueDefinitions) as DomainName[];
