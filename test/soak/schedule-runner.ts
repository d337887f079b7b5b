/**
 * Carries out fault schedules (fault-schedule.ts) against the real system: MariaDB and Redis, the BFF behind
 * the nginx gateway, worker processes (workers/main.ts, SIGKILLable), the fake payment gateway, with the
 * BFF's and the workers' database connections through a TCP proxy that can be cut. After each schedule's
 * faults stop, it waits (bounded) for the order flow's invariants and reports those still broken.
 */
import { randomBytes } from 'node:crypto';
import { startPaymentGateway } from '../../fakes/payment-gateway';
import type { StartedFake } from '../../fakes/fake-server';
import { ordersQueue, paymentsQueue, stockQueue } from '../../queues';
import { orderJobId } from '../../queues/order-job-ids';
import { bullPrefix } from '../../shared/redis';
import { statsService } from '../../workers/stats/stats.service';
import { insertProducts } from '../support/products';
import { deleteRedisPrefix } from '../support/redis';
import { createUserWithToken, eventually, startStack, type TestStack } from '../support/stack';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import {
  faultKindOf,
  type FaultKind,
  type FaultSchedule,
  type GatewayFault,
  type InjectableJob,
  type JobInjection,
  type ScheduleEvent,
} from './fault-schedule';
import { orderInvariantViolations, statisticsViolations, type GatewayLedger } from './order-invariants';

const address = {
  recipient: 'Yoon Ha-eun',
  phone: '010-7777-8888',
  postalCode: '34126',
  address1: '99 Daehak-ro, Yuseong-gu, Daejeon',
};

/** Worker settings that make retries, stall checks and the sweeper act within seconds. */
const FAST_WORKERS = {
  WORKER_QUEUES: 'orders,stock,payments,stats',
  WORKER_CONCURRENCY: '4',
  WORKER_LOCK_DURATION_MS: '2000',
  WORKER_STALLED_INTERVAL_MS: '1000',
  WORKER_SHUTDOWN_TIMEOUT_MS: '3000',
  ORDER_STUCK_AFTER_SECONDS: '2',
  ORDER_SWEEP_INTERVAL_MS: '1000',
  PAYMENT_GATEWAY_TIMEOUT_MS: '500',
  // The statistics must stay right by themselves: no reconciliation may correct them during a run.
  STATS_RECONCILE_CRON: '0 0 1 1 *',
};

const NO_GATEWAY_FAULTS = {
  errorRate: 0,
  timeoutRate: 0,
  lostResponseRate: 0,
  declineRate: 0,
  latencyMs: 0,
  throttleNextCalls: 0,
};

export interface SoakStack {
  stack: TestStack;
  paymentGateway: StartedFake<any>;
  databaseProxy: TcpProxy;
  /** The worker processes, by slot; a killed one is replaced in its slot. */
  workers: WorkerProcess[];
  workerEnv: Record<string, string>;
  close(): Promise<void>;
}

