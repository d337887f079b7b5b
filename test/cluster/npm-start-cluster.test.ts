/**
 * `npm start -- --redis-cluster` (scripts/run-stack.mjs, scripts/stack-redis.mjs), run as npm runs it: the
 * supervisor starts a local Redis Cluster through scripts/redis-cluster.sh, runs the fakes, the BFF, the
 * workers and the gateway on it, says so in the ready banner, and on SIGTERM stops the cluster it started —
 * but never one it found running. The cluster is this file's own (ports 7400-7405, its own directory), so the
 * 7100s of `npm run test:cluster` and the 7200s of cluster-smoke.test.ts are never touched; every other port
 * is a free one, the database and the Redis prefix are this file's too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { createAccessTokenSigner } from '../../bff/auth/access-tokens';
import { loadConfig } from '../../shared/config';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { insertProducts } from '../support/products';
import { testRedisPrefix } from '../support/redis';
import { call, uniqueEmail } from '../support/stack';
import {
  REPO_ROOT,
  connectionRefused,
  pollUntil,
  portBelowEphemeralRange,
  runScript,
  shippingAddress,
} from '../ops/ops-support';

const FIRST_PORT = 7400;
const CLUSTER_PORTS = Array.from({ length: 6 }, (_, index) => FIRST_PORT + index);
const OWN_CLUSTER = {
  REDIS_CLUSTER_PORT: String(FIRST_PORT),
  REDIS_CLUSTER_DIR: path.join(REPO_ROOT, '.run/redis-cluster-npm-start'),
};
const clusterScript = (command: string) =>
  runScript('scripts/redis-cluster.sh', [command], OWN_CLUSTER, 60_000);

interface RunningStack {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

describe('npm start -- --redis-cluster', () => {
  let database: TestDatabase;
  let prefix: string;
  let scratch: string;
  let env: Record<string, string>;
  let gatewayUrl: string;
  const runs: RunningStack[] = [];

  /** `node scripts/run-stack.mjs --redis-cluster`, in a process group of its own so cleanup can end it all. */
  function startRunStack(): RunningStack {
    const child = spawn(process.execPath, ['scripts/run-stack.mjs', '--redis-cluster'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const run = { child, output: () => output, exited };
    runs.push(run);
    return run;
  }

  const waitForOutput = (run: RunningStack, text: string, timeoutMs: number) =>
    pollUntil(
      () => {
        if (run.output().includes(text)) return true;
        if (run.child.exitCode !== null)
          throw new Error(`run-stack exited before "${text}":\n${run.output()}`);
        return undefined;
      },
      timeoutMs,
      `"${text}" from run-stack\n${run.output().slice(-4000)}`,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- run-stack output ---\n${run.output().slice(-6000)}`);
    });

  async function exitWithin(run: RunningStack, timeoutMs: number) {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        run.exited,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`run-stack still running:\n${run.output().slice(-4000)}`)),
            timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  const clusterAnswers = async () =>
    (await Promise.all(CLUSTER_PORTS.map((port) => connectionRefused(port)))).every((refused) => !refused);

  beforeAll(async () => {
    // A cluster a crashed earlier run left on these ports would be reused, not started: start from none.
    await clusterScript('stop');
    database = await createTestDatabase('npm_start_cluster');
    prefix = testRedisPrefix('npm_start_cluster');
    scratch = await mkdtemp(path.join(os.tmpdir(), 'vm-npm-start-cluster-'));
    const ports = new Set<number>();
    while (ports.size < 6) ports.add(await portBelowEphemeralRange());
    const [gateway, bff, inbox, payment, sms, metrics] = [...ports].map(String);
    gatewayUrl = `http://127.0.0.1:${gateway}`;
    env = {
      ...OWN_CLUSTER,
      DATABASE_URL: database.url,
      REDIS_PREFIX: prefix,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'pretty',
      NO_COLOR: '1',
      LOG_DIR: path.join(scratch, 'logs'),
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PORT: gateway!,
      GATEWAY_PREFIX_DIR: path.join(scratch, 'nginx'),
      BFF_HOST: '127.0.0.1',
      BFF_PORT: bff!,
      BFF_UPSTREAMS: `127.0.0.1:${bff}`,
      PUBLIC_BASE_URL: gatewayUrl,
      WORKER_METRICS_HOST: '127.0.0.1',
      WORKER_METRICS_PORT: metrics!,
      FAKES_HOST: '127.0.0.1',
      FAKE_INBOX_PORT: inbox!,
      FAKE_PAYMENT_PORT: payment!,
      FAKE_SMS_PORT: sms!,
      FAKE_OIDC_PORT: '0',
      FAKE_KAKAO_PORT: '0',
      FAKE_NAVER_PORT: '0',
      FAKE_GOOGLE_PORT: '0',
      FAKE_PAYMENT_LATENCY_MS: '0',
      PAYMENT_GATEWAY_URL: `http://127.0.0.1:${payment}`,
      SOLAPI_BASE_URL: `http://127.0.0.1:${sms}`,
    };
  }, 60_000);

  afterAll(async () => {
    try {
      for (const run of runs) {
        if (run.child.exitCode !== null || run.child.signalCode !== null) continue;
        process.kill(-run.child.pid!, 'SIGTERM');
        await exitWithin(run, 40_000).catch(() => process.kill(-run.child.pid!, 'SIGKILL'));
      }
      await database?.drop();
      if (scratch) await rm(scratch, { recursive: true, force: true });
    } finally {
      await clusterScript('stop');
    }
  }, 90_000);

  it('when started with --redis-cluster and no cluster running, then it starts one, runs an order on it, names it in the banner and stops it on SIGTERM', async () => {
    const run = startRunStack();
    await waitForOutput(run, '[redis-cluster] started: 127.0.0.1:7400,', 60_000);
    await waitForOutput(run, 'Ctrl-C stops everything.', 150_000);
    const banner = run.output().slice(run.output().lastIndexOf('╭'));
    expect(banner).toContain('Voltmall is ready');
    expect(banner).toMatch(/│ Redis {15}cluster \(6 nodes, 127\.0\.0\.1:7400-7405\) +│/);
    // The box stays a box with the Redis line in it: every line as wide as the top.
    const box = banner.split('\n').filter((line) => /^[│╭╰]/.test(line));
    expect(new Set(box.map((line) => line.length)).size).toBe(1);

    // One order through the gateway, answered once confirmed (the order event over sharded pub/sub).
    const [productId] = await insertProducts(database.db, [{ price: 12_000, stock: 5 }]);
    const [userId] = await database
      .db('users')
      .insert({ email: uniqueEmail(), role: 'user', status: 'active' });
    const config = loadConfig({ ...process.env, DATABASE_URL: database.url, REDIS_PREFIX: prefix });
    const { token } = await createAccessTokenSigner(config).sign({ userId: Number(userId), role: 'user' });
    const placed = await call(gatewayUrl, 'POST', '/api/orders', {
      token,
      body: { items: [{ productId, quantity: 1 }], shippingAddress, paymentMethod: 'card' },
      headers: { 'idempotency-key': `npm-start-cluster-${userId}`, prefer: 'wait=20' },
    });
    expect(placed.status).toBe(201);
    expect(placed.body.status).toBe('CONFIRMED');

    // The order's keys are on this run's cluster, none on the single Redis.
    const cluster = new Cluster(CLUSTER_PORTS.slice(0, 3).map((port) => ({ host: '127.0.0.1', port })));
    const single = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      await cluster.ping();
      const onCluster: string[] = [];
      for (const node of cluster.nodes('master')) onCluster.push(...(await node.keys(`${prefix}:*`)));
      expect(onCluster.some((key) => key.startsWith(`${prefix}:bull:{orders:jobs}`))).toBe(true);
      expect(await single.keys(`${prefix}:*`)).toEqual([]);
    } finally {
      cluster.disconnect();
      single.disconnect();
    }

    run.child.kill('SIGTERM');
    expect(await exitWithin(run, 60_000)).toEqual({ code: 0, signal: null });
    expect(run.output()).toContain('[redis-cluster] stopping the Redis Cluster this run started');
    expect(run.output()).toContain('[redis-cluster] stopped');
    expect(await Promise.all(CLUSTER_PORTS.map((port) => connectionRefused(port)))).toEqual(
      CLUSTER_PORTS.map(() => true),
    );
    expect((await clusterScript('status')).code).toBe(1);
  }, 240_000);

  it('when a cluster is running already, then --redis-cluster uses it and leaves it running on SIGTERM', async () => {
    expect((await clusterScript('start')).code).toBe(0);
    const run = startRunStack();
    await waitForOutput(run, '[redis-cluster] already running: 127.0.0.1:7400,', 60_000);
    // Stopped while its processes start: the supervisor stops them, and the cluster is not its to stop.
    run.child.kill('SIGTERM');
    expect(await exitWithin(run, 60_000)).toEqual({ code: 0, signal: null });
    expect(run.output()).toContain(
      '[redis-cluster] leaving the Redis Cluster running (it was running before this run): 127.0.0.1:7400,',
    );
    expect(run.output()).not.toContain('[redis-cluster] stopped');
    expect(await clusterAnswers()).toBe(true);
    expect((await clusterScript('status')).code).toBe(0);
  }, 120_000);
});
