import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startPaymentGateway } from '../../fakes/payment-gateway';
import type { StartedFake } from '../../fakes/fake-server';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { freePort } from '../support/gateway';
import { insertProducts, stockPicture } from '../support/products';
import { deleteRedisPrefix, testRedisPrefix } from '../support/redis';
import { call, createUserWithToken, startStack, uniqueEmail, type TestStack } from '../support/stack';
import {
  SETTLED,
  gatewayRecords,
  pidAlive,
  pidsInRunDir,
  expectScriptResult,
  pollUntil,
  portBelowEphemeralRange,
  queueCounts,
  runScript,
  setGatewayKnobs,
  shippingAddress,
  startNodeProcess,
  stopAll,
  stopPids,
  waitForExit,
  waitForLog,
  writeEnvFile,
  type NodeProcess,
  connectionRefused,
} from './ops-support';

const DOMAINS = ['orders', 'stock', 'payments'] as const;

async function countWhere(stack: TestStack, ids: number[], statuses: string[]): Promise<number> {
  const rows = await stack.database
    .db('orders')
    .whereIn('id', ids)
    .whereIn('status', statuses)
    .count({ n: '*' });
  return Number((rows[0] as { n: number }).n);
}

async function placeOrders(stack: TestStack, productId: number, count: number, tag: string) {
  const user = await createUserWithToken(stack);
  const placed = await Promise.all(
    Array.from({ length: count }, (_, index) =>
      call(stack.url, 'POST', '/api/orders', {
        token: user.token,
        headers: { 'idempotency-key': `${tag}-${index}-${Date.now()}` },
        body: { items: [{ productId, quantity: 1 }], shippingAddress, paymentMethod: 'card' },
      }),
    ),
  );
  expect(placed.map((response) => response.status)).toEqual(Array(count).fill(202));
  return placed.map((response) => response.body.orderId as number);
}

/** One charge per confirmed order, each step finished once, nothing active or failed in the queues. */
async function expectSettledExactlyOnce(
  stack: TestStack,
  pg: StartedFake<any>,
  ids: number[],
  jobDoneLines: Record<string, unknown>[],
) {
  const orders = (await stack.database.db('orders').whereIn('id', ids).select('id', 'status')) as {
    id: number;
    status: string;
  }[];
  expect(orders.filter((order) => order.status !== 'CONFIRMED')).toEqual([]);
  const { charges } = await gatewayRecords(pg);
  const finished = jobDoneLines.map((entry) => String(entry.jobId));
  for (const id of ids) {
    expect([id, charges.filter((charge) => charge.orderId === `order-${id}`).length]).toEqual([id, 1]);
    for (const step of ['place', 'reserve', 'charge']) {
      const jobId = `${step}-${id}`;
      expect([jobId, finished.filter((entry) => entry === jobId).length]).toEqual([jobId, 1]);
    }
  }
  const counts = await queueCounts(process.env.REDIS_URL!, stack.env.REDIS_PREFIX!, [...DOMAINS]);
  for (const domain of DOMAINS) {
    const { active, waiting, failed } = counts[domain]!;
    expect({ domain, active, waiting, failed }).toEqual({ domain, active: 0, waiting: 0, failed: 0 });
  }
}

