/**
 * Gateway benchmark: what the Lua token check costs. `GET /api/users/me` for the demo user through two nginx
 * instances in front of the SAME running BFF, started here with identical options (template, worker count,
 * access log to a file in their own prefix, upstreams, keepalive):
 *
 * - auth:    the real gateway (nginx/render.ts startGateway): gateway.lua strips identity headers and
 *            verifies the Ed25519 access token on every request;
 * - no-auth: the same rendered nginx.conf (writeGatewayConfig), rewritten in this bench's own tmp prefix so
 *            that every location that would check a token runs no Lua at all and instead sets the variables
 *            gateway.lua would set ($gw_user_id, $gw_user_role, $gw_secret) to the fixed identity of the
 *            token's user. Production code (nginx/, bff/) has no such switch: the rewrite exists only here.
 *
 * Both are loaded with the same request (Authorization header included, which the BFF never reads) at
 * BENCH_CONNECTIONS (50) for BENCH_SECONDS (20) each, after a 3 s warm-up of each. Prints and writes
 * bench/results/gateway.json (BENCH_RESULTS_DIR overrides the directory): requests/s, p50 and p99 of both,
 * the ratio auth/no-auth throughput, the extra p99, and the nginx workers' CPU time per request (from
 * /proc, steadier than throughput on a shared machine).
 *
 * Needs the BFF running against a seeded database (`npm start`), and this process started with the same
 * .env secrets. The BFF is found at BFF_UPSTREAMS (as nginx/run.ts does), else BFF_HOST:BFF_PORT.
 * Run: npx tsx bench/gateway.ts
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startGateway, writeGatewayConfig, type GatewayOptions, type RunningGateway } from '../nginx/render';
import { loadConfigOrExit } from '../shared/config';
import { formatTable, machineInfo, runLoad, type LoadCase, type LoadResult } from './lib/autocannon-load';
import { formatJson } from './lib/report';
import { benchGatewayOptions } from './lib/bench-gateway';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WARMUP_SECONDS = 3;
const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ?? path.join(__dirname, 'results');
const DEMO_USER = { email: 'demo@voltmall.dev', password: 'Demo123!' };
const PATHNAME = '/api/users/me';

const config = loadConfigOrExit();

function bffUpstreams(): string[] {
  const list = (process.env.BFF_UPSTREAMS ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return list.length > 0 ? list : [`${config.BFF_HOST}:${config.BFF_PORT}`];
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** The options nginx/run.ts would use, in a prefix of our own and on a free port. */
function gatewayOptions(prefixDir: string): Promise<GatewayOptions> {
  return benchGatewayOptions(config, bffUpstreams(), prefixDir);
}

interface Identity {
  userId: string;
  role: string;
}

/** The claims of a token we were just issued (not verified here: the real gateway does that). */
function identityOf(token: string): Identity {
  const payload = token.split('.')[1];
  if (payload === undefined) throw new Error('the login answered something that is not a JWT');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
    sub?: unknown;
    role?: unknown;
  };
  if (typeof claims.sub !== 'string' || typeof claims.role !== 'string') {
    throw new Error('the access token has no sub/role claims');
  }
  return { userId: claims.sub, role: claims.role };
}

const ACCESS_BLOCK = /access_by_lua_block\s*\{\s*require\('gateway'\)\.access\('([a-z]+)'\)\s*\}/g;
/** Values go inside double quotes in nginx.conf: nothing that could end the string or name a variable. */
const SAFE_CONF_VALUE = /^[A-Za-z0-9._~+/=:@%^*!,|?-]+$/;

/**
 * The no-auth variant of a rendered nginx.conf: each access_by_lua_block whose mode checks a token
 * (required, optional, admin, catalogue) becomes three `set`s giving the fixed identity and the gateway
 * secret, exactly the variables gateway.lua sets after a successful check. Public locations keep their
 * Lua (they verify nothing). Throws if the template no longer has the shape this relies on.
 */
function withoutTokenCheck(conf: string, identity: Identity, gatewaySecret: string): string {
  for (const [name, value] of Object.entries({ ...identity, gatewaySecret })) {
    if (!SAFE_CONF_VALUE.test(value)) throw new Error(`${name} has characters unsafe in nginx.conf`);
  }
  let replaced = 0;
  const rewritten = conf.replace(ACCESS_BLOCK, (block, mode: string) => {
    if (mode === 'public') return block;
    replaced += 1;
    return (
      `set $gw_user_id "${identity.userId}"; set $gw_user_role "${identity.role}"; ` +
      `set $gw_secret "${gatewaySecret}";  # bench: no token check (was access('${mode}'))`
    );
  });
  if (replaced === 0 || !/# bench: no token check \(was access\('required'\)\)/.test(rewritten)) {
    throw new Error("nginx.conf has no access('required') block to rewrite: has the template changed?");
  }
  if (/require\('gateway'\)\.access\('(?!public')/.test(rewritten)) {
    throw new Error('a token check survived the rewrite');
  }
  return rewritten;
}

