/**
 * Renders, writes and runs the nginx + Lua gateway.
 *
 * Layout of a prefix directory (all 0755 so nginx workers running as `nobody` can reach it):
 *   conf/nginx.conf    rendered from nginx/nginx.conf.template (0644, holds no secret)
 *   conf/gateway.json  issuer, audience, leeway, public keys, the gateway secret and where the session
 *                      revocation records are in Redis (with its password, if any) (0600)
 *   logs/              error.log, access.log (JSON lines), nginx.pid
 *   temp/              nginx's body/proxy temp dirs (nginx creates and chowns them)
 *
 * gateway.json is read by `init_by_lua` in the nginx master, before it forks the workers
 * and (when started as root) switches them to `nobody`: the secret file never needs to be
 * readable by the worker user. The Lua code itself is read from the repository
 * (nginx/lua), which must therefore be world-readable when nginx runs as root.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import { connect, isIP } from 'node:net';
import path from 'node:path';
import { revocationKeyPrefixes } from '../shared/session-revocation';

export interface GatewayOptions {
  /** Address nginx listens on, e.g. '127.0.0.1' (IPv6 without brackets is accepted). */
  listenHost: string;
  listenPort: number;
  /** BFF instances as host:port, rendered into `upstream bff` (ignored when upstreamInclude is set). */
  upstreams: string[];
  /** Project-local prefix directory (e.g. nginx/.run, or a tmp dir in tests). */
  prefixDir: string;
  /** SPKI PEM Ed25519 public keys; a token's `kid` header selects one. */
  publicKeys: { kid: string; pem: string }[];
  /** Expected `iss` claim. */
  issuer: string;
  /** Expected `aud` claim (a string, or an array containing it). */
  audience: string;
  /** Sent upstream as X-Gateway-Secret on every proxied request. */
  gatewaySecret: string;
  /**
   * The Redis that holds the session revocation records (shared/session-revocation.ts): the BFF's REDIS_URL
   * and REDIS_PREFIX. The gateway reads them on every token-checked request; when Redis cannot answer, those
   * requests get 503 (fail closed). `redis://` only; a host name is resolved when the config is written.
   * `cluster`: the BFF runs on Redis Cluster (REDIS_CLUSTER_NODES) and `url` is one of its nodes; the records
   * then carry a hash tag and the Lua follows the MOVED redirect to the node that holds their slot, falling
   * back to the other `clusterNodes` (host:port, IP addresses) when a node is down.
   */
  redis: { url: string; prefix: string; cluster?: boolean; clusterNodes?: string[] };
  /** Clock skew allowed on exp/nbf; default 30, at most 30. */
  leewaySeconds?: number;
  /** Limits on POST login/signup/refresh/sms-send and on OAuth start/link, per client address; default 20/min, burst 10. */
  rateLimits?: { authPerMinute: number; burst: number };
  /** Path of a file defining `upstream bff { ... }` (blue-green); else rendered from `upstreams`. */
  upstreamInclude?: string;
  /** Access log destination; default <prefix>/logs/access.log ('/dev/stdout' works too). */
  accessLogPath?: string;
  /** nginx worker_processes; default 'auto'. */
  workerProcesses?: number | 'auto';
  /** nginx binary; default $NGINX_BIN, else /usr/sbin/nginx, else `nginx` on PATH. */
  nginxBinary?: string;
  /** Directory holding ndk_http_module.so and ngx_http_lua_module.so; default $NGINX_MODULES_DIR or /usr/lib/nginx/modules. */
  modulesDir?: string;
  /**
   * The built admin console served under /admin/ (scripts/build-admin-ui.mjs writes it); default
   * admin-ui/dist beside this directory's parent (the repository, or dist/ in the gateway image).
   */
  adminUiDir?: string;
}