export async function startSoakStack(label: string, workerCount: number): Promise<SoakStack> {
  const mysql = new URL(process.env.TEST_MYSQL_URL ?? 'mysql://voltmall:voltmall@127.0.0.1:3306');
  const databaseProxy = await startTcpProxy({ host: mysql.hostname, port: Number(mysql.port || 3306) });
  const throughProxy = (url: string) => {
    const routed = new URL(url);
    routed.hostname = '127.0.0.1';
    routed.port = String(databaseProxy.port);
    return routed.toString();
  };
  const paymentGateway = await startPaymentGateway({ port: 0 });
  const stack = await startStack({
    label,
    env: { PAYMENT_GATEWAY_URL: paymentGateway.url },
    bffDatabaseUrl: throughProxy,
  });
  const workerEnv = {
    ...stack.env,
    ...FAST_WORKERS,
    DATABASE_URL: throughProxy(stack.database.url),
    PAYMENT_GATEWAY_URL: paymentGateway.url,
  };
  const workers = Array.from({ length: workerCount }, () => startWorkerProcess(workerEnv));
  // The schedules' clocks start once every worker process takes jobs (tsx takes seconds to boot).
  const orders = ordersQueue.createProducer(
    { url: process.env.REDIS_URL!, maxRetriesPerRequest: null },
    bullPrefix(stack.env.REDIS_PREFIX!),
  );
  try {
    await eventually(
      async () => ((await orders.queue.getWorkersCount()) >= workerCount ? true : undefined),
      60_000,
      `${workerCount} worker processes taking jobs`,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${workers.map((worker) => worker.stderr()).join('\n')}`);
    });
  } finally {
    await orders.close();
  }
  const soak: SoakStack = {
    stack,
    paymentGateway,
    databaseProxy,
    workers,
    workerEnv,
    async close() {
      await Promise.all(soak.workers.map((worker) => worker.stop(5_000)));
      await stack.close();
      await paymentGateway.close();
      await databaseProxy.close();
    },
  };
  return soak;
}

export interface ScheduleReport {
  seed: number;
  /** Orders in the database for the schedule's users (accepted or not). */
  orders: number;
  acceptedOrders: number;
  cancelsSent: number;
  acceptedCancels: number;
  replays: number;
  /** Jobs injected, by `<job>-<JobInjection>`. */
  injectedJobs: Record<string, number>;
  faults: Partial<Record<FaultKind, number>>;
  /** The customers' answers, by `<request> <status>` (e.g. `place 503`). */
  answers: Record<string, number>;
  /** Final states of the schedule's orders. */
  statuses: Record<string, number>;
  /** From the end of the faults until every invariant held (undefined if they never all did). */
  settledInMs?: number;
  violations: string[];
}

export interface RunOptions {
  /** How long after the faults stop the invariants may take to hold. */
  settleWithinMs: number;
  /** Called with progress lines (e.g. console.log in the soak). */
  log?: (line: string) => void;
}

const REQUEST_TIMEOUT_MS = 15_000;

async function request(
  baseUrl: string,
  method: string,
  pathname: string,
  options: { token: string; body?: unknown; headers?: Record<string, string> },
): Promise<{ status: number; body: any }> {
  try {
    const response = await fetch(`${baseUrl}${pathname}`, {
      method,
      headers: {
        authorization: `Bearer ${options.token}`,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: kept as text for the report
    }
    return { status: response.status, body };
  } catch (error) {
    // No answer at all (the request hung past the bound): status 0, reported as a violation.
    return { status: 0, body: String(error) };
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function gatewayKnobs(fault: GatewayFault): Record<string, number> {
  switch (fault.kind) {
    case 'errors':
      return { errorRate: fault.rate };
    case 'timeouts':
      return { timeoutRate: fault.rate };
    case 'lost-responses':
      return { lostResponseRate: fault.rate };
    case 'declines':
      return { declineRate: fault.rate };
    case 'slow':
      return { latencyMs: fault.latencyMs };
    case 'throttle':
      return { throttleNextCalls: fault.calls, throttleRetryAfterSeconds: fault.retryAfterSeconds };
  }
}

async function controlGateway(gateway: StartedFake<any>, knobs: Record<string, number>): Promise<void> {
  const response = await fetch(`${gateway.url}/__control`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(knobs),
  });
  if (!response.ok) throw new Error(`gateway control ${JSON.stringify(knobs)}: ${response.status}`);
}

const increment = <K extends string>(counts: Partial<Record<K, number>>, key: K) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** Runs one schedule to its end, then waits for the invariants (bounded) and reports. */
export async function runSchedule(
  soak: SoakStack,
  schedule: FaultSchedule,
  options: RunOptions,
): Promise<ScheduleReport> {
  const { stack, paymentGateway, databaseProxy } = soak;
  const db = stack.database.db;
  const log = options.log ?? (() => undefined);
  const run = randomBytes(3).toString('hex');
  const productIds = await insertProducts(db, schedule.products);
  const users = await Promise.all(Array.from({ length: schedule.users }, () => createUserWithToken(stack)));
  await controlGateway(paymentGateway, { ...NO_GATEWAY_FAULTS, seed: schedule.seed });

  const connection = { url: process.env.REDIS_URL!, maxRetriesPerRequest: null };
  const prefix = bullPrefix(stack.env.REDIS_PREFIX!);
  const producers = {
    orders: ordersQueue.createProducer(connection, prefix),
    stock: stockQueue.createProducer(connection, prefix),
    payments: paymentsQueue.createProducer(connection, prefix),
  };

  const report: ScheduleReport = {
    seed: schedule.seed,
    orders: 0,
    acceptedOrders: 0,
    cancelsSent: 0,
    acceptedCancels: 0,
    replays: 0,
    injectedJobs: {},
    faults: {},
    answers: {},
    statuses: {},
    violations: [],
  };
  const violation = (text: string): void => {
    report.violations.push(text);
  };

  // What the customers were told, by placement.
  const placed = new Map<number, Promise<number | undefined>>();
  const answeredIds = new Map<number, Set<number>>();
  const accepted = new Set<number>();
  const acceptedCancels = new Set<number>();
  const placements = new Map(
    schedule.events.flatMap((event) => (event.kind === 'place' ? [[event.ref, event] as const] : [])),
  );

  const sendPlacement = async (ref: number): Promise<number | undefined> => {
    const event = placements.get(ref)!;
    const response = await request(stack.url, 'POST', '/api/orders', {
      token: users[event.user]!.token,
      headers: { 'idempotency-key': `soak-${schedule.seed}-${run}-${ref}` },
      body: {
        items: event.lines.map((line) => ({ productId: productIds[line.product]!, quantity: line.quantity })),
        shippingAddress: address,
        paymentMethod: 'card',
      },
    });
    increment(report.answers, `place ${response.status}`);
    if (response.status === 202 || response.status === 201) {
      const orderId = Number(response.body.orderId);
      accepted.add(orderId);
      const ids = answeredIds.get(ref) ?? new Set<number>();
      ids.add(orderId);
      answeredIds.set(ref, ids);
      return orderId;
    }
    // 503: a dependency was down, the customer may try again; anything else is a bug.
    if (response.status !== 503)
      violation(`placement ${ref} answered ${response.status} ${JSON.stringify(response.body)}`);
    return undefined;
  };

  let databaseCuts = 0;
  /** Adds a job behind the flow's back (see JobInjection); false when there was nothing to duplicate. */
  const injectJob = async (job: InjectableJob, mode: JobInjection, orderId: number): Promise<boolean> => {
    const queue =
      job === 'place' || job === 'cancel'
        ? producers.orders
        : job === 'reserve' || job === 'release'
          ? producers.stock
          : producers.payments;
    const own = await queue.queue.getJob(orderJobId(job, orderId));
    if (mode === 're-add') {
      const state = own ? await own.getState() : 'unknown';
      if (own && (state === 'completed' || state === 'failed')) {
        await own.retry(state);
        return true;
      }
      return false; // still queued or running, or never sent: nothing to run again
    }
    if (mode === 'duplicate' && !own) return false;
    // The queue's typed producer pairs each name with its payload; these all take { orderId }.
    const add = queue.add as (
      name: string,
      data: { orderId: number },
      options: { jobId: string },
    ) => Promise<unknown>;
    await add(
      job,
      { orderId },
      { jobId: `soak-${mode}-${job}-${orderId}-${randomBytes(3).toString('hex')}` },
    );
    return true;
  };

  const perform = async (event: ScheduleEvent): Promise<void> => {
    const fault = faultKindOf(event);
    if (fault) increment(report.faults, fault);
    switch (event.kind) {
      case 'place':
        placed.set(event.ref, sendPlacement(event.ref));
        await placed.get(event.ref);
        return;
      case 'replay':
        report.replays += 1;
        await sendPlacement(event.ref);
        return;
      case 'cancel': {
        const orderId = await placed.get(event.ref);
        if (orderId === undefined) return; // never accepted: the customer has nothing to cancel
        const owner = users[placements.get(event.ref)!.user]!;
        report.cancelsSent += 1;
        const response = await request(stack.url, 'POST', `/api/orders/${orderId}/cancel`, {
          token: owner.token,
        });
        increment(report.answers, `cancel ${response.status}`);
        if (response.status === 202) {
          acceptedCancels.add(orderId);
          if (!response.body?.cancelRequestedAt || response.body.status === 'CONFIRMED')
            violation(`cancel of order ${orderId} answered 202 with ${JSON.stringify(response.body)}`);
        } else if (response.status === 409) {
          if (response.body?.error?.code !== 'ORDER_NOT_CANCELLABLE')
            violation(`cancel of order ${orderId} answered 409 ${JSON.stringify(response.body)}`);
        } else if (response.status !== 503) {
          violation(
            `cancel of order ${orderId} answered ${response.status} ${JSON.stringify(response.body)}`,
          );
        }
        return;
      }
      case 'job': {
        const orderId = await placed.get(event.ref);
        if (orderId === undefined) return;
        // A flush at the same moment may make BullMQ refuse: the job is then lost, as in a real flush.
        if (await injectJob(event.job, event.mode, orderId).catch(() => false))
          increment(report.injectedJobs, `${event.job}-${event.mode}`);
        return;
      }
      case 'kill-worker': {
        await soak.workers[event.worker]!.kill();
        await pause(event.restartAfterMs);
        // Two kills of one slot may overlap: the slot is swapped with no await in between and whatever it held
        // is killed, so no worker is ever left running unreferenced after the run.
        const replaced = soak.workers[event.worker]!;
        soak.workers[event.worker] = startWorkerProcess(soak.workerEnv);
        await replaced.kill();
        return;
      }
      case 'flush-redis':
        await deleteRedisPrefix(process.env.REDIS_URL!, stack.env.REDIS_PREFIX!);
        return;
      case 'database-outage':
        if (databaseCuts++ === 0) await databaseProxy.cut();
        await pause(event.durationMs);
        if (--databaseCuts === 0) await databaseProxy.restore();
        return;
      case 'gateway':
        await controlGateway(paymentGateway, gatewayKnobs(event.fault));
        await pause(event.durationMs);
        await controlGateway(paymentGateway, NO_GATEWAY_FAULTS);
        return;
    }
  };

  // The timeline: each event starts at its moment, without waiting for the ones before it.
  const started = Date.now();
  const running: Promise<void>[] = [];
  for (const event of schedule.events) {
    const wait = started + event.at - Date.now();
    if (wait > 0) await pause(wait);
    running.push(
      perform(event).catch((error: unknown) =>
        violation(`${event.kind} at ${event.at} ms failed: ${(error as Error).stack ?? String(error)}`),
      ),
    );
  }
  await Promise.all(running);
  await Promise.all(Object.values(producers).map((producer) => producer.close()));
  const faultsEnded = Date.now();
  log(`seed ${schedule.seed}: faults over after ${faultsEnded - started} ms; waiting for the invariants`);

  for (const [ref, ids] of answeredIds)
    if (ids.size > 1)
      violation(`placement ${ref} and its replays were answered with orders ${[...ids].join(', ')}`);
  const products = productIds.map((id, index) => ({ id, initial: schedule.products[index]!.stock }));
  const scope = {
    userIds: users.map((user) => user.userId),
    acceptedOrderIds: [...accepted],
    acceptedCancelIds: [...acceptedCancels],
    products,
  };
  const check = async () => {
    const ledger = (await (await fetch(`${paymentGateway.url}/__charges`)).json()) as GatewayLedger;
    return [...(await orderInvariantViolations(db, ledger, scope)), ...(await statisticsViolations(db))];
  };
  let broken = await check();
  const deadline = faultsEnded + options.settleWithinMs;
  while (broken.length > 0 && Date.now() < deadline) {
    await pause(250);
    broken = await check();
  }
  if (broken.length === 0) report.settledInMs = Date.now() - faultsEnded;
  report.violations.push(...broken);

  const rows = (await db('orders').whereIn('user_id', scope.userIds).select('status')) as {
    status: string;
  }[];
  report.orders = rows.length;
  for (const row of rows) report.statuses[row.status] = (report.statuses[row.status] ?? 0) + 1;
  report.acceptedOrders = accepted.size;
  report.acceptedCancels = acceptedCancels.size;

  if (broken.some((text) => text.includes('statistics'))) {
    // Put the statistics right (as the reconciliation would) so the next schedule is judged on its own.
    await statsService(db, stack.database.sqlBatches, stack.bff.config.SHOP_TIME_ZONE).reconcile(3);
  }
  return report;
}
