/**
 * Redis Cluster beside one Redis, on this machine, in one run (issue #19; docs/OPERATIONS-scaling.md):
 * confirmed orders/s end to end (bench/orders.ts) and warm cart reads/s (`GET /api/cart` through the gateway)
 * for a stack on one Redis and for a stack on a local Redis Cluster, same settings, alternating
 * (single, cluster, single, cluster) so the machine's noise falls on both. Also measures what one order costs
 * each process and server (for the capacity section of docs/OPERATIONS-scaling.md).
 *
 * It starts everything itself and removes it at the end:
 * - a Redis Cluster of 6 nodes (3 primaries, 3 replicas) with scripts/redis-cluster.sh on
 *   127.0.0.1:BENCH_CLUSTER_PORT..+5 (default 7500-7505) in a tmp directory, and one plain redis-server with
 *   the same flags on BENCH_CLUSTER_PORT+6 (7506) for the single-Redis stack: both modes run the same
 *   binary and settings, and each server's counters (INFO commandstats, INFO cpu) are the stack's own;
 * - two stacks with bench/lib/stack.ts (own database each, migrated and seeded, fresh secrets, fakes, one BFF,
 *   the nginx gateway on free ports) and one worker process per domain (orders, stock, payments, stats,
 *   notifications; WORKER_CONCURRENCY each), so CPU time can be told apart per domain.
 * Every process of the stacks is preloaded with bench/lib/process-probe.js (its CPU time and SQL statements,
 * dumped on SIGUSR2). Per measured orders run and cart run it takes the deltas of those, of each Redis
 * primary's command counts and CPU, and of the MariaDB server's CPU (machine-wide: it includes anything else
 * the server does meanwhile).
 *
 *   npx tsx bench/cluster.ts            # or: npx tsx bench/run-all.ts --isolated --only cluster
 *   BENCH_ORDERS=1000 BENCH_SECONDS=10 BENCH_CONNECTIONS=50 BENCH_ROUNDS=2 npx tsx bench/cluster.ts
 *
 * Also: BENCH_WARMUP_ORDERS (300 per stack before the rounds, unmeasured), BENCH_CLUSTER_PORT (7500: never
 * the tests' 7100s/7200s/7400s), BENCH_CLUSTER_DATABASE (vm_bench_cluster → _single and _cluster),
 * BENCH_MYSQL_URL (server URL without database; default DATABASE_URL's server), WORKER_CONCURRENCY (8),
 * BENCH_RESULTS_DIR (bench/results). Writes bench/results/cluster.json. About 4 minutes with the defaults.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DOMAIN_NAMES } from '../queues';
import { Redis } from '../shared/redis';
import { runLoad } from './lib/autocannon-load';
import { prepareDemoCart } from './lib/demo-cart';
import { poll, runBenchmark, startNode, stopProcess, waitForExit, type Started } from './lib/processes';
import { formatJson, type OrdersRunFigures } from './lib/report';
import { mysqlServerOf, startStack, type RunningStack } from './lib/stack';

const ROOT = path.resolve(__dirname, '..');
const RESULTS = process.env.BENCH_RESULTS_DIR ?? path.join(__dirname, 'results');
const PROBE = path.join(__dirname, 'lib', 'process-probe.js');
const ORDERS = Number(process.env.BENCH_ORDERS ?? 1000);
const CART_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WARMUP_ORDERS = Number(process.env.BENCH_WARMUP_ORDERS ?? 300);
const WORKER_CONCURRENCY = Number(process.env.WORKER_CONCURRENCY ?? 8);
const FIRST_PORT = Number(process.env.BENCH_CLUSTER_PORT ?? 7500);
const SINGLE_PORT = FIRST_PORT + 6;
const DATABASE = process.env.BENCH_CLUSTER_DATABASE ?? 'vm_bench_cluster';
const MYSQL_SERVER = (process.env.BENCH_MYSQL_URL ?? mysqlServerOf(process.env.DATABASE_URL)).replace(
  /\/$/,
  '',
);
const CART_WARMUP_SECONDS = 2;
/** The issue's aim: the cluster keeps at least this share of single-Redis throughput on one machine. */
const TARGET_RATIO = 0.85;