export interface RunningGateway {
  /** Base URL, e.g. http://127.0.0.1:8080 */
  url: string;
  /** Graceful stop (SIGQUIT), escalating to SIGTERM then SIGKILL if nginx lingers. */
  stop(): Promise<void>;
  /**
   * Re-reads conf/ from disk (call writeGatewayConfig first to change it): tests the config,
   * sends SIGHUP and waits until new workers serve and the old ones stopped accepting.
   */
  reload(): Promise<void>;
  pid: number;
  /** Settles when the nginx master exits, for whatever reason. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const NGINX_DIR = __dirname;
const LUA_DIR = path.join(NGINX_DIR, 'lua');
const TEMPLATE_PATH = path.join(NGINX_DIR, 'nginx.conf.template');
const ADMIN_UI_DIR = path.join(NGINX_DIR, '..', 'admin-ui', 'dist');
const LUA_CPATHS = [
  '/usr/lib/x86_64-linux-gnu/lua/5.1/?.so',
  '/usr/lib/aarch64-linux-gnu/lua/5.1/?.so',
  '/usr/local/lib/lua/5.1/?.so',
];
const DEFAULT_LEEWAY_SECONDS = 30;
const MAX_LEEWAY_SECONDS = 30;
const DEFAULT_RATE_LIMITS = { authPerMinute: 20, burst: 10 };
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;
const RELOAD_TIMEOUT_MS = 10_000;
const POLL_INTERVAL_MS = 25;

/** Characters that would let a value escape its quoted nginx/Lua context. */
const UNSAFE_PATH_CHARS = /["'\\;{}$\s\]]/;
const HOST_PATTERN = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])$/;
const KID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

function fail(message: string): never {
  throw new Error(`gateway config: ${message}`);
}

function checkPath(value: string, name: string): string {
  if (!path.isAbsolute(value) || UNSAFE_PATH_CHARS.test(value)) {
    fail(`${name} must be an absolute path without quotes, spaces, ';', '{', '}', '$' or '\\': ${value}`);
  }
  return value;
}

function checkPort(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) fail(`${name} must be a port number: ${value}`);
  return value;
}

function formatHost(host: string): string {
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  if (!HOST_PATTERN.test(bracketed)) fail(`not a host name or address: ${host}`);
  return bracketed;
}

function checkUpstream(value: string): string {
  const separator = value.lastIndexOf(':');
  if (separator <= 0) fail(`upstream must be host:port: ${value}`);
  const host = formatHost(value.slice(0, separator));
  const port = checkPort(Number(value.slice(separator + 1)), `port of upstream ${value}`);
  return `${host}:${port}`;
}

function checkPublicKeys(keys: GatewayOptions['publicKeys']): void {
  if (keys.length === 0) fail('publicKeys must not be empty');
  const seen = new Set<string>();
  for (const { kid, pem } of keys) {
    if (!KID_PATTERN.test(kid)) fail(`kid must match ${KID_PATTERN}: ${kid}`);
    if (seen.has(kid)) fail(`duplicate kid: ${kid}`);
    seen.add(kid);
    let keyType: string | undefined;
    try {
      keyType = createPublicKey(pem).asymmetricKeyType;
    } catch (error) {
      fail(`publicKeys[${kid}] is not a PEM public key (${(error as Error).message})`);
    }
    if (keyType !== 'ed25519') fail(`publicKeys[${kid}] must be an Ed25519 key, got ${keyType}`);
  }
}

function resolveLeeway(value: number | undefined): number {
  const leeway = value ?? DEFAULT_LEEWAY_SECONDS;
  if (!Number.isInteger(leeway) || leeway < 0 || leeway > MAX_LEEWAY_SECONDS) {
    fail(`leewaySeconds must be an integer between 0 and ${MAX_LEEWAY_SECONDS}: ${value}`);
  }
  return leeway;
}

