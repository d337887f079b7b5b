/**
 * Order throughput with 1, 2 and 4 worker processes on this machine (docs/OPERATIONS-scaling.md).
 *
 * Starts its own stack: a fresh database `vm_bench_scale` (migrated and seeded by scripts/db/seed.ts), its
 * own Redis prefix, the fake payment gateway (in this process, zero latency), one BFF and the nginx gateway
 * (nginx/run.ts) on free ports, with fresh secrets. For each worker count it starts that many worker
 * processes (WORKER_QUEUES=all, WORKER_CONCURRENCY each), runs bench/orders.ts against the gateway
 * (BENCH_HOT_ORDERS=0, BENCH_RESULT_NAME=scaling-<n>), stops the workers, and at the end prints a table,
 * writes bench/results/worker-scaling.json and tears everything down (database and Redis keys included).
 *
 *   npx tsx bench/worker-scaling.ts
 *   BENCH_SCALE_WORKERS=1,2,4 BENCH_ORDERS=2000 BENCH_CONNECTIONS=50 WORKER_CONCURRENCY=8 npx tsx bench/worker-scaling.ts
 *
 * Also: BENCH_MYSQL_URL (server URL without database, default mysql://voltmall:voltmall@127.0.0.1:3306),
 * REDIS_URL (redis://127.0.0.1:6379), BENCH_WARMUP_ORDERS (300 with one worker before the measured runs,
 * 0 to skip), BENCH_SCALE_DATABASE (vm_bench_scale), BENCH_RESULTS_DIR (bench/results). Throughput
 * shares the machine's cores with everything else running: note the load average.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startPaymentGateway } from '../fakes/payment-gateway';
import { createDatabase } from '../shared/db';
import { deleteKeysWithPrefix } from '../shared/redis';
import {
  freePort,
  poll,
  startNode as startNodeProcess,
  runBenchmark,
  stopProcess,
  waitForExit,
  type Started,
} from './lib/processes';
import type { ScalingResult } from './lib/report';

const ROOT = path.resolve(__dirname, '..');
const RESULTS = process.env.BENCH_RESULTS_DIR ?? path.join(__dirname, 'results');
const mysqlServer = (process.env.BENCH_MYSQL_URL ?? 'mysql://voltmall:voltmall@127.0.0.1:3306').replace(
  /\/$/,
  '',
);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const workerCounts = (process.env.BENCH_SCALE_WORKERS ?? '1,2,4').split(',').map(Number);
const orders = Number(process.env.BENCH_ORDERS ?? 2000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const concurrency = Number(process.env.WORKER_CONCURRENCY ?? 8);
const warmupOrders = Number(process.env.BENCH_WARMUP_ORDERS ?? 300);
const DATABASE = process.env.BENCH_SCALE_DATABASE ?? 'vm_bench_scale';

const started: Started[] = [];

function log(message: string): void {
  console.log(`[worker-scaling] ${message}`);
}

/** `node --import tsx <entry>` from the repository root, with only the environment given here. */
function startNode(name: string, args: string[], env: Record<string, string>): Started {
  const entry = startNodeProcess(name, args, { ...process.env, DOTENV_CONFIG_PATH: '/dev/null', ...env });
  started.push(entry);
  return entry;
}

function stop(entry: Started, graceMs = 30_000): Promise<void> {
  return stopProcess(entry, graceMs, log);
}

async function run(name: string, args: string[], env: Record<string, string>, timeoutMs: number) {
  const entry = startNode(name, args, env);
  entry.child.stdout?.pipe(process.stdout);
  entry.child.stderr?.pipe(process.stderr);
  if (!(await waitForExit(entry, timeoutMs))) {
    await stop(entry, 5000);
    throw new Error(`${name} did not finish within ${timeoutMs} ms`);
  }
  if (entry.child.exitCode !== 0) throw new Error(`${name} failed (exit ${entry.child.exitCode})`);
}