describe('graceful shutdown', () => {
  describe('a BFF process', () => {
    let database: TestDatabase;
    let prefix: string;
    const processes: NodeProcess[] = [];

    beforeAll(async () => {
      database = await createTestDatabase('shutdown_bff');
      prefix = testRedisPrefix('shutdown_bff');
    }, 60_000);

    afterAll(async () => {
      await stopAll(processes);
      await database?.drop();
      await deleteRedisPrefix(process.env.REDIS_URL!, prefix);
    }, 60_000);

    it('when it gets SIGTERM during a burst, then accepted requests finish, new connections are refused and it exits 0', async () => {
      const [productId] = await insertProducts(database.db, [{ price: 9_900, stock: 50 }]);
      const [userId] = await database
        .db('users')
        .insert({ email: uniqueEmail(), role: 'user', status: 'active' });
      const port = await freePort();
      const bff = startNodeProcess(
        'bff',
        'bff/main.ts',
        {
          DATABASE_URL: database.url,
          REDIS_PREFIX: prefix,
          BFF_HOST: '127.0.0.1',
          BFF_PORT: String(port),
          LOG_LEVEL: 'info',
        },
        processes,
      );
      await waitForLog(bff, 'bff listening', 60_000);
      const base = `http://127.0.0.1:${port}`;
      const identity = {
        'x-gateway-secret': process.env.GATEWAY_SECRET!,
        'x-user-id': String(userId),
        'x-user-role': 'user',
      };

      // Slow requests: each writes its order, then waits (Prefer: wait) for a settlement that no worker
      // will bring, and answers 202 when the wait ends.
      const tag = `drain-${Date.now()}`;
      let slowSettled = 0;
      const slow = Array.from({ length: 6 }, (_, index) =>
        fetch(`${base}/api/orders`, {
          method: 'POST',
          headers: {
            ...identity,
            'content-type': 'application/json',
            prefer: 'wait=5',
            'idempotency-key': `${tag}-${index}`,
          },
          body: JSON.stringify({
            items: [{ productId, quantity: 1 }],
            shippingAddress,
            paymentMethod: 'card',
          }),
        })
          .then(async (response) => ({ status: response.status, body: (await response.json()) as any }))
          .finally(() => {
            slowSettled += 1;
          }),
      );

      // A keep-alive burst of quick requests the whole time, until the server refuses them.
      let sigtermAt = Infinity;
      const quick: { at: number; endedAt: number; status?: number; error?: string }[] = [];
      const burst = async () => {
        for (let sent = 0; sent < 5000; sent += 1) {
          const at = Date.now();
          try {
            const response = await fetch(`${base}/healthz`);
            await response.arrayBuffer();
            quick.push({ at, endedAt: Date.now(), status: response.status });
          } catch (error) {
            const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code ?? String(error);
            quick.push({ at, endedAt: Date.now(), error: code });
            if (code === 'ECONNREFUSED') return;
          }
        }
      };
      const bursts = [burst(), burst(), burst()];

      // Every slow request is in flight: its order row exists.
      await pollUntil(
        async () => {
          const rows = await database
            .db('orders')
            .where('idempotency_key', 'like', `${tag}-%`)
            .count({ n: '*' });
          return Number((rows[0] as { n: number }).n) === 6 ? true : undefined;
        },
        30_000,
        'the slow requests in flight',
      );
      expect(slowSettled).toBe(0);
      sigtermAt = Date.now();
      bff.child.kill('SIGTERM');

      // New connections are refused while the accepted requests are still being answered.
      await pollUntil(
        async () => ((await connectionRefused(port)) ? true : undefined),
        5000,
        'connection refused',
      );
      expect(slowSettled).toBe(0);

      const answers = await Promise.all(slow);
      expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(202));
      expect(answers.every((answer) => Number.isInteger(answer.body.orderId))).toBe(true);

      const answeredAt = Date.now();

      const exit = await waitForExit(bff, 25_000);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(Date.now() - sigtermAt).toBeLessThan(25_000);
      // Keep-alive clients did not hold it open until the drain deadline (15 s).
      expect(Date.now() - answeredAt).toBeLessThan(5000);
      await Promise.all(bursts);

      // Every answer the burst got was a success; the only failures are connections the server no
      // longer accepted (refused, or an idle keep-alive socket it closed as the request went out).
      expect(quick.filter((entry) => entry.status !== undefined && entry.status !== 200)).toEqual([]);
      // A request that failed before the signal is a fault. One sent on an idle keep-alive socket just
      // before the signal may still meet the socket's close (the server had not read it yet): that is the
      // keep-alive race every HTTP client retries, so it counts as late, like those sent after.
      expect(quick.filter((entry) => entry.error !== undefined && entry.endedAt < sigtermAt)).toEqual([]);
      const lateErrors = new Set(quick.flatMap((entry) => (entry.error ? [entry.error] : [])));
      for (const code of lateErrors)
        expect(['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']).toContain(code);
      expect(quick.filter((entry) => entry.status === 200).length).toBeGreaterThan(0);
      expect(bff.logged('shutdown complete')).toHaveLength(1);
      expect(bff.logged('forced remaining connections closed after 15000 ms')).toHaveLength(0);
    }, 120_000);
  });

  describe('worker processes', () => {
    let pg: StartedFake<any>;
    let stack: TestStack;
    let runDir: string;
    const processes: NodeProcess[] = [];

    beforeAll(async () => {
      // ~200 ms per charge, so jobs are active when the signal comes.
      pg = await startPaymentGateway({ port: 0, seed: 5, latencyMs: 200 });
      stack = await startStack({ label: 'shutdown_wk', env: { PAYMENT_GATEWAY_URL: pg.url } });
      runDir = await mkdtemp(path.join(os.tmpdir(), 'vm-roll-'));
    }, 120_000);

    afterAll(async () => {
      await stopAll(processes);
      if (runDir) {
        await stopPids(await pidsInRunDir(runDir));
        await rm(runDir, { recursive: true, force: true });
      }
      await stack?.close();
      await pg?.close();
    }, 60_000);

    const workerEnv = () => ({
      ...stack.env,
      PAYMENT_GATEWAY_URL: pg.url,
      WORKER_QUEUES: DOMAINS.join(','),
      WORKER_CONCURRENCY: '4',
      WORKER_SHUTDOWN_TIMEOUT_MS: '10000',
      LOG_LEVEL: 'info',
    });

    it('when a worker gets SIGTERM mid-burst, then it finishes its active jobs, takes no more, exits 0, and a second worker settles every order exactly once', async () => {
      await setGatewayKnobs(pg, { latencyMs: 200 });
      const [productId] = await insertProducts(stack.database.db, [{ price: 21_000, stock: 100 }]);
      const ids = await placeOrders(stack, productId!, 40, 'sigterm');

      const first = startNodeProcess('worker-1', 'workers/main.ts', workerEnv(), processes);
      await pollUntil(
        async () => ((await countWhere(stack, ids, ['CONFIRMED'])) >= 3 ? true : undefined),
        90_000,
        'a few orders confirmed',
      );
      const sigtermAt = Date.now();
      first.child.kill('SIGTERM');
      const exit = await waitForExit(first, 20_000);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(Date.now() - sigtermAt).toBeLessThan(10_000 + 5000);
      expect(first.logged('shutdown complete')).toHaveLength(1);
      expect(first.logged('forcing workers closed')).toHaveLength(0);
      expect(first.logged('job failed')).toHaveLength(0);

      // It let its active jobs finish and stopped taking new ones: nothing is active, orders wait.
      const afterFirst = await queueCounts(process.env.REDIS_URL!, stack.env.REDIS_PREFIX!, [...DOMAINS]);
      expect(DOMAINS.map((domain) => afterFirst[domain]!.active)).toEqual([0, 0, 0]);
      expect(await countWhere(stack, ids, SETTLED)).toBeLessThan(ids.length);

      const second = startNodeProcess('worker-2', 'workers/main.ts', workerEnv(), processes);
      await pollUntil(
        async () => ((await countWhere(stack, ids, SETTLED)) === ids.length ? true : undefined),
        120_000,
        'every order settled by the second worker',
      );
      // Stopped before counting: an order is confirmed a moment before its job's 'job done' line and
      // its move to completed.
      second.child.kill('SIGTERM');
      expect(await waitForExit(second, 20_000)).toEqual({ code: 0, signal: null });
      expect(second.logged('job done').length).toBeGreaterThan(0);
      await expectSettledExactlyOnce(stack, pg, ids, [
        ...first.logged('job done'),
        ...second.logged('job done'),
      ]);
      const picture = await stockPicture(stack.database.db, productId!);
      expect(picture).toEqual({ stock: 60, held: 40, ledgerTotal: -40 });
    }, 240_000);

    it('when roll-workers.sh rolls the workers mid-burst, then the new ones start first, the old one drains and exits, and no order is lost', async () => {
      await setGatewayKnobs(pg, { latencyMs: 200 });
      const envFile = path.join(runDir, 'app.env');
      await writeEnvFile(envFile, {
        ...workerEnv(),
        NODE_ENV: 'test',
        REDIS_URL: process.env.REDIS_URL!,
        GATEWAY_SECRET: process.env.GATEWAY_SECRET!,
        SMS_PAYLOAD_KEY: process.env.SMS_PAYLOAD_KEY!,
        JWT_PRIVATE_KEY: process.env.JWT_PRIVATE_KEY!,
      });
      // Old and new workers run side by side: each gets a metrics port of its own from the range.
      const metricsFrom = await portBelowEphemeralRange();
      const scriptEnv = {
        DEPLOY_RUN_DIR: runDir,
        DEPLOY_ENV_FILE: envFile,
        DEPLOY_WORKERS: `${DOMAINS.join(',')}:1`,
        DEPLOY_WORKER_STOP_TIMEOUT: '30',
        DEPLOY_WORKER_METRICS_PORTS: `${metricsFrom}-${metricsFrom + 20}`,
      };
      const firstRoll = await runScript('scripts/deploy/roll-workers.sh', [], scriptEnv, 120_000);
      expectScriptResult(firstRoll, 0, 'new workers running');
      const [oldPid] = await pidsInRunDir(runDir);
      expect(oldPid).toBeDefined();
      const [oldId] = (await readdir(path.join(runDir, 'workers')))
        .filter((name) => name.endsWith('.pid'))
        .map((name) => name.slice(0, -'.pid'.length));

      const [productId] = await insertProducts(stack.database.db, [{ price: 15_000, stock: 100 }]);
      const ids = await placeOrders(stack, productId!, 30, 'roll');
      await pollUntil(
        async () => ((await countWhere(stack, ids, ['CONFIRMED'])) >= 3 ? true : undefined),
        90_000,
        'a few orders confirmed',
      );
      // Slow payments down for the roll, so that work is left for the new worker whatever the roll takes.
      await setGatewayKnobs(pg, { latencyMs: 3000 });
      const secondRoll = await runScript('scripts/deploy/roll-workers.sh', [], scriptEnv, 120_000);
      await setGatewayKnobs(pg, { latencyMs: 0 });
      expectScriptResult(secondRoll, 0, 'stopping workers');
      expect(pidAlive(oldPid!)).toBe(false);
      const pidsNow = await pidsInRunDir(runDir);
      expect(pidsNow).toHaveLength(1);
      expect(pidsNow[0]).not.toBe(oldPid);
      const targets = JSON.parse(
        await readFile(path.join(runDir, 'workers', 'metrics-targets.json'), 'utf8'),
      );
      expect(targets).toEqual([{ targets: [expect.any(String)], labels: { job: 'voltmall-workers' } }]);
      const metrics = await fetch(`http://${targets[0].targets[0]}/metrics`);
      expect(metrics.status).toBe(200);
      await metrics.arrayBuffer();

      await pollUntil(
        async () => ((await countWhere(stack, ids, SETTLED)) === ids.length ? true : undefined),
        120_000,
        'every order settled after the roll',
      );
      // Stopped before counting: an order is confirmed a moment before its job's 'job done' line.
      expectScriptResult(
        await runScript('scripts/deploy/roll-workers.sh', ['stop'], scriptEnv, 120_000),
        0,
        'stopping workers',
      );
      expect(await pidsInRunDir(runDir)).toEqual([]);
      const logs = path.join(runDir, 'logs');
      const readLog = async (name: string) =>
        (await readFile(path.join(logs, name), 'utf8'))
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>);
      const names = (await readdir(logs)).filter((name) => name.startsWith('worker-'));
      expect(names).toHaveLength(2);
      const oldLog = await readLog(`worker-${oldId}.log`);
      const newLog = await readLog(names.find((name) => name !== `worker-${oldId}.log`)!);
      // The old worker shut down by itself (no forced close) during the roll; both did work.
      expect(oldLog.filter((entry) => entry.msg === 'shutdown complete')).toHaveLength(1);
      expect(oldLog.filter((entry) => entry.msg === 'forcing workers closed')).toEqual([]);
      for (const entries of [oldLog, newLog]) {
        expect(entries.filter((entry) => entry.msg === 'job done').length).toBeGreaterThan(0);
      }
      const jobDone = [...oldLog, ...newLog].filter((entry) => entry.msg === 'job done');
      await expectSettledExactlyOnce(stack, pg, ids, jobDone);
    }, 300_000);
  });
});
