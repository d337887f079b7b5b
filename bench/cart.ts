/**
 * Cart read benchmark: `GET /api/cart` through the gateway for a signed-in user with a 5-line cart, beside
 * a floor (bench/floor-server.ts: the same JSON bytes, constant, from bare Express). Each goes through its
 * own nginx started here with nginx/render.ts's startGateway and identical options (template, Lua token
 * check, keys, secret, worker count, access log to a file); only the upstream differs. 50 connections for
 * 20 s each, after a short warm-up. Prints requests/s, p50 and p99 of both and the ratio, and writes
 * bench/results/cart.json.
 *
 * Needs the BFF running (`npx tsx bff/main.ts`) against a seeded database, and this process started with
 * the same DATABASE_URL, REDIS_PREFIX, BFF_PORT and .env secrets (docs/cart.md has the exact commands).
 * Run: npx tsx bench/cart.ts   (BENCH_SECONDS, BENCH_CONNECTIONS override 20 and 50)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startGateway, type RunningGateway } from '../nginx/render';
import { runLoad } from './lib/autocannon-load';
import { prepareDemoCart } from './lib/demo-cart';
import { benchGatewayOptions } from './lib/bench-gateway';
import { freePort } from './lib/processes';
import { loadConfigOrExit } from '../shared/config';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WARMUP_SECONDS = 3;

const config = loadConfigOrExit();
/** Set once the cart's gateway is up. */
let gatewayUrl = '';

async function startFloorServer(body: string): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'floor-server.ts')], {
    env: { ...process.env, FLOOR_PORT: String(port), FLOOR_BODY: body },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('floor server did not start within 20 s')), 20_000);
    child.once('exit', (code) => reject(new Error(`floor server exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('floor listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { child, port };
}

/** nginx as `npx tsx nginx/run.ts` configures it (template, Lua, keys, secret, workers), in its own prefix. */
async function startBenchGateway(upstreamPort: number, prefixDir: string): Promise<RunningGateway> {
  return startGateway(await benchGatewayOptions(config, [`127.0.0.1:${upstreamPort}`], prefixDir));
}

interface Figures {
  requestsPerSecond: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  requests: number;
  errors: number;
  non2xx: number;
}

async function load(url: string, token: string, seconds: number): Promise<Figures> {
  const { origin, pathname } = new URL(url);
  const result = await runLoad(
    origin,
    { name: pathname, nextPath: () => pathname, headers: { authorization: `Bearer ${token}` } },
    { connections: CONNECTIONS, seconds },
  );
  return {
    requestsPerSecond: result.requestsPerSecond,
    meanMs: result.latencyMs.average,
    p50Ms: result.latencyMs.p50,
    p99Ms: result.latencyMs.p99,
    maxMs: result.latencyMs.max,
    requests: result.requests,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

async function main(): Promise<void> {
  const cartPrefixDir = await mkdtemp(path.join(os.tmpdir(), 'vm-bench-cart-'));
  const floorPrefixDir = await mkdtemp(path.join(os.tmpdir(), 'vm-bench-floor-'));
  let cartGateway: RunningGateway | undefined;
  let floorGateway: RunningGateway | undefined;
  let floor: { child: ChildProcess; port: number } | undefined;
  try {
    cartGateway = await startBenchGateway(config.BFF_PORT, cartPrefixDir);
    gatewayUrl = cartGateway.url;
    const { token, body } = await prepareDemoCart(gatewayUrl, config.DATABASE_URL);
    floor = await startFloorServer(body);
    floorGateway = await startBenchGateway(floor.port, floorPrefixDir);
    const floorUrl = `${floorGateway.url}/api/cart`;
    const cartUrl = `${gatewayUrl}/api/cart`;
    const floorBody = await (await fetch(floorUrl, { headers: { authorization: `Bearer ${token}` } })).text();
    if (floorBody !== body) throw new Error('the floor does not answer the cart body');

    console.log(`floor: ${floorUrl}  cart: ${cartUrl}  ${CONNECTIONS} connections, ${SECONDS} s each`);
    await load(floorUrl, token, WARMUP_SECONDS);
    const floorFigures = await load(floorUrl, token, SECONDS);
    await load(cartUrl, token, WARMUP_SECONDS);
    const cartFigures = await load(cartUrl, token, SECONDS);
    // Not a target: the BFF's cheapest route (no I/O, but the whole middleware stack of bff/app.ts), to
    // show how much of the gap to the floor is the shared middleware rather than the cart.
    const healthzFigures = await load(`${gatewayUrl}/healthz`, token, SECONDS);

    const ratio = Math.round((cartFigures.requestsPerSecond / floorFigures.requestsPerSecond) * 1000) / 1000;
    const targets = { minRatio: 0.7, maxP99Ms: 10 };
    const met =
      ratio >= targets.minRatio &&
      cartFigures.p99Ms < targets.maxP99Ms &&
      cartFigures.errors + cartFigures.non2xx + floorFigures.errors + floorFigures.non2xx === 0;
    const results = {
      benchmark:
        'GET /api/cart through nginx (signed-in user, 5 lines) vs constant JSON through identical nginx',
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version },
      connections: CONNECTIONS,
      seconds: SECONDS,
      floor: floorFigures,
      cart: cartFigures,
      bffHealthz: healthzFigures,
      ratio,
      targets,
      met,
    };
    console.table({ floor: floorFigures, cart: cartFigures, 'bff /healthz': healthzFigures });
    console.log(
      `ratio cart/floor: ${ratio} (target ≥ ${targets.minRatio}); cart p99 ${cartFigures.p99Ms} ms (target < ${targets.maxP99Ms})`,
    );
    console.log(met ? 'targets met' : 'targets MISSED');
    const resultsDir = process.env.BENCH_RESULTS_DIR ?? path.join(__dirname, 'results');
    await mkdir(resultsDir, { recursive: true });
    await writeFile(path.join(resultsDir, 'cart.json'), `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await floorGateway?.stop();
    await cartGateway?.stop();
    floor?.child.kill('SIGTERM');
    await rm(cartPrefixDir, { recursive: true, force: true });
    await rm(floorPrefixDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