async function dropDatabase(): Promise<void> {
  const db = createDatabase(`${mysqlServer}/mysql`, 1);
  try {
    await db.raw(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
  } finally {
    await db.destroy();
  }
}

type RunFigures = ScalingResult['runs'][number];

async function main(): Promise<void> {
  if (workerCounts.some((count) => !Number.isInteger(count) || count < 1 || count > 16)) {
    throw new Error('BENCH_SCALE_WORKERS must be a comma-separated list of 1..16');
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  const prefix = `vm_bench_scale_${randomBytes(3).toString('hex')}`;
  const common: Record<string, string> = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATABASE_URL: `${mysqlServer}/${DATABASE}`,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    GATEWAY_SECRET: randomBytes(32).toString('hex'),
    SMS_PAYLOAD_KEY: randomBytes(32).toString('base64'),
    JWT_PRIVATE_KEY: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    JWT_KID: 'bench',
    DEMO_ACCOUNTS: 'true',
  };
  const gatewayPrefix = await mkdtemp(path.join(os.tmpdir(), 'vm-bench-scale-'));
  const payment = await startPaymentGateway({ port: 0 });
  const figures: RunFigures[] = [];
  try {
    log(`database ${DATABASE} (fresh), Redis prefix ${prefix}`);
    await dropDatabase();
    await run('seed', ['scripts/db/seed.ts'], common, 180_000);

    const bffPort = await freePort();
    const bff = startNode('bff', ['bff/main.ts'], {
      ...common,
      PAYMENT_GATEWAY_URL: payment.url,
      BFF_HOST: '127.0.0.1',
      BFF_PORT: String(bffPort),
    });
    await poll('BFF ready', 60_000, async () => (await fetch(`http://127.0.0.1:${bffPort}/readyz`)).ok, bff);

    const gatewayPort = await freePort();
    const gateway = startNode('gateway', ['nginx/run.ts'], {
      ...common,
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PORT: String(gatewayPort),
      BFF_UPSTREAMS: `127.0.0.1:${bffPort}`,
      GATEWAY_PREFIX_DIR: gatewayPrefix,
    });
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    await poll('gateway up', 60_000, async () => (await fetch(`${gatewayUrl}/healthz`)).ok, gateway);
    log(`BFF on ${bffPort}, gateway on ${gatewayUrl}, fake payment gateway on ${payment.url}`);

    const runOnce = async (workers: number, resultName: string, count: number) => {
      const processes = Array.from({ length: workers }, (_, index) => {
        const readyFile = path.join(gatewayPrefix, `worker-${resultName}-${index}.ready`);
        return {
          readyFile,
          entry: startNode(`worker-${index + 1}/${workers}`, ['workers/main.ts'], {
            ...common,
            PAYMENT_GATEWAY_URL: payment.url,
            WORKER_QUEUES: 'all',
            WORKER_CONCURRENCY: String(concurrency),
            WORKER_READY_FILE: readyFile,
            WORKER_METRICS_PORT: '0', // several processes on one host: each on a port of its own
          }),
        };
      });
      try {
        for (const { readyFile, entry } of processes) {
          await poll(`${entry.name} running`, 60_000, async () => existsSync(readyFile), entry);
        }
        await run(
          resultName,
          ['bench/orders.ts'],
          {
            ...common,
            BENCH_URL: gatewayUrl,
            BENCH_ORDERS: String(count),
            BENCH_CONNECTIONS: String(connections),
            BENCH_HOT_ORDERS: '0',
            BENCH_RESULT_NAME: resultName,
            WORKER_CONCURRENCY: `${concurrency} per process × ${workers}`,
          },
          600_000,
        );
      } finally {
        await Promise.all(processes.map(({ entry }) => stop(entry)));
      }
    };

    if (warmupOrders > 0) {
      log(`warm-up: ${warmupOrders} orders with 1 worker process`);
      await runOnce(1, 'scaling-warmup', warmupOrders);
      rmSync(path.join(RESULTS, 'scaling-warmup.json'), { force: true });
    }
    for (const workers of workerCounts) {
      const loadAverageBefore = os.loadavg().map((value) => Number(value.toFixed(2)));
      log(
        `${workers} worker process(es): ${orders} orders at ${connections} connections (load ${loadAverageBefore.join(' ')})`,
      );
      await runOnce(workers, `scaling-${workers}`, orders);
      const report = JSON.parse(readFileSync(path.join(RESULTS, `scaling-${workers}.json`), 'utf8'));
      figures.push({
        workers,
        loadAverageBefore,
        confirmedPerSecond: report.spread.confirmedPerSecondEndToEnd,
        acceptToConfirmedMs: report.spread.acceptToConfirmedMs,
        acceptedPerSecond: report.spread.acceptedPerSecond,
        placeLatencyMs: report.spread.placeLatencyMs,
        accepted: report.spread.accepted,
        confirmed: report.spread.confirmed,
        non2xx: report.spread.non2xx,
        errors: report.spread.errors,
      });
    }
  } finally {
    for (const entry of [...started].reverse()) await stop(entry);
    await payment.close();
    await deleteKeysWithPrefix(redisUrl, prefix).catch((error: unknown) =>
      log(`Redis clean-up failed: ${String(error)}`),
    );
    await dropDatabase().catch((error: unknown) => log(`database clean-up failed: ${String(error)}`));
    await rm(gatewayPrefix, { recursive: true, force: true });
  }

  console.log('\nworkers | confirmed orders/s | accept→confirmed p50 ms | p99 ms | accepted/s (BFF)');
  for (const row of figures) {
    console.log(
      `${String(row.workers).padStart(7)} | ${String(row.confirmedPerSecond).padStart(18)} | ${String(row.acceptToConfirmedMs.p50).padStart(23)} | ${String(row.acceptToConfirmedMs.p99).padStart(6)} | ${row.acceptedPerSecond}`,
    );
  }
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    path.join(RESULTS, 'worker-scaling.json'),
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine,
        settings: { orders, connections, workerConcurrencyPerProcess: concurrency, workerQueues: 'all' },
        runs: figures,
      },
      null,
      2,
    )}\n`,
  );
  log(`wrote ${path.relative(ROOT, path.join(RESULTS, 'worker-scaling.json'))}`);
}

runBenchmark(main, () => started, log);
