import type { Knex } from 'knex';
import type { Config } from '../shared/config';
import type { Logger } from '../shared/logger';
import type { ReadRouter } from '../shared/read-replica';
import type { Redis } from '../shared/redis';
import type { SqlBatches } from '../shared/sql-batches';
import type { EventLoopLagMonitor } from './health/event-loop-lag';
import type { QueueRegistry } from './admin/queue-registry';
import type { OrderEventsListener } from './orders/order-events.listener';
import type { Producers } from './producers';

/** What the BFF's routes and services are built from; tests build it against their own database and prefix. */
export interface BffContext {
  config: Config;
  logger: Logger;
  db: Knex;
  /** Lag-tolerant reads (catalogue listings): the read replica while it keeps up, else the primary. */
  reads: ReadRouter;
  /** Multi-statement round trips for the hot writes (placing an order); everything else uses `db`. */
  sqlBatches: SqlBatches;
  /** Fail-fast Redis client for request paths (carts, caches, SMS codes). */
  redis: Redis;
  producers: Producers;
  /** Read handles on every queue: admin job lookups, counts, the queue dashboard and metrics. */
  queues: QueueRegistry;
  /** Order state changes from the workers, for Prefer: wait and SSE. */
  orderEvents: OrderEventsListener;
  /** How late this process's event loop runs, for /readyz. */
  eventLoopLag: EventLoopLagMonitor;
}
