/**
 * The whole system for an end-to-end test file: its own database and Redis prefix, the real BFF, the
 * real nginx gateway in front of it, the fake providers, and (optionally) worker domains in-process.
 */
import { createPublicKey, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createAccessTokenSigner } from '../../bff/auth/access-tokens';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../nginx/render';
import { loadConfig } from '../../shared/config';
import { createLogger } from '../../shared/logger';
import { startWorkers, type RunningWorkers } from '../../workers/bootstrap';
import type { DomainName } from '../../queues';
import { startTestBff, type TestBff } from './bff';
import { createTestDatabase, type TestDatabase } from './database';
import { freePort } from './gateway';
import { deleteRedisPrefix, testRedisPrefix } from './redis';

export interface TestStack {
  /** The gateway's base URL: every call goes through nginx, as a client's would. */
  url: string;
  bff: TestBff;
  database: TestDatabase;
  gateway: RunningGateway;
  workers?: RunningWorkers;
  env: Record<string, string>;
  close(): Promise<void>;
}

export interface StackOptions {
  label: string;
  workerDomains?: DomainName[];
  /** Extra environment for the BFF and workers (provider URLs of fakes the test started, ...). */
  env?: Record<string, string>;
  gateway?: Partial<GatewayOptions>;
  seed?: (database: TestDatabase) => Promise<void>;
  /** Collects the BFF's JSON log lines here. */
  bffLogLines?: string[];
  /** The BFF reaches the database at this URL instead (e.g. through a TCP proxy the test can cut). */
  bffDatabaseUrl?: (databaseUrl: string) => string;
}

export async function startStack(options: StackOptions): Promise<TestStack> {
  const database = await createTestDatabase(options.label);
  if (options.seed) await options.seed(database);
  const prefix = testRedisPrefix(options.label);
  const env = { ...options.env, DATABASE_URL: database.url, REDIS_PREFIX: prefix };
  const bff = await startTestBff(
    { ...env, DATABASE_URL: options.bffDatabaseUrl?.(database.url) ?? database.url },
    { logLines: options.bffLogLines },
  );
  const prefixDir = await mkdtemp(path.join(os.tmpdir(), `vm-gw-${options.label}-`));
  const gateway = await startGateway({
    listenHost: '127.0.0.1',
    listenPort: await freePort(),
    upstreams: [`127.0.0.1:${bff.port}`],
    prefixDir,
    publicKeys: [
      {
        kid: bff.config.JWT_KID,
        pem: createPublicKey(bff.config.JWT_PRIVATE_KEY).export({ format: 'pem', type: 'spki' }).toString(),
      },
    ],
    issuer: bff.config.JWT_ISSUER,
    audience: bff.config.JWT_AUDIENCE,
    gatewaySecret: bff.config.GATEWAY_SECRET,
    // On a cluster the gateway starts from its first seed node (and follows MOVED to the records' slot).
    redis: bff.config.REDIS_CLUSTER_NODES
      ? {
          url: `redis://${bff.config.REDIS_CLUSTER_NODES[0]}`,
          prefix,
          cluster: true,
          clusterNodes: bff.config.REDIS_CLUSTER_NODES,
        }
      : { url: bff.config.REDIS_URL, prefix },
    workerProcesses: 1,
    rateLimits: { authPerMinute: 6000, burst: 1000 },
    ...options.gateway,
  });
  let workers: RunningWorkers | undefined;
  if (options.workerDomains?.length) {
    const config = loadConfig({ ...process.env, ...env });
    const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', name: 'workers-test' });
    workers = await startWorkers(
      config,
      logger,
      options.workerDomains.map((domain) => ({ domain, concurrency: 4 })),
    );
  }
  return {
    url: gateway.url,
    bff,
    database,
    gateway,
    workers,
    env,
    async close() {
      await workers?.close(5000);
      await gateway.stop();
      await bff.close();
      await database.drop();
      await deleteRedisPrefix(process.env.REDIS_URL!, prefix);
      await rm(prefixDir, { recursive: true, force: true });
    },
  };
}

/** Inserts a user and signs an access token for it, as login would. */
export async function createUserWithToken(
  stack: TestStack,
  role: 'user' | 'admin' = 'user',
): Promise<{ userId: number; token: string; email: string }> {
  const email = uniqueEmail(role);
  const [userId] = await stack.database.db('users').insert({ email, role, status: 'active' });
  const { token } = await createAccessTokenSigner(stack.bff.config).sign({ userId: Number(userId), role });
  return { userId: Number(userId), token, email };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A unique email for a test user. */
export const uniqueEmail = (label = 'user'): string =>
  `${label}.${randomBytes(4).toString('hex')}@example.com`;

/** JSON request helper: returns status, headers and parsed body. */
export async function call(
  baseUrl: string,
  method: string,
  pathname: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${baseUrl}${pathname}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    redirect: 'manual',
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text so the assertion shows it
  }
  return { status: response.status, headers: response.headers, body };
}
