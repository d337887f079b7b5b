/**
 * Gateway benchmark: what the Lua token check costs. `GET /api/users/me` for the demo user through nginx
 * instances in front of the SAME running BFF, started here with identical options (template, worker count,
 * access log to a file in their own prefix, upstreams, keepalive):
 *
 * - auth:    the real gateway (nginx/render.ts startGateway): gateway.lua strips identity headers,
 *            verifies the Ed25519 access token and asks revocation.lua whether its user or login was revoked
 *            (one MGET to Redis, cached per worker for a second: with one token, nearly always a cache hit);
 * - auth-cold-cache: the same gateway loaded with COLD_LOGINS tokens of the demo user, each of its own login
 *            (sid), taken in turn: a login comes round again only after the cache second has passed, so
 *            nearly every request costs a round trip to Redis (the worst case: many users, one request each);
 * - auth-no-revocation: the same rendered nginx.conf, whose lua_package_path finds a stub revocation.lua
 *            (answers "not revoked" without Redis) before the real one: the token check as it was before
 *            revocation, to show what revocation adds;
 * - no-auth: the same rendered nginx.conf (writeGatewayConfig), rewritten in this bench's own tmp prefix so
 *            that every location that would check a token runs no Lua at all and instead sets the variables
 *            gateway.lua would set ($gw_user_id, $gw_user_role, $gw_secret) to the fixed identity of the
 *            token's user. Production code (nginx/, bff/) has no such switch: the rewrites exist only here.
 *
 * All are loaded with the same request (Authorization header included, which the BFF never reads) at
 * BENCH_CONNECTIONS (50) for BENCH_SECONDS (20) each, after a 3 s warm-up of each, interleaved in
 * BENCH_GATEWAY_ROUNDS (5) slices so that a change in the machine's background load hits every case alike. Prints and writes
 * bench/results/gateway.json (BENCH_RESULTS_DIR overrides the directory): requests/s, p50 and p99 of each,
 * the ratios of each token check's throughput to no-auth's (the goal: ≥ 0.85, the check including revocation
 * costs at most 15%), the extra p99, and the nginx workers' CPU time per request (from /proc, steadier than
 * throughput on a shared machine).
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
import { createAccessTokenSigner } from '../bff/auth/access-tokens';
import { startGateway, writeGatewayConfig, type GatewayOptions, type RunningGateway } from '../nginx/render';
import { loadConfigOrExit } from '../shared/config';
import { formatTable, machineInfo, runLoad, type LoadCase, type LoadResult } from './lib/autocannon-load';
import { formatJson } from './lib/report';
import { benchGatewayOptions } from './lib/bench-gateway';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WARMUP_SECONDS = 3;
/** Each case runs in this many interleaved slices of BENCH_SECONDS / ROUNDS (see measureInterleaved). */
const ROUNDS = Number(process.env.BENCH_GATEWAY_ROUNDS ?? 5);
const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ?? path.join(__dirname, 'results');
const DEMO_USER = { email: 'demo@voltmall.dev', password: 'Demo123!' };
const PATHNAME = '/api/users/me';
/** Logins (tokens with distinct sids) of the cold-cache case: more than the gateway serves in a second. */
const COLD_LOGINS = Number(process.env.BENCH_GATEWAY_COLD_LOGINS ?? 20_000);

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

const LUA_PACKAGE_PATH = /lua_package_path "([^"]+)";/;
/** What the no-revocation gateway loads instead of nginx/lua/revocation.lua: never revoked, no Redis. */
const REVOCATION_STUB = `-- bench/gateway.ts only: the token check without the revocation lookup
local _M = { TOKEN_REVOKED = 'TOKEN_REVOKED' }
function _M.init() end
function _M.is_revoked() return false end
return _M
`;

/**
 * Renders the real config into \`prefixDir\` and runs it with a stub revocation.lua found first on
 * lua_package_path: every other line, and every other Lua module, is the real gateway's.
 */