function resolveRateLimits(value: GatewayOptions['rateLimits']): { authPerMinute: number; burst: number } {
  const limits = value ?? DEFAULT_RATE_LIMITS;
  if (!Number.isInteger(limits.authPerMinute) || limits.authPerMinute < 1) {
    fail(`rateLimits.authPerMinute must be a positive integer: ${limits.authPerMinute}`);
  }
  if (!Number.isInteger(limits.burst) || limits.burst < 0) {
    fail(`rateLimits.burst must be a non-negative integer: ${limits.burst}`);
  }
  return limits;
}

function resolveWorkerProcesses(value: GatewayOptions['workerProcesses']): string {
  if (value === undefined || value === 'auto') return 'auto';
  if (!Number.isInteger(value) || value < 1) fail(`workerProcesses must be a positive integer or 'auto'`);
  return String(value);
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Workers must not run as root; `user` is only meaningful (and only accepted quietly) as root. */
function userDirective(): string {
  if (!isRoot()) return '# not started as root: workers run as the current user';
  const groups = existsSync('/etc/group') ? readFileSync('/etc/group', 'utf8') : '';
  const group = /^nogroup:/m.test(groups) ? 'nogroup' : 'nobody';
  return `user nobody ${group};`;
}

function renderUpstream(o: GatewayOptions): string {
  if (o.upstreamInclude !== undefined) {
    return `include "${checkPath(o.upstreamInclude, 'upstreamInclude')}";`;
  }
  if (o.upstreams.length === 0) fail('upstreams must not be empty');
  // A server that fails once (refused or reset connection, or a timeout: what proxy_next_upstream counts)
  // gets no requests for 2 s, then one to try it again: a BFF that crashed, or that its event-loop watchdog
  // killed, is skipped while it restarts, and back soon after. A 503 from the BFF (its database is down) is
  // an answer, not a failure: counting it would take every BFF out at once and turn that 503 + Retry-After
  // into the gateway's 502. nginx ignores these parameters when the group has one server. The zone shares
  // what one nginx worker learnt about a server with the others; without it each worker finds out alone.
  const servers = o.upstreams.map(
    (upstream) => `    server ${checkUpstream(upstream)} max_fails=1 fail_timeout=2s;`,
  );
  // keepalive_timeout stays below Node's default server keepAliveTimeout (5 s), so nginx
  // never reuses a connection the BFF is about to close.
  return [
    'upstream bff {',
    '    zone bff 64k;',
    ...servers,
    '    keepalive 32;',
    '    keepalive_timeout 4s;',
    '  }',
  ].join('\n');
}

function resolveNginxBinary(o: GatewayOptions): string {
  if (o.nginxBinary) return o.nginxBinary;
  if (process.env.NGINX_BIN) return process.env.NGINX_BIN;
  return existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
}

function paths(o: GatewayOptions) {
  const prefix = checkPath(path.resolve(o.prefixDir), 'prefixDir');
  return {
    prefix,
    conf: path.join(prefix, 'conf', 'nginx.conf'),
    gatewayJson: path.join(prefix, 'conf', 'gateway.json'),
    errorLog: path.join(prefix, 'logs', 'error.log'),
    pidFile: path.join(prefix, 'logs', 'nginx.pid'),
  };
}

/** Returns the nginx.conf text for these options (validates them; throws naming the bad one). */
export function renderGatewayConfig(o: GatewayOptions): string {
  const { prefix, gatewayJson } = paths(o);
  const rateLimits = resolveRateLimits(o.rateLimits);
  resolveLeeway(o.leewaySeconds);
  checkPublicKeys(o.publicKeys);
  const modulesDir = checkPath(
    o.modulesDir ?? process.env.NGINX_MODULES_DIR ?? '/usr/lib/nginx/modules',
    'modulesDir',
  );
  const accessLog = checkPath(o.accessLogPath ?? path.join(prefix, 'logs', 'access.log'), 'accessLogPath');

  const values: Record<string, string> = {
    USER_DIRECTIVE: userDirective(),
    WORKER_PROCESSES: resolveWorkerProcesses(o.workerProcesses),
    PREFIX: prefix,
    MODULES_DIR: modulesDir,
    LUA_DIR: checkPath(LUA_DIR, 'nginx/lua directory'),
    LUA_CPATH: LUA_CPATHS.join(';'),
    GATEWAY_JSON: gatewayJson,
    AUTH_RATE: String(rateLimits.authPerMinute),
    AUTH_BURST: String(rateLimits.burst),
    RETRY_AFTER: String(Math.ceil(60 / rateLimits.authPerMinute)),
    ACCESS_LOG: accessLog,
    UPSTREAM: renderUpstream(o),
    LISTEN: `${formatHost(o.listenHost)}:${checkPort(o.listenPort, 'listenPort')}`,
    ADMIN_UI_DIR: checkPath(path.resolve(o.adminUiDir ?? ADMIN_UI_DIR), 'adminUiDir'),
  };

  const template = readFileSync(TEMPLATE_PATH, 'utf8');
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (placeholder, name: string) => {
    const value = values[name];
    if (value === undefined) fail(`unknown placeholder ${placeholder} in ${TEMPLATE_PATH}`);
    return value;
  });
}