const MODES = ['single', 'cluster'] as const;
type Mode = (typeof MODES)[number];

function log(message: string): void {
  console.log(`[cluster] ${message}`);
}

const loadAverage = () => os.loadavg().map((value) => Number(value.toFixed(2)));
const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;
const round3 = (value: number) => Math.round(value * 1000) / 1000;

// ---------------------------------------------------------------------------------------------------------
// Redis servers

const clusterDirPromise = mkdtemp(path.join(os.tmpdir(), 'vm-bench-cluster-'));
/**
 * The cluster's own directory (pid files, node configs) in the checkout's gitignored .run/, one per port
 * range: a run that was killed leaves its pid files there, so the next run's `stop` finds those nodes.
 */
const CLUSTER_NODES_DIR = path.join(ROOT, '.run', `redis-cluster-bench-${FIRST_PORT}`);

async function redisCluster(command: 'start' | 'stop' | 'nodes'): Promise<string> {
  const result = spawnSync('bash', [path.join(ROOT, 'scripts', 'redis-cluster.sh'), command], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      REDIS_CLUSTER_HOST: '127.0.0.1',
      REDIS_CLUSTER_PORT: String(FIRST_PORT),
      REDIS_CLUSTER_SIZE: '6',
      REDIS_CLUSTER_DIR: CLUSTER_NODES_DIR,
    },
  });
  if (result.status !== 0)
    throw new Error(`redis-cluster.sh ${command} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout.trim();
}

let singleRedis: ChildProcess | undefined;

/** One plain redis-server with the cluster nodes' flags (no persistence), as a child of this process. */
async function startSingleRedis(): Promise<void> {
  const dir = path.join(await clusterDirPromise, 'single');
  await mkdir(dir, { recursive: true });
  const child = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(SINGLE_PORT), '--save', '', '--appendonly', 'no'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  singleRedis = child;
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000)));
  const probe = new Redis(SINGLE_PORT, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
  probe.on('error', () => undefined); // refused until the server listens: the loop below asks again
  try {
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`redis-server on ${SINGLE_PORT} exited:\n${output}`);
      if ((await probe.ping().catch(() => '')) === 'PONG') break;
      if (Date.now() > deadline) throw new Error(`redis-server on ${SINGLE_PORT}: no PONG within 15 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    probe.disconnect();
  }
}

async function stopSingleRedis(): Promise<void> {
  const child = singleRedis;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

interface RedisNodeCounters {
  calls: Record<string, number>;
  cpuSeconds: number;
}

async function redisCounters(client: Redis): Promise<RedisNodeCounters> {
  const text = await client.info('all');
  const calls: Record<string, number> = {};
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls[match[1]!] = Number(match[2]);
  const cpu = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(text)?.[1] ?? 0);
  return { calls, cpuSeconds: cpu('used_cpu_user') + cpu('used_cpu_sys') };
}

// ---------------------------------------------------------------------------------------------------------
// Process probes and the MariaDB server's CPU

interface SqlCounts {
  roundTrips: number;
  statements: number;
  select: number;
  lockingSelect: number;
  write: number;
  transaction: number;
  other: number;
}

interface ProbeDump {
  pid: number;
  script: string;
  queues: string;
  seq: number;
  cpuUs: number;
  sql: SqlCounts;
}

const SQL_KEYS: (keyof SqlCounts)[] = [
  'roundTrips',
  'statements',
  'select',
  'lockingSelect',
  'write',
  'transaction',
  'other',
];

function readProbes(dir: string): ProbeDump[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as ProbeDump);
}

/** The role a probed process plays: 'bff', a worker domain, or undefined (seed, fakes, the gateway's runner). */
function roleOf(dump: ProbeDump): string | undefined {
  if (dump.script === 'bff/main.ts') return 'bff';
  if (dump.script === 'workers/main.ts') return dump.queues;
  return undefined;
}

