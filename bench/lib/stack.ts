/**
 * An isolated Voltmall stack for benchmarks, beside whatever else runs on the machine: its own database
 * (dropped, then created, migrated and seeded by scripts/db/seed.ts), its own Redis prefix, fresh secrets,
 * and the fake providers, the BFF, the workers and the nginx gateway (nginx/run.ts, in a tmp prefix) on free
 * ports. stop() ends every process it started and drops the database and the prefix's Redis keys.
 *
 * Every variable that matters is passed explicitly: the processes also read .env (dotenv never overrides
 * what is set), so nothing of the developer's own stack leaks in.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDatabase } from '../../shared/db';
import { deleteKeysWithPrefix } from '../../shared/redis';
import {
  freePort,
  poll,
  startNode as startNodeProcess,
  stopProcess,
  tail,
  waitForExit,
  type Started,
} from './processes';

const DEFAULT_MYSQL_SERVER = 'mysql://voltmall:voltmall@127.0.0.1:3306';

export interface StackOptions {
  /** Database name (dropped at start and at stop). Default vm_bench_all. */
  database?: string;
  /** Redis key prefix (its keys are deleted at start and at stop). Default: the database name. */
  redisPrefix?: string;
  /** MySQL server URL without a database. Default: DATABASE_URL's server, else voltmall@127.0.0.1:3306. */
  mysqlServerUrl?: string;
  /** Default REDIS_URL, else redis://127.0.0.1:6379. */
  redisUrl?: string;
  /** Synthetic products to generate on top of the demo catalogue (seed --products N). Default 0. */
  products?: number;
  /** Worker processes (WORKER_QUEUES=all). Default 1. */
  workers?: number;
  log?: (message: string) => void;
}