/** How long the gateway waits for Redis (connect, send, read) before answering 503. */
const REVOCATION_TIMEOUT_MS = 300;
/** How long an nginx worker reuses what Redis said about one login: the delay before a revocation bites. */
const REVOCATION_CACHE_SECONDS = 1;
const REDIS_PREFIX_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

/**
 * The `revocation` part of gateway.json: where revocation.lua finds Redis and the key prefixes it reads.
 * Cosockets need an address (nginx has no resolver configured), so a host name is looked up here, once.
 */
async function renderRevocation(redis: GatewayOptions['redis']): Promise<Record<string, unknown>> {
  let url: URL;
  try {
    url = new URL(redis.url);
  } catch {
    fail('redis.url must be a redis:// URL');
  }
  if (url.protocol !== 'redis:') {
    fail(`redis.url must be a redis:// URL (the gateway does not speak TLS to Redis): ${url.protocol}`);
  }
  if (!REDIS_PREFIX_PATTERN.test(redis.prefix)) fail(`redis.prefix must match ${REDIS_PREFIX_PATTERN}`);
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let address = hostname;
  if (isIP(hostname) === 0) {
    try {
      const found = await lookup(hostname, { all: true });
      address = (found.find((entry) => entry.family === 4) ?? found[0])?.address ?? '';
    } catch (error) {
      fail(`redis.url host ${hostname} does not resolve (${(error as Error).message})`);
    }
  }
  const db = url.pathname === '' || url.pathname === '/' ? 0 : Number(url.pathname.slice(1));
  if (!Number.isInteger(db) || db < 0) fail(`redis.url database must be a number: ${url.pathname}`);
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const host = isIP(address) === 6 ? `[${address}]` : address;
  const port = checkPort(Number(url.port || 6379), 'redis.url port');
  // On a cluster, every seed node in order (the url's first): the Lua tries the next when one is down.
  const nodes = [{ host, port }];
  for (const node of redis.clusterNodes ?? []) {
    const at = node.lastIndexOf(':');
    const nodeHost = node.slice(0, at);
    if (isIP(nodeHost) === 0) fail(`redis.clusterNodes must be IP:port, got ${node}`);
    const entry = { host: nodeHost, port: checkPort(Number(node.slice(at + 1)), 'redis.clusterNodes port') };
    if (!nodes.some((known) => known.host === entry.host && known.port === entry.port)) nodes.push(entry);
  }
  return {
    host,
    port,
    ...(redis.cluster ? { nodes } : {}),
    db,
    ...(password ? { password } : {}),
    ...(username && password ? { username } : {}),
    userKeyPrefix: revocationKeyPrefixes(redis.prefix, redis.cluster).user,
    loginKeyPrefix: revocationKeyPrefixes(redis.prefix, redis.cluster).login,
    cacheSeconds: REVOCATION_CACHE_SECONDS,
    timeoutMs: REVOCATION_TIMEOUT_MS,
  };
}