/** Asks every BFF and worker process of a stack for a fresh dump and returns them by role. */
async function probeStack(dir: string): Promise<Map<string, ProbeDump>> {
  const before = readProbes(dir).filter((dump) => roleOf(dump) !== undefined);
  for (const dump of before) process.kill(dump.pid, 'SIGUSR2');
  const wanted = new Map(before.map((dump) => [dump.pid, dump.seq]));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const now = readProbes(dir).filter((dump) => wanted.has(dump.pid));
    if (now.every((dump) => dump.seq > wanted.get(dump.pid)!)) {
      return new Map(now.map((dump) => [roleOf(dump)!, dump]));
    }
    if (Date.now() > deadline) throw new Error(`process probes in ${dir} did not answer within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** The pid of the local MariaDB/MySQL server, when this user can read it. */
function databaseServerPid(): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (comm === 'mariadbd' || comm === 'mysqld') return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// The two stacks

interface ModeStack {
  mode: Mode;
  stack: RunningStack;
  /** The variables every process of this stack runs with (the stack's, plus cluster nodes and the probe). */
  env: Record<string, string>;
  probeDir: string;
  workers: Started[];
  /** Clients to this stack's Redis servers: the primaries its keys live on (the single Redis), and replicas. */
  redisNodes: Array<{ name: string; replica: boolean; client: Redis }>;
  token?: string;
}

const stacks: ModeStack[] = [];
/** Processes started here (the stacks' own are bench/lib/stack.ts's): worker processes, orders runs. */
const children: Started[] = [];

/** Sets `vars` in this process's environment while `work` runs: bench/lib/stack.ts passes it to its processes. */
async function withEnvironment<T>(vars: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  Object.assign(process.env, vars);
  try {
    return await work();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

async function startModeStack(mode: Mode, clusterNodes: string): Promise<ModeStack> {
  const probeDir = await mkdtemp(path.join(os.tmpdir(), `vm-bench-probe-${mode}-`));
  const extra: Record<string, string> = {
    // Empty for the single stack: hides a REDIS_CLUSTER_NODES of the shell or .env (empty counts as unset).
    REDIS_CLUSTER_NODES: mode === 'cluster' ? clusterNodes : '',
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${PROBE}`.trim(),
    BENCH_PROBE_DIR: probeDir,
  };
  const redisUrl = `redis://127.0.0.1:${mode === 'cluster' ? FIRST_PORT : SINGLE_PORT}`;
  const stack = await withEnvironment(extra, () =>
    startStack({
      database: `${DATABASE}_${mode}`,
      mysqlServerUrl: MYSQL_SERVER,
      redisUrl,
      workers: 0,
      log: (message) =>
        // On the cluster the stack's key clean-up (one plain client, one node) cannot work; the cluster
        // itself is stopped, keys and all, right after.
        log(
          `${mode} stack: ${message.startsWith('Redis clean-up failed') && mode === 'cluster' ? 'keys go with the cluster' : message}`,
        ),
    }),
  );
  const entry: ModeStack = {
    mode,
    stack,
    env: { ...stack.env, ...extra },
    probeDir,
    workers: [],
    redisNodes: [],
  };
  stacks.push(entry);
  // One worker process per domain, so each domain's CPU time is its own.
  for (const domain of DOMAIN_NAMES) {
    const readyFile = path.join(probeDir, `${domain}.ready`);
    const worker = startNode(`${mode} worker ${domain}`, ['workers/main.ts'], {
      ...process.env,
      ...entry.env,
      WORKER_QUEUES: domain,
      WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
      WORKER_READY_FILE: readyFile,
    });
    entry.workers.push(worker);
    children.push(worker);
  }
  for (const worker of entry.workers) {
    const readyFile = path.join(probeDir, `${worker.name.split(' ').pop()}.ready`);
    await poll(`${worker.name} running`, 90_000, async () => existsSync(readyFile), worker);
  }
  if (mode === 'single') {
    entry.redisNodes.push({
      name: `:${SINGLE_PORT}`,
      replica: false,
      client: new Redis(SINGLE_PORT, '127.0.0.1'),
    });
  } else {
    for (let port = FIRST_PORT; port < FIRST_PORT + 6; port += 1) {
      const client = new Redis(port, '127.0.0.1');
      const role = /^role:(\w+)/m.exec(await client.info('replication'))?.[1];
      entry.redisNodes.push({ name: `:${port}`, replica: role !== 'master', client });
    }
  }
  log(
    `${mode} stack up: ${stack.url}, ${entry.workers.length} worker processes, Redis ${entry.redisNodes
      .map((node) => `${node.name}${node.replica ? ' (replica)' : ''}`)
      .join(' ')}`,
  );
  return entry;
}