export interface RunningStack {
  /** The gateway's base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The variables the stack runs with: pass them to a benchmark that talks to it. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** `mysql://user:pass@host:port/db?x` → `mysql://user:pass@host:port` */
export function mysqlServerOf(databaseUrl: string | undefined): string {
  if (!databaseUrl) return DEFAULT_MYSQL_SERVER;
  const url = new URL(databaseUrl);
  url.pathname = '';
  url.search = '';
  return url.toString().replace(/\/$/, '');
}

async function dropDatabase(mysqlServer: string, database: string): Promise<void> {
  const db = createDatabase(`${mysqlServer}/mysql`, 1);
  try {
    await db.raw('DROP DATABASE IF EXISTS ??', [database]);
  } finally {
    await db.destroy();
  }
}

export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const log = options.log ?? ((message: string) => console.log(`[stack] ${message}`));
  const database = options.database ?? 'vm_bench_all';
  const prefix = options.redisPrefix ?? database;
  if (!/^[A-Za-z0-9_]{1,64}$/.test(database)) throw new Error(`bad database name ${database}`);
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(prefix)) throw new Error(`bad Redis prefix ${prefix}`);
  const mysqlServer = options.mysqlServerUrl ?? mysqlServerOf(process.env.DATABASE_URL);
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const workerCount = options.workers ?? 1;
  const products = options.products ?? 0;

  const [bffPort, gatewayPort, paymentPort, smsPort, oidcPort] = await Promise.all(
    Array.from({ length: 5 }, () => freePort()),
  );
  const url = `http://127.0.0.1:${gatewayPort}`;
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), `vm-bench-stack-`));
  const { privateKey } = generateKeyPairSync('ed25519');
  const env: Record<string, string> = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DEMO_ACCOUNTS: 'true',
    DATABASE_URL: `${mysqlServer}/${database}`,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    GATEWAY_SECRET: randomBytes(32).toString('hex'),
    SMS_PAYLOAD_KEY: randomBytes(32).toString('base64'),
    JWT_PRIVATE_KEY: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    JWT_KID: 'bench',
    JWT_PUBLIC_KEYS: '', // empty = unset (derived from JWT_PRIVATE_KEY); hides a value from .env
    BFF_HOST: '127.0.0.1',
    BFF_PORT: String(bffPort),
    BFF_UPSTREAMS: `127.0.0.1:${bffPort}`,
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: String(gatewayPort),
    GATEWAY_PREFIX_DIR: path.join(tmpDir, 'nginx'),
    GATEWAY_UPSTREAM_INCLUDE: '',
    GATEWAY_ACCESS_LOG: '',
    PUBLIC_BASE_URL: url,
    FAKE_PAYMENT_PORT: String(paymentPort),
    FAKE_SMS_PORT: String(smsPort),
    FAKE_OIDC_PORT: String(oidcPort),
    // The fakes no benchmark calls take any free port, so two stacks (or one beside npm start) never
    // fight over their defaults (4000, 4031-4033).
    FAKE_INBOX_PORT: '0',
    FAKE_KAKAO_PORT: '0',
    FAKE_NAVER_PORT: '0',
    FAKE_GOOGLE_PORT: '0',
    PAYMENT_GATEWAY_URL: `http://127.0.0.1:${paymentPort}`,
    SOLAPI_BASE_URL: `http://127.0.0.1:${smsPort}`,
    OIDC_ISSUER_URL: `http://127.0.0.1:${oidcPort}`,
    OIDC_REDIRECT_URI: `${url}/api/auth/oauth/fake/callback`,
    WORKER_QUEUES: 'all',
    WORKER_METRICS_PORT: '0', // never the default 9464 another stack may hold
  };

  const started: Started[] = [];
  const startNode = (name: string, args: string[], extra: Record<string, string> = {}): Started => {
    const entry = startNodeProcess(name, args, { ...process.env, ...env, ...extra });
    started.push(entry);
    return entry;
  };

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    for (const entry of [...started].reverse()) await stopProcess(entry);
    await deleteKeysWithPrefix(redisUrl, prefix).catch((error: unknown) =>
      log(`Redis clean-up failed: ${String(error)}`),
    );
    await dropDatabase(mysqlServer, database).catch((error: unknown) =>
      log(`database clean-up failed: ${String(error)}`),
    );
    await rm(tmpDir, { recursive: true, force: true });
    log(`stopped; database ${database} dropped, Redis keys ${prefix}:* deleted`);
  };

  try {
    log(`database ${database} (fresh), Redis prefix ${prefix}, ${mysqlServer.replace(/\/\/[^@]*@/, '//')}`);
    await dropDatabase(mysqlServer, database);
    await deleteKeysWithPrefix(redisUrl, prefix);
    const seed = startNode('seed', [
      'scripts/db/seed.ts',
      ...(products > 0 ? ['--products', String(products)] : []),
    ]);
    if (!(await waitForExit(seed, 30 * 60_000)) || seed.child.exitCode !== 0) {
      throw new Error(`seed failed:\n${tail(seed)}`);
    }
    log(`seeded${products > 0 ? ` (+${products} generated products)` : ''}`);

    const fakes = startNode('fakes', ['fakes/main.ts']);
    await poll(
      'fake payment gateway',
      60_000,
      async () => {
        await fetch(`http://127.0.0.1:${paymentPort}/`);
        return true; // any HTTP answer means it listens
      },
      fakes,
    );
    const bff = startNode('bff', ['bff/main.ts']);
    await poll('BFF ready', 60_000, async () => (await fetch(`http://127.0.0.1:${bffPort}/readyz`)).ok, bff);
    for (let index = 0; index < workerCount; index += 1) {
      const readyFile = path.join(tmpDir, `worker-${index}.ready`);
      const worker = startNode(`worker-${index + 1}`, ['workers/main.ts'], { WORKER_READY_FILE: readyFile });
      await poll(`${worker.name} running`, 60_000, async () => existsSync(readyFile), worker);
    }
    const gateway = startNode('gateway', ['nginx/run.ts']);
    await poll('gateway up', 60_000, async () => (await fetch(`${url}/healthz`)).ok, gateway);
    log(
      `up: gateway ${url}, BFF :${bffPort}, ${workerCount} worker process(es), fakes :${paymentPort}/:${smsPort}/:${oidcPort}`,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, env, stop };
}