/** What gateway.lua reads at start-up; kept out of nginx.conf because it holds the secret. */
async function renderGatewayJson(o: GatewayOptions): Promise<string> {
  if (!VISIBLE_ASCII.test(o.gatewaySecret)) fail('gatewaySecret must be non-empty visible ASCII');
  if (!o.issuer) fail('issuer must not be empty');
  if (!o.audience) fail('audience must not be empty');
  return JSON.stringify(
    {
      issuer: o.issuer,
      audience: o.audience,
      leewaySeconds: resolveLeeway(o.leewaySeconds),
      gatewaySecret: o.gatewaySecret,
      publicKeys: o.publicKeys.map(({ kid, pem }) => ({ kid, pem })),
      revocation: await renderRevocation(o.redis),
    },
    null,
    2,
  );
}

async function makeDirectory(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  // mkdtemp and the umask may leave it 0700; nginx workers (nobody) must traverse it
  await chmod(dir, 0o755);
}

/** Atomic replace, so a reload never reads a half-written file. */
async function writeFileAtomic(file: string, content: string, mode: number): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content, { mode });
  await chmod(temporary, mode);
  await rename(temporary, file);
}

/** Writes <prefix>/conf/nginx.conf and <prefix>/conf/gateway.json (0600); returns the conf path. */
export async function writeGatewayConfig(o: GatewayOptions): Promise<string> {
  const { prefix, conf, gatewayJson } = paths(o);
  const nginxConf = renderGatewayConfig(o);
  const gatewayConfig = await renderGatewayJson(o);
  for (const dir of [
    prefix,
    path.join(prefix, 'conf'),
    path.join(prefix, 'logs'),
    path.join(prefix, 'temp'),
  ]) {
    await makeDirectory(dir);
  }
  await writeFileAtomic(gatewayJson, gatewayConfig, 0o600);
  await writeFileAtomic(conf, nginxConf, 0o644);
  return conf;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
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

async function readTail(file: string, maxChars = 2000): Promise<string> {
  try {
    const content = await readFile(file, 'utf8');
    return content.slice(-maxChars).trim();
  } catch {
    return '';
  }
}

async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

async function readFrom(file: string, offset: number): Promise<string> {
  try {
    return (await readFile(file)).subarray(offset).toString('utf8');
  } catch {
    return '';
  }
}

async function readPid(file: string): Promise<number | undefined> {
  try {
    return Number((await readFile(file, 'utf8')).trim());
  } catch {
    return undefined;
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

/** Children of `pid` (Linux /proc); undefined where /proc is not available. */
async function childPids(pid: number): Promise<Set<number> | undefined> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return undefined;
  }
  const children = new Set<number>();
  await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (entry) => {
        try {
          const procStat = await readFile(`/proc/${entry}/stat`, 'utf8');
          // pid (comm) state ppid ... — comm may contain spaces, so parse after the last ')'
          const ppid = Number(procStat.slice(procStat.lastIndexOf(')') + 2).split(' ')[1]);
          if (ppid === pid) children.add(Number(entry));
        } catch {
          // process exited while we were looking
        }
      }),
  );
  return children;
}

async function isShuttingDown(pid: number): Promise<boolean> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).includes('shutting down');
  } catch {
    return true; // gone
  }
}

async function isReloaded(before: Set<number>, now: Set<number>): Promise<boolean> {
  if (![...now].some((worker) => !before.has(worker))) return false;
  const oldWorkers = [...now].filter((worker) => before.has(worker));
  return (await Promise.all(oldWorkers.map(isShuttingDown))).every(Boolean);
}