// ---------------------------------------------------------------------------------------------------------
// Measurements

interface Snapshot {
  probes: Map<string, ProbeDump>;
  redis: Map<string, RedisNodeCounters>;
  databaseCpuSeconds?: number;
}

async function snapshot(target: ModeStack, databasePid: number | undefined): Promise<Snapshot> {
  const redis = new Map<string, RedisNodeCounters>();
  for (const node of target.redisNodes)
    redis.set(`${node.replica ? 'replica ' : ''}${node.name}`, await redisCounters(node.client));
  return {
    probes: await probeStack(target.probeDir),
    redis,
    databaseCpuSeconds: processCpuSeconds(databasePid),
  };
}

/** What a stretch of work cost: CPU µs and SQL by process role, Redis calls by command and CPU by node. */
interface Cost {
  cpuUs: Record<string, number>;
  sql: Record<string, SqlCounts>;
  redisCalls: Record<string, number>;
  redisCpuSeconds: Record<string, number>;
  databaseCpuSeconds: number | null;
}

function emptyCost(): Cost {
  return { cpuUs: {}, sql: {}, redisCalls: {}, redisCpuSeconds: {}, databaseCpuSeconds: 0 };
}

/** Adds the difference between two snapshots to `total`. */
function addDelta(total: Cost, before: Snapshot, after: Snapshot): void {
  for (const [role, dump] of after.probes) {
    const start = before.probes.get(role);
    if (!start) continue;
    total.cpuUs[role] = (total.cpuUs[role] ?? 0) + dump.cpuUs - start.cpuUs;
    const sql = (total.sql[role] ??= Object.fromEntries(
      SQL_KEYS.map((key) => [key, 0]),
    ) as unknown as SqlCounts);
    for (const key of SQL_KEYS) sql[key] += dump.sql[key] - start.sql[key];
  }
  for (const [node, counters] of after.redis) {
    const start = before.redis.get(node)!;
    total.redisCpuSeconds[node] = (total.redisCpuSeconds[node] ?? 0) + counters.cpuSeconds - start.cpuSeconds;
    // A replica's commands are its primary's, replayed: counted once, on the primary. Its CPU counts apart.
    if (node.startsWith('replica ')) continue;
    for (const [command, calls] of Object.entries(counters.calls)) {
      if (command === 'info') continue; // this benchmark's own
      const delta = calls - (start.calls[command] ?? 0);
      if (delta > 0) total.redisCalls[command] = (total.redisCalls[command] ?? 0) + delta;
    }
  }
  if (
    total.databaseCpuSeconds !== null &&
    before.databaseCpuSeconds !== undefined &&
    after.databaseCpuSeconds !== undefined
  )
    total.databaseCpuSeconds += after.databaseCpuSeconds - before.databaseCpuSeconds;
  else total.databaseCpuSeconds = null;
}

