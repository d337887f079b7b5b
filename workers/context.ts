import type { Knex } from 'knex';
import type { TypedQueue } from '../queues/define-queue';
import type { OrderJobs } from '../queues/orders.queue';
import type { PaymentJobs } from '../queues/payments.queue';
import type { StatsJobs } from '../queues/stats.queue';
import type { StockJobs } from '../queues/stock.queue';
import type { Config } from '../shared/config';
import type { Logger } from '../shared/logger';
import type { Redis } from '../shared/redis';
import type { SqlBatches } from '../shared/sql-batches';
import type { PaymentGateway } from './payments/payment-gateway';

/** Queues a worker hands the next step of an order to. */
export interface WorkerProducers {
  orders: TypedQueue<OrderJobs>;
  stock: TypedQueue<StockJobs>;
  payments: TypedQueue<PaymentJobs>;
  stats: TypedQueue<StatsJobs>;
}

/** What processors are built from; tests build it against their own database and Redis prefix. */
export interface WorkerContext {
  config: Config;
  logger: Logger;
  db: Knex;
  /** Multi-statement round trips for the order flow's hot transactions; everything else uses `db`. */
  sqlBatches: SqlBatches;
  /** Blocking-safe connection for BullMQ workers and producers (maxRetriesPerRequest: null). */
  connection: Redis;
  /** Plain commands: caches, pub/sub publishing. */
  redis: Redis;
  producers: WorkerProducers;
  /** The payment provider's client (one keep-alive pool per process), closed on shutdown. */
  paymentGateway: PaymentGateway;
}