async function startNoRevocationGateway(prefixDir: string): Promise<ManualNginx> {
  const options = await gatewayOptions(prefixDir);
  const confPath = await writeGatewayConfig(options);
  const conf = await readFile(confPath, 'utf8');
  const stubDir = path.join(path.resolve(prefixDir), 'bench-lua');
  if (!LUA_PACKAGE_PATH.test(conf))
    throw new Error('nginx.conf has no lua_package_path: has the template changed?');
  const rewritten = conf.replace(
    LUA_PACKAGE_PATH,
    (_line, value: string) => `lua_package_path "${stubDir}/?.lua;${value}";`,
  );
  // Workers (nobody, when nginx starts as root) read the stub.
  await mkdir(stubDir, { recursive: true, mode: 0o755 });
  await chmod(stubDir, 0o755);
  await writeFile(path.join(stubDir, 'revocation.lua'), REVOCATION_STUB, { mode: 0o644 });
  const stubConf = path.join(prefixDir, 'conf', 'nginx-no-revocation.conf');
  await writeFile(stubConf, rewritten, { mode: 0o644 });
  return spawnNginx(path.resolve(prefixDir), stubConf, options.listenPort);
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

interface Measured {
  url: string;
  masterPid: number;
  loadCase: LoadCase;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** One case's slices as one figure: totals summed, latency percentiles the median of the slices'. */
function combine(name: string, slices: { result: LoadResult; cpuSeconds: number }[]): Figures {
  const requests = slices.reduce((sum, slice) => sum + slice.result.requests, 0);
  const durationSeconds = slices.reduce((sum, slice) => sum + slice.result.durationSeconds, 0);
  const cpuSeconds = slices.reduce((sum, slice) => sum + slice.cpuSeconds, 0);
  const latency = (pick: (figures: LoadResult['latencyMs']) => number) =>
    median(slices.map((slice) => pick(slice.result.latencyMs)));
  const cpu = (cpuSeconds * 1e6) / Math.max(requests, 1);
  return {
    name,
    requestsPerSecond: Math.round(requests / Math.max(durationSeconds, 1e-9)),
    requests,
    latencyMs: {
      average:
        slices.reduce((sum, slice) => sum + slice.result.latencyMs.average * slice.result.requests, 0) /
        Math.max(requests, 1),
      p50: latency((figures) => figures.p50),
      p97_5: latency((figures) => figures.p97_5),
      p99: latency((figures) => figures.p99),
      max: Math.max(...slices.map((slice) => slice.result.latencyMs.max)),
    },
    non2xx: slices.reduce((sum, slice) => sum + slice.result.non2xx, 0),
    errors: slices.reduce((sum, slice) => sum + slice.result.errors, 0),
    timeouts: slices.reduce((sum, slice) => sum + slice.result.timeouts, 0),
    durationSeconds,
    nginxWorkerCpuUsPerRequest: Number.isFinite(cpu) ? Math.round(cpu) : null,
  };
}

/**
 * Measures the cases interleaved: after a warm-up of each, ROUNDS rounds in which every case runs for
 * SECONDS / ROUNDS, in an order rotated each round. On a machine shared with other work the background load
 * changes within a minute; slicing spreads it over every case instead of favouring whichever ran quietest.
 */
async function measureInterleaved(cases: Measured[]): Promise<Figures[]> {
  for (const { url, loadCase } of cases) {
    await runLoad(url, loadCase, { connections: CONNECTIONS, seconds: WARMUP_SECONDS });
  }
  const sliceSeconds = Math.max(1, Math.round(SECONDS / ROUNDS));
  const slices = cases.map(() => [] as { result: LoadResult; cpuSeconds: number }[]);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let offset = 0; offset < cases.length; offset += 1) {
      const index = (offset + round) % cases.length;
      const { url, masterPid, loadCase } = cases[index]!;
      const cpuBefore = await workerCpuSeconds(masterPid).catch(() => NaN);
      const result = await runLoad(url, loadCase, { connections: CONNECTIONS, seconds: sliceSeconds });
      const cpuAfter = await workerCpuSeconds(masterPid).catch(() => NaN);
      slices[index]!.push({ result, cpuSeconds: cpuAfter - cpuBefore });
    }
  }
  return cases.map(({ loadCase }, index) => combine(loadCase.name, slices[index]!));
}

async function get(url: string, token?: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, body: await response.text() };
}