interface ManualNginx {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

function nginxBinary(): string {
  if (process.env.NGINX_BIN) return process.env.NGINX_BIN;
  return existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** nginx in the foreground on a conf we wrote ourselves, as startGateway runs it. */
async function spawnNginx(prefix: string, confPath: string, port: number): Promise<ManualNginx> {
  const errorLog = path.join(prefix, 'logs', 'error.log');
  const pidFile = path.join(prefix, 'logs', 'nginx.pid');
  const args = ['-p', `${prefix}/`, '-c', confPath, '-e', errorLog, '-g', 'daemon off;'];
  const child = spawn(nginxBinary(), args, { stdio: ['ignore', 'inherit', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  const stop = async (): Promise<void> => {
    for (const signal of ['SIGQUIT', 'SIGTERM', 'SIGKILL'] as const) {
      if (exited(child)) return;
      child.kill(signal);
      if (await waitForExit(child, 10_000)) return;
    }
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    const pidText = await readFile(pidFile, 'utf8').catch(() => '');
    if (spawnError || exited(child) || Date.now() > deadline) {
      await stop();
      const log = await readFile(errorLog, 'utf8').catch(() => '');
      throw new Error(
        `no-auth nginx did not start (${spawnError?.message ?? `exit ${child.exitCode}`}):\n${stderr}\n${log.slice(-2000)}`,
      );
    }
    if (child.pid !== undefined && Number(pidText.trim()) === child.pid && (await canConnect(port))) break;
    await delay(25);
  }
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop };
}

/** Renders the real config into `prefixDir`, rewrites it without the token check, and runs nginx on it. */
async function startNoAuthGateway(prefixDir: string, identity: Identity): Promise<ManualNginx> {
  const options = await gatewayOptions(prefixDir);
  const confPath = await writeGatewayConfig(options);
  const rewritten = withoutTokenCheck(await readFile(confPath, 'utf8'), identity, options.gatewaySecret);
  const noAuthConf = path.join(prefixDir, 'conf', 'nginx-no-auth.conf');
  // Holds the gateway secret, like gateway.json: only the nginx master (which reads it) needs it.
  await writeFile(noAuthConf, rewritten, { mode: 0o600 });
  await chmod(noAuthConf, 0o600);
  return spawnNginx(path.resolve(prefixDir), noAuthConf, options.listenPort);
}

/** user+system CPU seconds of the nginx master's children (the workers), from /proc. */
const TICKS_PER_SECOND =
  Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

async function workerCpuSeconds(masterPid: number): Promise<number> {
  let total = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (stat === '') continue;
    // pid (comm) state ppid ... utime stime: fields 4, 14, 15; comm may hold spaces, so split after ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) !== masterPid) continue;
    total += Number(fields[11]) + Number(fields[12]);
  }
  return total / TICKS_PER_SECOND;
}

type Figures = LoadResult & { nginxWorkerCpuUsPerRequest: number | null };

async function measure(url: string, masterPid: number, loadCase: LoadCase): Promise<Figures> {
  await runLoad(url, loadCase, { connections: CONNECTIONS, seconds: WARMUP_SECONDS });
  const cpuBefore = await workerCpuSeconds(masterPid).catch(() => NaN);
  const result = await runLoad(url, loadCase, { connections: CONNECTIONS, seconds: SECONDS });
  const cpuAfter = await workerCpuSeconds(masterPid).catch(() => NaN);
  const cpu = ((cpuAfter - cpuBefore) * 1e6) / Math.max(result.requests, 1);
  return { ...result, nginxWorkerCpuUsPerRequest: Number.isFinite(cpu) ? Math.round(cpu) : null };
}

async function get(url: string, token?: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, body: await response.text() };
}

async function main(): Promise<void> {
  const authPrefix = await mkdtemp(path.join(os.tmpdir(), 'vm-bench-gw-auth-'));
  const noAuthPrefix = await mkdtemp(path.join(os.tmpdir(), 'vm-bench-gw-noauth-'));
  let auth: RunningGateway | undefined;
  let noAuth: ManualNginx | undefined;
  try {
    auth = await startGateway(await gatewayOptions(authPrefix));
    const login = await fetch(`${auth.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(DEMO_USER),
    });
    if (!login.ok) {
      throw new Error(
        `login of ${DEMO_USER.email} → ${login.status} ${await login.text()} (seeded? BFF up?)`,
      );
    }
    const { accessToken: token } = (await login.json()) as { accessToken: string };
    const identity = identityOf(token);
    noAuth = await startNoAuthGateway(noAuthPrefix, identity);

    // Both must answer the same user, and only the real one may need the token.
    const authUrl = `${auth.url}${PATHNAME}`;
    const noAuthUrl = `${noAuth.url}${PATHNAME}`;
    const real = await get(authUrl, token);
    const anonymous = await get(authUrl);
    const fixed = await get(noAuthUrl);
    if (real.status !== 200) throw new Error(`auth gateway: ${real.status} ${real.body}`);
    if (anonymous.status !== 401) throw new Error(`auth gateway without a token: ${anonymous.status}`);
    if (fixed.status !== 200 || fixed.body !== real.body) {
      throw new Error(`no-auth gateway answers another body: ${fixed.status} ${fixed.body}`);
    }

    const upstreams = bffUpstreams();
    console.log(
      `${PATHNAME} as user ${identity.userId} (${identity.role}) → BFF ${upstreams.join(', ')}; ` +
        `auth ${auth.url}, no-auth ${noAuth.url}; ${CONNECTIONS} connections, ${SECONDS} s each`,
    );
    const loadCase = (name: string): LoadCase => ({
      name,
      nextPath: () => PATHNAME,
      headers: { authorization: `Bearer ${token}` },
    });
    const authFigures = await measure(auth.url, auth.pid, loadCase('auth'));
    const noAuthFigures = await measure(noAuth.url, noAuth.pid, loadCase('no-auth'));

    const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
    const ratio = round(authFigures.requestsPerSecond / Math.max(noAuthFigures.requestsPerSecond, 1));
    const extraP99Ms = round(authFigures.latencyMs.p99 - noAuthFigures.latencyMs.p99, 2);
    const extraP50Ms = round(authFigures.latencyMs.p50 - noAuthFigures.latencyMs.p50, 2);
    const extraCpu =
      authFigures.nginxWorkerCpuUsPerRequest !== null && noAuthFigures.nginxWorkerCpuUsPerRequest !== null
        ? authFigures.nginxWorkerCpuUsPerRequest - noAuthFigures.nginxWorkerCpuUsPerRequest
        : null;
    const results = {
      benchmark: 'gateway',
      description:
        'GET /api/users/me through nginx with the Lua token check (auth) vs the same nginx.conf with the ' +
        'check replaced by a fixed identity (no-auth), both in front of the same BFF',
      date: new Date().toISOString(),
      machine: { ...machineInfo(), cpuModel: os.cpus()[0]?.model ?? 'unknown' },
      path: PATHNAME,
      connections: CONNECTIONS,
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      bffUpstreams: upstreams,
      nginxWorkerProcesses: 'auto',
      auth: authFigures,
      noAuth: noAuthFigures,
      ratio,
      extraP50Ms,
      extraP99Ms,
      nginxWorkerCpuExtraUsPerRequest: extraCpu,
    };

    console.log(formatTable([authFigures, noAuthFigures]));
    console.log(
      `nginx worker CPU per request: auth ${authFigures.nginxWorkerCpuUsPerRequest ?? '?'} µs, ` +
        `no-auth ${noAuthFigures.nginxWorkerCpuUsPerRequest ?? '?'} µs`,
    );
    console.log(
      `ratio auth/no-auth throughput: ${ratio}; extra p50 ${extraP50Ms} ms, extra p99 ${extraP99Ms} ms`,
    );
    const failures = authFigures.non2xx + authFigures.errors + noAuthFigures.non2xx + noAuthFigures.errors;
    if (failures > 0) console.log(`note: ${failures} non-2xx answers or socket errors (see the table)`);
    await mkdir(RESULTS_DIR, { recursive: true });
    const output = path.join(RESULTS_DIR, 'gateway.json');
    await writeFile(output, formatJson(results));
    console.log(`written ${path.relative(process.cwd(), output)}`);
  } finally {
    await noAuth?.stop();
    await auth?.stop();
    await rm(authPrefix, { recursive: true, force: true });
    await rm(noAuthPrefix, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
