/**
 * `npm run bench`: runs every benchmark against the running stack, one after the other, then rewrites
 * docs/BENCHMARKS.md (figures, machine, date, a chart per benchmark in docs/benchmarks/*.svg).
 *
 *   npm start                                   # the stack: gateway on 127.0.0.1:8080 (BENCH_URL overrides)
 *   npm run seed -- --products 100000           # once (the catalogue benchmark needs ≥ 100,000 products)
 *   npm run bench                               # gateway, catalogue, cart, orders, worker scaling, console; the report
 *   npx tsx bench/run-all.ts --report-only      # re-render the report from bench/results/*.json only
 *   npx tsx bench/run-all.ts --only gateway,cart
 *   npx tsx bench/run-all.ts --isolated         # start a throw-away stack (bench/lib/stack.ts) and use it
 *
 * The stack's settings (DATABASE_URL, REDIS_URL/REDIS_PREFIX, BFF_PORT/BFF_UPSTREAMS, secrets) come from the
 * environment, else .env, as they do for `npm start`. Each benchmark is its own process (bench/<name>.ts) and
 * writes bench/results/<name>.json (BENCH_RESULTS_DIR overrides the directory); this script adds run.json
 * (machine, versions, date, what ran). Worker scaling starts a stack of its own and takes a few minutes:
 * BENCH_SCALING=0 skips it. So does the cluster benchmark (two stacks, a local Redis Cluster, ~4 minutes):
 * BENCH_CLUSTER=0 skips it. BENCH_SEED=1 seeds the 100,000 products when they are missing.
 * BENCH_SECONDS / BENCH_CONNECTIONS / BENCH_ORDERS are passed through to the scripts. With --isolated:
 * BENCH_STACK_DATABASE (vm_bench_all; also the Redis prefix), BENCH_MYSQL_URL (server of DATABASE_URL),
 * BENCH_NODE_ARGS (node flags for every process of the stack, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof').
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'dotenv';
import { createDatabase } from '../shared/db';
import { Redis } from '../shared/redis';
import {
  BENCHMARKS,
  collectMachineInfo,
  formatJson,
  writeReport,
  type BenchmarkName,
  type MachineInfo,
  type RunRecord,
} from './lib/report';
import { mysqlServerOf, startStack, type RunningStack } from './lib/stack';

const ROOT = path.resolve(__dirname, '..');
const MIN_PRODUCTS = 100_000;
const BENCH_TIMEOUT_MS = 60 * 60_000;
const SCRIPTS: Record<BenchmarkName, string> = {
  gateway: 'bench/gateway.ts',
  catalogue: 'bench/catalogue.ts',
  cart: 'bench/cart.ts',
  orders: 'bench/orders.ts',
  'worker-scaling': 'bench/worker-scaling.ts',
  'admin-console': 'bench/admin-console.ts',
  cluster: 'bench/cluster.ts',
};

/** The benchmarks that start stacks of their own: they get the shell's variables only, not .env's. */
const OWN_STACK: BenchmarkName[] = ['worker-scaling', 'cluster'];

class UsageError extends Error {}

function parseArgs(argv: string[]): { reportOnly: boolean; isolated: boolean; only?: BenchmarkName[] } {
  let reportOnly = false;
  let isolated = false;
  let only: BenchmarkName[] | undefined;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (arg === '--report-only') reportOnly = true;
    else if (arg === '--isolated') isolated = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[(index += 1)] : arg.slice('--only='.length);
      const names = (value ?? '').split(',').map((name) => name.trim());
      for (const name of names) {
        if (!BENCHMARKS.includes(name as BenchmarkName)) {
          throw new UsageError(`--only: unknown benchmark "${name}" (known: ${BENCHMARKS.join(', ')})`);
        }
      }
      only = names as BenchmarkName[];
    } else if (arg === '--help' || arg === '-h') {
      console.log(
        'usage: npx tsx bench/run-all.ts [--report-only] [--isolated] [--only gateway,catalogue,...]',
      );
      process.exit(0);
    } else throw new UsageError(`unknown argument "${arg}"`);
  }
  return { reportOnly, isolated, only };
}

function log(message: string): void {
  console.log(`[bench] ${message}`);
}

/** The environment `npm start` runs with: the shell's variables, then .env for the rest. */
function stackEnvironment(): { shell: Record<string, string>; stack: Record<string, string> } {
  const shell = Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const envPath = path.join(ROOT, '.env');
  const fromFile = existsSync(envPath) ? parse(readFileSync(envPath)) : {};
  return { shell, stack: { ...fromFile, ...shell } };
}

