import type { Config } from '../shared/config';
import { createDatabase } from '../shared/db';
import { createReadRouter } from '../shared/read-replica';
import type { Logger } from '../shared/logger';
import { closeRedis, createRedis } from '../shared/redis';
import { createSqlBatches } from '../shared/sql-batches';
import { createQueueRegistry } from './admin/queue-registry';
import type { BffContext } from './context';
import { EventLoopLagMonitor } from './health/event-loop-lag';
import { OrderEventsListener } from './orders/order-events.listener';
import { createProducers } from './producers';

/** Opens the BFF's connections; `close` releases them in reverse order. */
export function createBffContext(config: Config, logger: Logger): BffContext & { close(): Promise<void> } {
  // A statement that runs away (a scan an input made expensive) is cut off and answers 503; the BFF's writes
  // are short, and one cut off rolls back with its transaction. Workers' long transactions have no limit.
  const db = createDatabase(config.DATABASE_URL, config.DB_POOL_MAX, {
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
  });
  const reads = createReadRouter({
    primary: db,
    replicaUrl: config.DATABASE_REPLICA_URL,
    maxLagMs: config.DB_REPLICA_MAX_LAG_MS,
    checkIntervalMs: config.DB_REPLICA_CHECK_INTERVAL_MS,
    poolMax: config.DB_POOL_MAX,
    limits: { statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS },
    logger,
  });
  const sqlBatches = createSqlBatches(config.DATABASE_URL, config.DB_POOL_MAX);
  const onRedisError = (error: Error) => logger.warn({ err: error.message }, 'redis connection error');
  const redis = createRedis(config, 'client', {}, onRedisError);
  const producerConnection = createRedis(config, 'producer', {}, onRedisError);
  const producers = createProducers(producerConnection, config.REDIS_PREFIX);
  const queues = createQueueRegistry(producerConnection, config.REDIS_PREFIX);
  const orderEvents = new OrderEventsListener(config, logger);
  const eventLoopLag = new EventLoopLagMonitor().start();
  return {
    config,
    logger,
    db,
    reads,
    sqlBatches,
    redis,
    producers,
    queues,
    orderEvents,
    eventLoopLag,
    async close() {
      eventLoopLag.stop();
      await orderEvents.close();
      await producers.closeAll();
      await queues.close();
      await Promise.all([closeRedis(producerConnection), closeRedis(redis)]);
      await reads.close();
      await Promise.all([db.destroy(), sqlBatches.close()]);
    },
  };
}