/**
 * Writes the config and runs nginx in the foreground as a child process; resolves once nginx
 * has bound the port and accepts connections (bounded wait), rejects with the error log tail
 * if it exits or does not come up in time.
 */
export async function startGateway(o: GatewayOptions): Promise<RunningGateway> {
  const confPath = await writeGatewayConfig(o);
  const { prefix, errorLog, pidFile } = paths(o);
  const nginxBinary = resolveNginxBinary(o);
  const args = ['-p', `${prefix}/`, '-c', confPath, '-e', errorLog, '-g', 'daemon off;'];

  const child = spawn(nginxBinary, args, {
    stdio: ['ignore', 'inherit', 'pipe'],
    // UTC, so that $time_iso8601 in the access log and the error log's times are UTC (docs/logging.md).
    env: { ...process.env, TZ: 'UTC' },
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });

  const pid = child.pid;
  const describeFailure = async (reason: string) =>
    new Error(
      `nginx ${reason} (${nginxBinary} ${args.join(' ')})\n${stderr.trim()}\n${await readTail(errorLog)}`.trim(),
    );
  const connectHost = o.listenHost === '0.0.0.0' ? '127.0.0.1' : o.listenHost === '::' ? '::1' : o.listenHost;

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (spawnError) throw await describeFailure(`could not be started: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw await describeFailure(
        `exited during start-up (code ${child.exitCode}, signal ${child.signalCode})`,
      );
    }
    // nginx writes its pid file only after binding the listen socket: together with a
    // successful connect this rules out some other process already holding the port.
    if (
      pid !== undefined &&
      (await readPid(pidFile)) === pid &&
      (await canConnect(connectHost, o.listenPort))
    ) {
      break;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await waitForExit(child, STOP_TIMEOUT_MS);
      throw await describeFailure(`did not accept connections within ${READY_TIMEOUT_MS} ms`);
    }
    await delay(POLL_INTERVAL_MS);
  }
  if (pid === undefined) throw await describeFailure('has no pid');

  const stop = async (): Promise<void> => {
    for (const signal of ['SIGQUIT', 'SIGTERM', 'SIGKILL'] as const) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      if (await waitForExit(child, STOP_TIMEOUT_MS)) return;
    }
  };

  const reload = async (): Promise<void> => {
    // A HUP with a broken config is only logged by nginx, which keeps the old one: test the
    // config first (`-t` skips init_by_lua, so gateway.json is checked by watching the log).
    const check = spawnSync(nginxBinary, ['-t', '-q', ...args.slice(0, 6)], {
      encoding: 'utf8',
      stdio: ['ignore', 'inherit', 'pipe'], // same stdout as the master, for '/dev/stdout' logs
    });
    if (check.status !== 0) {
      throw new Error(`nginx config test failed:\n${check.stderr.trim()}`);
    }
    const logOffset = await fileSize(errorLog);
    const workersBefore = await childPids(pid);
    child.kill('SIGHUP');
    if (workersBefore === undefined) return;
    // Done when the master has a new worker and every old one has closed its listening
    // socket (gone, or titled "worker process is shutting down" while finishing requests).
    const reloadDeadline = Date.now() + RELOAD_TIMEOUT_MS;
    for (;;) {
      const workersNow = await childPids(pid);
      if (workersNow && (await isReloaded(workersBefore, workersNow))) return;
      const newLog = await readFrom(errorLog, logOffset);
      if (/\[emerg\]|init_by_lua error/.test(newLog)) {
        throw new Error(`nginx rejected the new config and keeps the old one:\n${newLog.trim()}`);
      }
      if (child.exitCode !== null) throw await describeFailure('exited during reload');
      if (Date.now() > reloadDeadline) throw await describeFailure('did not start new workers after reload');
      await delay(POLL_INTERVAL_MS);
    }
  };

  return { url: `http://${formatHost(connectHost)}:${o.listenPort}`, stop, reload, pid, exited };
}
