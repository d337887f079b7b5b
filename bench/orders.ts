/**
 * Order throughput against a running stack (`npm start`, or the processes started by hand):
 *  1. spread: N orders over many products, fired with autocannon at C connections → accepted orders/s at
 *     the BFF, then confirmed orders/s end to end and p50/p99 accept→confirmed (from the order rows);
 *  2. hot product: 1,000 orders on one product with 100 units → time until all settle, exactly 100 confirmed.
 * The fake gateway must answer at zero latency (the default of `npm run fakes`).
 *
 *   npx tsx bench/orders.ts            # BENCH_URL (default http://127.0.0.1:8080), DATABASE_URL from .env
 *   BENCH_ORDERS=3000 BENCH_CONNECTIONS=50 npx tsx bench/orders.ts
 * Writes bench/results/orders.json (or $BENCH_RESULT_NAME.json); BENCH_HOT_ORDERS=0 skips the hot-product case.
 * A warm-up of BENCH_WARMUP_ORDERS (500) orders runs first, unmeasured: a cold worker is ~20% slower.
 */
import 'dotenv/config';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createDatabase } from '../shared/db';

const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<{
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  duration: number;
  statusCodeStats: Record<string, { count: number }>;
}>;

const baseUrl = process.env.BENCH_URL ?? 'http://127.0.0.1:8080';
const orderCount = Number(process.env.BENCH_ORDERS ?? 3000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const hotOrders = Number(process.env.BENCH_HOT_ORDERS ?? 1000);
const warmupOrders = Number(process.env.BENCH_WARMUP_ORDERS ?? 500);
const hotStock = Number(process.env.BENCH_HOT_STOCK ?? 100);
const address = {
  recipient: 'Bench Kim',
  phone: '010-0000-0000',
  postalCode: '06236',
  address1: 'Bench-ro 1',
};

const db = createDatabase(process.env.DATABASE_URL!, 4);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The demo user's id: the orders of a run are found through (user_id, idempotency_key). */
let benchUserId = 0;

async function login(): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'demo@voltmall.dev', password: 'Demo123!' }),
  });
  if (!response.ok) throw new Error(`login failed: ${response.status}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

async function benchProducts(count: number, stock: number): Promise<number[]> {
  const slug = `bench-${Date.now()}`;
  const [categoryId] = await db('categories').insert({ slug, name: 'Bench' });
  const rows = Array.from({ length: count }, (_, index) => ({
    category_id: categoryId,
    sku: `${slug}-${index}`,
    name: `Bench product ${index}`,
    brand: 'Bench',
    description: 'benchmark product',
    price: 10_000 + index,
    stock,
  }));
  await db.batchInsert('products', rows, 500);
  return (await db('products').where('sku', 'like', `${slug}-%`).orderBy('id').pluck('id')).map(Number);
}

async function fire(token: string, productIds: number[], amount: number) {
  const runTag = randomUUID();
  let next = 0;
  const result = await autocannon({
    url: baseUrl,
    connections,
    amount,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        setupRequest: (request: Record<string, unknown>) => {
          const index = next++;
          return {
            ...request,
            path: '/api/orders',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${token}`,
              'idempotency-key': `bench-${runTag}-${index}`,
            },
            body: JSON.stringify({
              items: [{ productId: productIds[index % productIds.length], quantity: 1 }],
              shippingAddress: address,
              paymentMethod: 'card',
            }),
          };
        },
      },
    ],
  });
  return { result, runTag };
}

const IN_FLIGHT = ['PENDING', 'STOCK_RESERVED', 'CANCEL_REQUESTED'];

/**
 * Waits until every order of the run is final, then reads them once. While waiting it only counts the
 * run's orders still in flight, through the (status, updated_at) index: a light probe, so the benchmark
 * does not load the database it measures (reading all of the run's rows every 200 ms did).
 */
