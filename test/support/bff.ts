import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from '../../bff/app';
import { createBffContext } from '../../bff/bootstrap';
import { createBffServer } from '../../bff/server';
import type { BffContext } from '../../bff/context';
import { loadConfig, type Config } from '../../shared/config';
import { createLogger } from '../../shared/logger';
import { waitForRedis } from '../../shared/redis';

export interface TestBff {
  url: string;
  port: number;
  ctx: BffContext;
  config: Config;
  close(): Promise<void>;
}

/**
 * With TEST_MYSQL_REPLICA_URL set (`npm run test:cluster`: a replica of TEST_MYSQL_URL's server, from
 * scripts/mariadb-replica.sh --own-primary), every BFF reads its catalogue from the replica of its test
 * database, unless the test names its own DATABASE_REPLICA_URL ('' for none).
 */
function withTestReplica(env: Record<string, string>): Record<string, string> {
  const replicaServer = process.env.TEST_MYSQL_REPLICA_URL;
  if (env.DATABASE_REPLICA_URL === '') {
    const { DATABASE_REPLICA_URL: _none, ...rest } = env;
    return rest;
  }
  if (env.DATABASE_REPLICA_URL || !replicaServer) return env;
  return { ...env, DATABASE_REPLICA_URL: `${replicaServer}${new URL(env.DATABASE_URL!).pathname}` };
}

/** The real BFF app on an ephemeral port, against the given database and Redis prefix. */
export async function startTestBff(
  env: { DATABASE_URL: string; REDIS_PREFIX: string } & Record<string, string>,
  options: { logLines?: string[] } = {},
): Promise<TestBff> {
  const config = loadConfig({ ...process.env, ...withTestReplica(env) });
  // With logLines, every JSON log line is collected so a test can assert what was logged.
  const logLines = options.logLines;
  const logger = logLines
    ? createLogger({
        level: 'info',
        name: 'bff-test',
        destination: { write: (line: string) => logLines.push(line) },
      })
    : createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', name: 'bff-test' });
  const ctx = createBffContext(config, logger);
  // Readiness is tested against a connected client; a Redis that is unreachable on purpose stays unready.
  await waitForRedis(ctx.redis, 3000).catch(() => undefined);
  const server: Server = createBffServer(createApp(ctx)).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    ctx,
    config,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ctx.close();
    },
  };
}