/** A cost divided by a count of units (orders, reads): CPU in ms, counts per unit. */
function perUnit(cost: Cost, units: number, cpuScale: number) {
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const sqlTotal = Object.fromEntries(
    SQL_KEYS.map((key) => [key, round2(sum(Object.values(cost.sql).map((sql) => sql[key])) / units)]),
  );
  const redisCalls = sum(Object.values(cost.redisCalls));
  return {
    units,
    cpu: Object.fromEntries(
      Object.entries(cost.cpuUs).map(([role, us]) => [role, round2(us / cpuScale / units)]),
    ),
    sql: {
      total: sqlTotal,
      byProcess: Object.fromEntries(
        Object.entries(cost.sql).map(([role, sql]) => [role, round2(sql.statements / units)]),
      ),
    },
    redis: {
      commands: round2(redisCalls / units),
      byCommand: Object.fromEntries(
        Object.entries(cost.redisCalls)
          .filter(([, calls]) => calls / units >= 0.01)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 12)
          .map(([command, calls]) => [command, round2(calls / units)]),
      ),
      cpuByNode: Object.fromEntries(
        Object.entries(cost.redisCpuSeconds)
          .filter(([node]) => !node.startsWith('replica '))
          .map(([node, seconds]) => [node, round2((seconds * 1e6) / cpuScale / units)]),
      ),
      replicasCpu: round2(
        (sum(
          Object.entries(cost.redisCpuSeconds)
            .filter(([node]) => node.startsWith('replica '))
            .map(([, seconds]) => seconds),
        ) *
          1e6) /
          cpuScale /
          units,
      ),
    },
    databaseServerCpu:
      cost.databaseCpuSeconds === null ? null : round2((cost.databaseCpuSeconds * 1e6) / cpuScale / units),
  };
}

type OrdersFigures = OrdersRunFigures;

