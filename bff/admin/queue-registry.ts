import { Queue, type ConnectionOptions } from 'bullmq';
import { DOMAIN_NAMES, queueDefinitions, type DomainName } from '../../queues';
import { bullPrefix } from '../../shared/redis';
import { isClusterConnection, queuePrefix } from '../../shared/redis-keys';

/**
 * A Queue handle on every queue of the system, for reading (job lookups, counts, metrics) and for the queue
 * dashboard. Opened on the BFF's fail-fast producer connection, so a Redis outage fails the call, not hangs it.
 */
export interface QueueRegistry {
  get(domain: DomainName): Queue;
  all(): Queue[];
  close(): Promise<void>;
}

export function createQueueRegistry(connection: ConnectionOptions, redisPrefix: string): QueueRegistry {
  const prefix = bullPrefix(redisPrefix);
  const queues = new Map<DomainName, Queue>(
    DOMAIN_NAMES.map((domain) => {
      const name = queueDefinitions[domain].name;
      const clustered = isClusterConnection(connection);
      return [domain, new Queue(name, { connection, prefix: queuePrefix(prefix, name, clustered) })];
    }),
  );
  return {
    get(domain) {
      const queue = queues.get(domain);
      if (!queue) throw new Error(`no queue for domain ${domain}`);
      return queue;
    },
    all: () => [...queues.values()],
    async close() {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
    },
  };
}