async function main(): Promise<void> {
  const authPrefix = await mkdtemp(path.join(os.tmpdir(), 'vm-bench-gw-auth-'));
  const noAuthPrefix = await mkdtemp(path.join(os.tmpdir(), 'vm-bench-gw-noauth-'));
  const noRevocationPrefix = await mkdtemp(path.join(os.tmpdir(), 'vm-bench-gw-norevocation-'));
  let auth: RunningGateway | undefined;
  let noAuth: ManualNginx | undefined;
  let noRevocation: ManualNginx | undefined;
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
    noRevocation = await startNoRevocationGateway(noRevocationPrefix);
    // The demo user's tokens, each a login of its own, signed as the BFF signs them (same key and claims).
    const signer = createAccessTokenSigner(config);
    const coldTokens: string[] = [];
    for (let index = 0; index < COLD_LOGINS; index += 1) {
      const role = identity.role === 'admin' ? 'admin' : 'user';
      coldTokens.push((await signer.sign({ userId: Number(identity.userId), role })).token);
    }
    let nextCold = 0;

    // Both must answer the same user, and only the real one may need the token.
    const authUrl = `${auth.url}${PATHNAME}`;
    const noAuthUrl = `${noAuth.url}${PATHNAME}`;
    const real = await get(authUrl, token);
    const anonymous = await get(authUrl);
    const fixed = await get(noAuthUrl);
    const stubbed = await get(`${noRevocation.url}${PATHNAME}`, token);
    const cold = await get(authUrl, coldTokens[0]);
    if (real.status !== 200) throw new Error(`auth gateway: ${real.status} ${real.body}`);
    if (stubbed.status !== 200 || stubbed.body !== real.body) {
      throw new Error(`no-revocation gateway answers another body: ${stubbed.status} ${stubbed.body}`);
    }
    if (cold.status !== 200 || cold.body !== real.body) {
      throw new Error(`auth gateway with a signed cold-cache token: ${cold.status} ${cold.body}`);
    }
    if (anonymous.status !== 401) throw new Error(`auth gateway without a token: ${anonymous.status}`);
    if (fixed.status !== 200 || fixed.body !== real.body) {
      throw new Error(`no-auth gateway answers another body: ${fixed.status} ${fixed.body}`);
    }

    const upstreams = bffUpstreams();
    console.log(
      `${PATHNAME} as user ${identity.userId} (${identity.role}) → BFF ${upstreams.join(', ')}; ` +
        `auth ${auth.url}, no-revocation ${noRevocation.url}, no-auth ${noAuth.url}; ` +
        `${CONNECTIONS} connections, ${SECONDS} s each; cold cache: ${COLD_LOGINS} logins`,
    );
    // Headers are set per request in every case (the cold-cache case needs it), so the load generator, which
    // shares the machine's cores, does the same work whichever gateway it loads.
    const loadCase = (name: string): LoadCase => ({
      name,
      nextPath: () => PATHNAME,
      nextHeaders: () => ({ authorization: `Bearer ${token}` }),
    });
    const [authFigures, coldFigures, noRevocationFigures, noAuthFigures] = (await measureInterleaved([
      { url: auth.url, masterPid: auth.pid, loadCase: loadCase('auth') },
      {
        url: auth.url,
        masterPid: auth.pid,
        loadCase: {
          name: 'auth-cold-cache',
          nextPath: () => PATHNAME,
          nextHeaders: () => {
            nextCold = (nextCold + 1) % coldTokens.length;
            return { authorization: `Bearer ${coldTokens[nextCold]}` };
          },
        },
      },
      { url: noRevocation.url, masterPid: noRevocation.pid, loadCase: loadCase('auth-no-revocation') },
      { url: noAuth.url, masterPid: noAuth.pid, loadCase: loadCase('no-auth') },
    ])) as [Figures, Figures, Figures, Figures];

    const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
    const ratioTo = (figures: Figures) =>
      round(figures.requestsPerSecond / Math.max(noAuthFigures.requestsPerSecond, 1));
    const ratio = ratioTo(authFigures);
    const extraP99Ms = round(authFigures.latencyMs.p99 - noAuthFigures.latencyMs.p99, 2);
    const extraP50Ms = round(authFigures.latencyMs.p50 - noAuthFigures.latencyMs.p50, 2);
    const extraCpu =
      authFigures.nginxWorkerCpuUsPerRequest !== null && noAuthFigures.nginxWorkerCpuUsPerRequest !== null
        ? authFigures.nginxWorkerCpuUsPerRequest - noAuthFigures.nginxWorkerCpuUsPerRequest
        : null;
    const results = {
      benchmark: 'gateway',
      description:
        'GET /api/users/me through nginx with the Lua token check and revocation lookup (auth; with one token, ' +
        'and with many logins so the per-worker cache misses: auth-cold-cache), the same check without the ' +
        'revocation lookup (auth-no-revocation), and the same nginx.conf with the check replaced by a fixed ' +
        'identity (no-auth), all in front of the same BFF',
      date: new Date().toISOString(),
      machine: { ...machineInfo(), cpuModel: os.cpus()[0]?.model ?? 'unknown' },
      path: PATHNAME,
      connections: CONNECTIONS,
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      rounds: ROUNDS,
      bffUpstreams: upstreams,
      nginxWorkerProcesses: 'auto',
      coldLogins: COLD_LOGINS,
      auth: authFigures,
      authColdCache: coldFigures,
      authNoRevocation: noRevocationFigures,
      noAuth: noAuthFigures,
      ratio,
      ratioColdCache: ratioTo(coldFigures),
      ratioNoRevocation: ratioTo(noRevocationFigures),
      extraP50Ms,
      extraP99Ms,
      nginxWorkerCpuExtraUsPerRequest: extraCpu,
    };

    const all = [authFigures, coldFigures, noRevocationFigures, noAuthFigures];
    console.log(formatTable(all));
    console.log(
      `nginx worker CPU per request: ${all.map((figures) => `${figures.name} ${figures.nginxWorkerCpuUsPerRequest ?? '?'} µs`).join(', ')}`,
    );
    console.log(
      `throughput / no-auth: auth ${ratio}, auth-cold-cache ${results.ratioColdCache}, ` +
        `auth-no-revocation ${results.ratioNoRevocation}; auth: extra p50 ${extraP50Ms} ms, extra p99 ${extraP99Ms} ms`,
    );
    const failures = all.reduce((sum, figures) => sum + figures.non2xx + figures.errors, 0);
    if (failures > 0) console.log(`note: ${failures} non-2xx answers or socket errors (see the table)`);
    await mkdir(RESULTS_DIR, { recursive: true });
    const output = path.join(RESULTS_DIR, 'gateway.json');
    await writeFile(output, formatJson(results));
    console.log(`written ${path.relative(process.cwd(), output)}`);
  } finally {
    await noRevocation?.stop();
    await noAuth?.stop();
    await auth?.stop();
    await rm(noRevocationPrefix, { recursive: true, force: true });
    await rm(authPrefix, { recursive: true, force: true });
    await rm(noAuthPrefix, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