async function serverVersions(env: Record<string, string>): Promise<{ mariadb?: string; redis?: string }> {
  const versions: { mariadb?: string; redis?: string } = {};
  if (env.DATABASE_URL) {
    const db = createDatabase(env.DATABASE_URL, 1);
    try {
      const [rows] = (await db.raw('SELECT VERSION() AS version')) as [Array<{ version: string }>];
      const version = rows[0]?.version;
      if (version) versions.mariadb = version.replace(/^(\d+\.\d+\.\d+(?:-MariaDB)?).*$/, '$1');
    } catch {
      // fall back to the client binary's version
    } finally {
      await db.destroy();
    }
  }
  const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    const info = await redis.info('server');
    versions.redis = /redis_version:(\S+)/.exec(info)?.[1];
  } catch {
    // fall back to the server binary's version
  } finally {
    redis.disconnect();
  }
  return versions;
}

async function activeProducts(databaseUrl: string): Promise<number> {
  const db = createDatabase(databaseUrl, 1);
  try {
    const row = (await db('products').where('status', 'active').count({ count: '*' }).first()) as
      { count: number | string } | undefined;
    return Number(row?.count ?? 0);
  } finally {
    await db.destroy();
  }
}

let current: ChildProcess | undefined;

/** Runs `node --import tsx <script> [args]` from the repository root with `env`; resolves with its exit code. */
function runScript(
  script: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    current = child;
    const timer = setTimeout(() => {
      log(`${script} still running after ${timeoutMs / 60_000} min: stopping it`);
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGKILL'), 120_000).unref();
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      log(`${script} could not start: ${error.message}`);
      resolve(1);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

async function checkReachable(url: string, what: string, hint: string): Promise<void> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (response.ok) return;
    throw new Error(`answered ${response.status}`);
  } catch (error) {
    throw new UsageError(`${what} at ${url} is not ready (${(error as Error).message}). ${hint}`);
  }
}

const loadAverage = () => os.loadavg().map((value) => Number(value.toFixed(2)));

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const { shell, stack: stackEnv } = stackEnvironment();
  const resultsDir = path.resolve(shell.BENCH_RESULTS_DIR ?? path.join(__dirname, 'results'));
  const docsDir = path.join(ROOT, 'docs');
  const fallbackMachine = async (): Promise<MachineInfo> =>
    collectMachineInfo(await serverVersions(stackEnv));

  if (options.reportOnly) {
    const output = await writeReport({ resultsDir, docsDir }, fallbackMachine);
    log(`rendered ${path.relative(process.cwd(), output)} from ${path.relative(process.cwd(), resultsDir)}`);
    return;
  }

  const selected = (options.only ?? BENCHMARKS).filter(
    (name) =>
      options.only !== undefined ||
      !(
        (name === 'worker-scaling' && shell.BENCH_SCALING === '0') ||
        (name === 'cluster' && shell.BENCH_CLUSTER === '0')
      ),
  );
  const startedAt = new Date().toISOString();
  const loadAtStart = loadAverage();
  let stack: RunningStack | undefined;
  let interrupted = false;
  const interrupt = () => {
    if (interrupted) return;
    interrupted = true;
    log('interrupted: stopping the running benchmark');
    current?.kill('SIGINT');
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  try {
    let env: Record<string, string>;
    let baseUrl: string;
    // Benchmarks that start their own stacks need neither a running stack nor an isolated one.
    const ownStacksOnly = selected.every((name) => OWN_STACK.includes(name));
    if (ownStacksOnly) {
      env = { ...stackEnv };
      baseUrl = 'none';
    } else if (options.isolated) {
      const database = shell.BENCH_STACK_DATABASE ?? 'vm_bench_all';
      stack = await startStack({
        database,
        mysqlServerUrl: shell.BENCH_MYSQL_URL ?? mysqlServerOf(stackEnv.DATABASE_URL),
        redisUrl: stackEnv.REDIS_URL,
        products: selected.includes('catalogue') ? MIN_PRODUCTS : 0,
        log: (message) => log(`stack: ${message}`),
      });
      env = {
        ...stackEnv,
        ...stack.env,
        BENCH_SCALE_DATABASE: shell.BENCH_SCALE_DATABASE ?? `${database}_scale`,
      };
      baseUrl = stack.url;
    } else {
      env = { ...stackEnv };
      baseUrl =
        shell.BENCH_URL ??
        `http://${stackEnv.GATEWAY_HOST ?? '127.0.0.1'}:${stackEnv.GATEWAY_PORT ?? '8080'}`;
      await checkReachable(
        `${baseUrl}/readyz`,
        'the stack',
        'Start it with `npm start` (or set BENCH_URL, or run with --isolated).',
      );
      const needsBff = selected.includes('gateway') || selected.includes('cart');
      if (needsBff) {
        // bench/gateway.ts and bench/cart.ts put nginx instances of their own in front of the BFF itself.
        const bff =
          (stackEnv.BFF_UPSTREAMS ?? '').split(',')[0]?.trim() || `127.0.0.1:${stackEnv.BFF_PORT ?? '3000'}`;
        await checkReachable(
          `http://${bff}/healthz`,
          'the BFF',
          'The gateway and cart benchmarks talk to it directly: set BFF_PORT / BFF_UPSTREAMS to the running BFF.',
        );
      }
    }
    env.BENCH_URL = baseUrl;
    env.BENCH_RESULTS_DIR = resultsDir;
    const databaseUrl = env.DATABASE_URL;
    if (!databaseUrl && !ownStacksOnly) throw new UsageError('DATABASE_URL is not set (environment or .env)');

    let products: number | undefined;
    if (selected.includes('catalogue') && databaseUrl) {
      products = await activeProducts(databaseUrl);
      if (products < MIN_PRODUCTS) {
        if (shell.BENCH_SEED !== '1') {
          throw new UsageError(
            `the catalogue benchmark needs at least ${MIN_PRODUCTS.toLocaleString('en-US')} products, the database has ` +
              `${products.toLocaleString('en-US')}. Run \`npm run seed -- --products 100000\` first (idempotent), ` +
              'or run this with BENCH_SEED=1 to do it now (or --only to leave the catalogue out).',
          );
        }
        log(`only ${products} products: seeding ${MIN_PRODUCTS} (BENCH_SEED=1)`);
        const code = await runScript(
          'scripts/db/seed.ts',
          ['--products', String(MIN_PRODUCTS)],
          env,
          BENCH_TIMEOUT_MS,
        );
        if (code !== 0) throw new Error(`seed failed (exit ${code})`);
        products = await activeProducts(databaseUrl);
      }
    }

    const record: RunRecord = {
      startedAt,
      machine: collectMachineInfo(await serverVersions(env)),
      loadAverage: { start: loadAtStart },
      stack: {
        kind: ownStacksOnly ? 'own' : options.isolated ? 'isolated' : 'running',
        url: baseUrl,
        products,
      },
      settings: {
        connections: shell.BENCH_CONNECTIONS ?? '50 (default)',
        'seconds per case': shell.BENCH_SECONDS ?? 'default (gateway and cart 20, catalogue 12)',
        orders: shell.BENCH_ORDERS ?? 'default (orders 3,000; scaling 2,000 per worker count)',
      },
      benchmarks: BENCHMARKS.filter((name) => !selected.includes(name)).map((name) => ({
        name,
        status: 'skipped' as const,
        seconds: 0,
        note:
          options.only !== undefined
            ? 'not selected'
            : name === 'worker-scaling'
              ? 'BENCH_SCALING=0'
              : 'BENCH_CLUSTER=0',
      })),
    };
    await mkdir(resultsDir, { recursive: true });
    const saveRecord = () => writeFile(path.join(resultsDir, 'run.json'), formatJson(record));

    for (const name of selected) {
      if (interrupted) break;
      log(`${name}: npx tsx ${SCRIPTS[name]} (load average ${loadAverage().join(' ')})`);
      const started = Date.now();
      const scriptEnv = OWN_STACK.includes(name)
        ? {
            // It starts stacks of its own with fresh secrets: only the shell's variables, not .env's.
            ...shell,
            BENCH_MYSQL_URL: shell.BENCH_MYSQL_URL ?? mysqlServerOf(env.DATABASE_URL),
            REDIS_URL: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
            BENCH_RESULTS_DIR: resultsDir,
            ...(env.BENCH_SCALE_DATABASE ? { BENCH_SCALE_DATABASE: env.BENCH_SCALE_DATABASE } : {}),
          }
        : env;
      const code = await runScript(SCRIPTS[name], [], scriptEnv, BENCH_TIMEOUT_MS);
      const seconds = Math.round((Date.now() - started) / 1000);
      record.benchmarks.push({
        name,
        status: code === 0 ? 'ok' : 'failed',
        seconds,
        ...(code === 0 ? {} : { note: interrupted ? 'interrupted' : `exit ${code}` }),
      });
      log(`${name}: ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${seconds} s`);
      await saveRecord();
    }
    for (const name of selected) {
      if (!record.benchmarks.some((entry) => entry.name === name)) {
        record.benchmarks.push({ name, status: 'skipped', seconds: 0, note: 'interrupted' });
      }
    }
    record.benchmarks.sort((a, b) => BENCHMARKS.indexOf(a.name) - BENCHMARKS.indexOf(b.name));
    record.finishedAt = new Date().toISOString();
    record.loadAverage.end = loadAverage();
    await saveRecord();
    const output = await writeReport({ resultsDir, docsDir }, fallbackMachine);
    log(`wrote ${path.relative(process.cwd(), output)} and docs/benchmarks/*.svg`);
    const failed = record.benchmarks.filter((entry) => entry.status === 'failed').map((entry) => entry.name);
    if (failed.length > 0 || interrupted) {
      log(`failed: ${failed.join(', ') || 'none'}${interrupted ? ' (interrupted)' : ''}`);
      process.exitCode = 1;
    }
  } finally {
    await stack?.stop();
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`bench: ${error.message}`);
    process.exitCode = 2;
    return;
  }
  console.error(error);
  process.exitCode = 1;
});
