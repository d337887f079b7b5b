import type { Knex } from 'knex';
import type { Config } from '../shared/config';
import type { Logger } from '../shared/logger';
import type { Redis } from '../shared/redis';

/** What processors are built from; tests build it against their own database and Redis prefix. */
export interface WorkerContext {
  config: Config;
  logger: Logger;
  db: Knex;
  /** Blocking-safe connection for BullMQ workers and producers (maxRetriesPerRequest: null). */
  connection: Redis;
}