async function runOrders(target: ModeStack, count: number, name: string): Promise<OrdersFigures> {
  const env: Record<string, string> = {
    ...Object.fromEntries(
      Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
    DOTENV_CONFIG_PATH: '/dev/null',
    DATABASE_URL: target.stack.env.DATABASE_URL!,
    BENCH_URL: target.stack.url,
    BENCH_ORDERS: String(count),
    BENCH_CONNECTIONS: String(CONNECTIONS),
    BENCH_HOT_ORDERS: '0',
    BENCH_WARMUP_ORDERS: '0',
    BENCH_RESULT_NAME: name,
    BENCH_RESULTS_DIR: await runDirPromise,
    WORKER_CONCURRENCY: `${WORKER_CONCURRENCY} per domain process`,
  };
  const entry = startNode(name, ['bench/orders.ts'], env);
  children.push(entry);
  if (!(await waitForExit(entry, 600_000))) {
    await stopProcess(entry, 5000);
    throw new Error(`${name} did not finish within 10 min`);
  }
  if (entry.child.exitCode !== 0)
    throw new Error(`${name} failed (exit ${entry.child.exitCode}):\n${entry.output.join('').slice(-3000)}`);
  const report = JSON.parse(readFileSync(path.join(await runDirPromise, `${name}.json`), 'utf8'));
  const spread = report.spread;
  return {
    confirmedPerSecond: spread.confirmedPerSecondEndToEnd,
    acceptToConfirmedMs: spread.acceptToConfirmedMs,
    acceptedPerSecond: spread.acceptedPerSecond,
    placeLatencyMs: spread.placeLatencyMs,
    accepted: spread.accepted,
    confirmed: spread.confirmed,
    non2xx: spread.non2xx,
    errors: spread.errors,
  };
}

const runDirPromise = mkdtemp(path.join(os.tmpdir(), 'vm-bench-cluster-runs-'));

/** Signs the demo user in and gives them a cart (bench/lib/demo-cart.ts, as bench/cart.ts does). */
async function prepareCart(target: ModeStack): Promise<void> {
  target.token = (await prepareDemoCart(target.stack.url, target.stack.env.DATABASE_URL!)).token;
}

interface CartFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

async function runCart(target: ModeStack, seconds: number): Promise<CartFigures> {
  const result = await runLoad(
    target.stack.url,
    {
      name: 'GET /api/cart',
      nextPath: () => '/api/cart',
      headers: { authorization: `Bearer ${target.token}` },
    },
    { connections: CONNECTIONS, seconds },
  );
  return {
    requestsPerSecond: result.requestsPerSecond,
    p50Ms: result.latencyMs.p50,
    p99Ms: result.latencyMs.p99,
    requests: result.requests,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

// ---------------------------------------------------------------------------------------------------------

interface RunRow {
  round: number;
  mode: Mode;
  loadAverageBefore: number[];
  orders: OrdersFigures;
  cart: CartFigures;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);

function summarise(rows: RunRow[]) {
  return {
    confirmedPerSecond: Math.round(mean(rows.map((row) => row.orders.confirmedPerSecond))),
    acceptToConfirmedMs: {
      p50: Math.round(mean(rows.map((row) => row.orders.acceptToConfirmedMs.p50))),
      p99: Math.round(mean(rows.map((row) => row.orders.acceptToConfirmedMs.p99))),
    },
    acceptedPerSecond: Math.round(mean(rows.map((row) => row.orders.acceptedPerSecond))),
    cartReadsPerSecond: Math.round(mean(rows.map((row) => row.cart.requestsPerSecond))),
    cartMs: {
      p50: round1(mean(rows.map((row) => row.cart.p50Ms))),
      p99: round1(mean(rows.map((row) => row.cart.p99Ms))),
    },
    failures: rows.reduce(
      (sum, row) =>
        sum +
        row.orders.non2xx +
        row.orders.errors +
        (row.orders.accepted - row.orders.confirmed) +
        row.cart.non2xx +
        row.cart.errors,
      0,
    ),
  };
}

async function main(): Promise<void> {
  if (![ORDERS, CART_SECONDS, CONNECTIONS, ROUNDS].every((value) => Number.isInteger(value) && value > 0)) {
    throw new Error(
      'BENCH_ORDERS, BENCH_SECONDS, BENCH_CONNECTIONS and BENCH_ROUNDS must be positive integers',
    );
  }
  const loadAtStart = loadAverage();
  const started = Date.now();
  const rows: RunRow[] = [];
  const orderCosts: Record<Mode, Cost> = { single: emptyCost(), cluster: emptyCost() };
  const cartCosts: Record<Mode, Cost> = { single: emptyCost(), cluster: emptyCost() };
  const confirmedOrders: Record<Mode, number> = { single: 0, cluster: 0 };
  const cartReads: Record<Mode, number> = { single: 0, cluster: 0 };
  let clusterStarted = false;
  try {
    log(`Redis: a cluster on 127.0.0.1:${FIRST_PORT}-${FIRST_PORT + 5}, one redis-server on :${SINGLE_PORT}`);
    await startSingleRedis();
    clusterStarted = true;
    // A fresh cluster every run: stop leaves nothing of a previous (killed) run, start makes a clean one.
    await redisCluster('stop');
    await redisCluster('start');
    const clusterNodes = await redisCluster('nodes');
    for (const mode of MODES) await startModeStack(mode, clusterNodes);
    const databasePid = databaseServerPid();

    for (const target of stacks) {
      await prepareCart(target);
      if (WARMUP_ORDERS > 0) {
        log(`${target.mode}: warm-up, ${WARMUP_ORDERS} orders and ${CART_WARMUP_SECONDS} s of cart reads`);
        await runOrders(target, WARMUP_ORDERS, `cluster-warmup-${target.mode}`);
      }
      await runCart(target, CART_WARMUP_SECONDS);
    }

    for (let round = 1; round <= ROUNDS; round += 1) {
      const figures = new Map<
        Mode,
        { loadAverageBefore: number[]; orders?: OrdersFigures; cart?: CartFigures }
      >();
      for (const target of stacks) {
        const loadAverageBefore = loadAverage();
        log(
          `round ${round}/${ROUNDS}, ${target.mode}: ${ORDERS} orders at ${CONNECTIONS} connections (load ${loadAverageBefore.join(' ')})`,
        );
        const before = await snapshot(target, databasePid);
        const orders = await runOrders(target, ORDERS, `cluster-${target.mode}-${round}`);
        addDelta(orderCosts[target.mode], before, await snapshot(target, databasePid));
        confirmedOrders[target.mode] += orders.confirmed;
        figures.set(target.mode, { loadAverageBefore, orders });
        log(
          `  ${orders.confirmedPerSecond} confirmed orders/s, accept→confirmed p50 ${orders.acceptToConfirmedMs.p50} ms`,
        );
      }
      for (const target of stacks) {
        log(
          `round ${round}/${ROUNDS}, ${target.mode}: GET /api/cart for ${CART_SECONDS} s at ${CONNECTIONS} connections`,
        );
        await runCart(target, 1);
        const before = await snapshot(target, databasePid);
        const cart = await runCart(target, CART_SECONDS);
        addDelta(cartCosts[target.mode], before, await snapshot(target, databasePid));
        cartReads[target.mode] += cart.requests;
        figures.get(target.mode)!.cart = cart;
        log(`  ${cart.requestsPerSecond} reads/s, p50 ${cart.p50Ms} ms, p99 ${cart.p99Ms} ms`);
      }
      for (const mode of MODES) {
        const entry = figures.get(mode)!;
        rows.push({
          round,
          mode,
          loadAverageBefore: entry.loadAverageBefore,
          orders: entry.orders!,
          cart: entry.cart!,
        });
      }
    }
  } catch (error) {
    for (const entry of children) {
      const output = entry.output.join('').slice(-1500).trim();
      if (output) console.error(`--- last output of ${entry.name}:\n${output}`);
    }
    throw error;
  } finally {
    for (const worker of [...children].reverse()) await stopProcess(worker, 30_000, log);
    for (const target of [...stacks].reverse()) {
      for (const node of target.redisNodes) node.client.disconnect();
      await target.stack.stop();
      await rm(target.probeDir, { recursive: true, force: true });
    }
    if (clusterStarted) await redisCluster('stop').catch((error: unknown) => log(String(error)));
    await stopSingleRedis();
    await rm(await clusterDirPromise, { recursive: true, force: true });
    await rm(await runDirPromise, { recursive: true, force: true });
  }

  const modes = {
    single: summarise(rows.filter((row) => row.mode === 'single')),
    cluster: summarise(rows.filter((row) => row.mode === 'cluster')),
  };
  const ratios = {
    orders: round3(modes.cluster.confirmedPerSecond / modes.single.confirmedPerSecond),
    cartReads: round3(modes.cluster.cartReadsPerSecond / modes.single.cartReadsPerSecond),
  };
  const costs = Object.fromEntries(
    MODES.map((mode) => [
      mode,
      {
        // CPU in ms per order; in µs per cart read.
        perOrder: perUnit(orderCosts[mode], confirmedOrders[mode], 1000),
        perCartRead: perUnit(cartCosts[mode], cartReads[mode], 1),
      },
    ]),
  );
  const result = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      loadAverage: loadAverage(),
      loadAverageAtStart: loadAtStart,
    },
    settings: {
      orders: ORDERS,
      connections: CONNECTIONS,
      cartSeconds: CART_SECONDS,
      rounds: ROUNDS,
      warmupOrders: WARMUP_ORDERS,
      workerProcesses: `one per domain (${DOMAIN_NAMES.join(', ')}), concurrency ${WORKER_CONCURRENCY} each`,
      cluster: `3 primaries + 3 replicas, 127.0.0.1:${FIRST_PORT}-${FIRST_PORT + 5}`,
      single: `one redis-server, 127.0.0.1:${SINGLE_PORT}, same flags`,
    },
    seconds: Math.round((Date.now() - started) / 1000),
    target: TARGET_RATIO,
    modes,
    ratios,
    runs: rows,
    costs,
  };
  console.log(
    '\nmode    | confirmed orders/s | accept→confirmed p50/p99 ms | cart reads/s | cart p50/p99 ms',
  );
  for (const mode of MODES) {
    const figures = modes[mode];
    console.log(
      `${mode.padEnd(7)} | ${String(figures.confirmedPerSecond).padStart(18)} | ${`${figures.acceptToConfirmedMs.p50} / ${figures.acceptToConfirmedMs.p99}`.padStart(27)} | ${String(figures.cartReadsPerSecond).padStart(12)} | ${figures.cartMs.p50} / ${figures.cartMs.p99}`,
    );
  }
  console.log(
    `cluster/single: orders ${ratios.orders}, cart reads ${ratios.cartReads} (target ≥ ${TARGET_RATIO})`,
  );
  await mkdir(RESULTS, { recursive: true });
  await writeFile(path.join(RESULTS, 'cluster.json'), formatJson(result));
  log(`wrote ${path.relative(ROOT, path.join(RESULTS, 'cluster.json'))} in ${result.seconds} s`);
}

runBenchmark(main, () => children, log);