async function settle(runTag: string, expected: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  const ofRun = (builder: ReturnType<typeof db>) =>
    builder.where('user_id', benchUserId).where('idempotency_key', 'like', `bench-${runTag}-%`);
  for (;;) {
    const [{ n }] = (await ofRun(db('orders').whereIn('status', IN_FLIGHT)).count({ n: '*' })) as [
      { n: number | string },
    ];
    if (Number(n) === 0 || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const rows = (await ofRun(db('orders')).select('status', 'created_at', 'confirmed_at', 'updated_at')) as {
    status: string;
    created_at: Date;
    confirmed_at: Date | null;
    updated_at: Date;
  }[];
  if (rows.length < expected)
    throw new Error(`expected ${expected} orders of run ${runTag}, found ${rows.length}`);
  return rows;
}

async function hotProductCase(token: string) {
  const [hotProduct] = await benchProducts(1, hotStock);
  const hotStart = Date.now();
  const hot = await fire(token, [hotProduct!], hotOrders);
  const hotRows = await settle(hot.runTag, hot.result.statusCodeStats['202']?.count ?? 0, 120_000);
  const hotSettledMs = Math.max(...hotRows.map((row) => row.updated_at.getTime())) - hotStart;
  const { stock: hotStockLeft } = await db('products').where({ id: hotProduct }).first('stock');
  return {
    orders: hotOrders,
    stock: hotStock,
    confirmed: hotRows.filter((row) => row.status === 'CONFIRMED').length,
    rejected: hotRows.filter((row) => row.status === 'REJECTED').length,
    stockLeft: Number(hotStockLeft),
    settledInSeconds: Number((hotSettledMs / 1000).toFixed(2)),
  };
}

async function main(): Promise<void> {
  const token = await login();
  benchUserId = Number((await db('users').where({ email: 'demo@voltmall.dev' }).first('id'))!.id);
  const workerConcurrency = process.env.WORKER_CONCURRENCY ?? '8 (default)';

  // 1. Spread over many products, after a warm-up run (JIT, pools, caches) that is not measured.
  const products = await benchProducts(500, 1_000_000);
  if (warmupOrders > 0) {
    const warmup = await fire(token, products, warmupOrders);
    await settle(warmup.runTag, warmup.result.statusCodeStats['202']?.count ?? 0, 120_000);
  }
  const spreadStart = Date.now();
  const { result, runTag } = await fire(token, products, orderCount);
  const accepted = result.statusCodeStats['202']?.count ?? 0;
  const rows = await settle(runTag, accepted, 300_000);
  const confirmed = rows.filter((row) => row.status === 'CONFIRMED');
  const lastConfirmed = Math.max(...confirmed.map((row) => row.confirmed_at!.getTime()));
  const acceptToConfirm = confirmed
    .map((row) => row.confirmed_at!.getTime() - row.created_at.getTime())
    .sort((a, b) => a - b);
  const spread = {
    orders: orderCount,
    connections,
    accepted,
    non2xx: result.non2xx,
    errors: result.errors,
    acceptedPerSecond: Math.round(accepted / result.duration),
    placeLatencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
    confirmed: confirmed.length,
    confirmedPerSecondEndToEnd: Math.round((confirmed.length / (lastConfirmed - spreadStart)) * 1000),
    acceptToConfirmedMs: { p50: percentile(acceptToConfirm, 50), p99: percentile(acceptToConfirm, 99) },
  };

  // 2. One hot product (BENCH_HOT_ORDERS=0 skips it).
  const hotResult = hotOrders > 0 ? await hotProductCase(token) : null;

  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  };
  const report = { date: new Date().toISOString(), machine, workerConcurrency, spread, hot: hotResult };
  console.table({
    'accepted orders/s (BFF)': spread.acceptedPerSecond,
    'confirmed orders/s (end to end)': spread.confirmedPerSecondEndToEnd,
    'accept→confirmed p50 ms': spread.acceptToConfirmedMs.p50,
    'accept→confirmed p99 ms': spread.acceptToConfirmedMs.p99,
    'POST /api/orders p99 ms': spread.placeLatencyMs.p99,
    ...(hotResult
      ? {
          [`hot: confirmed of ${hotOrders}`]: hotResult.confirmed,
          'hot: settled in s': hotResult.settledInSeconds,
        }
      : {}),
  });
  const out = process.env.BENCH_RESULTS_DIR ?? path.join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    path.join(out, `${process.env.BENCH_RESULT_NAME ?? 'orders'}.json`),
    `${JSON.stringify(report, null, 2)}\n`,
  );
  console.log(JSON.stringify(report, null, 2));
  await db.destroy();
}

main().catch(async (error: unknown) => {
  console.error(error);
  await db.destroy();
  process.exit(1);
});
