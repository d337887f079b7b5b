/**
 * `npm run gateway`: runs the nginx + Lua gateway in the foreground, configured from the
 * environment (and .env when present). SIGTERM/SIGINT stop nginx gracefully; SIGHUP
 * re-renders the config from the environment and reloads nginx without dropping connections.
 *
 * Variables: GATEWAY_SECRET (required), JWT_PUBLIC_KEYS ({"kid": "PEM"}) or JWT_PRIVATE_KEY
 * (+ JWT_KID, default k1), GATEWAY_HOST, GATEWAY_PORT, BFF_UPSTREAMS (comma-separated),
 * JWT_ISSUER, JWT_AUDIENCE, GATEWAY_ACCESS_LOG; REDIS_URL (required, unless REDIS_CLUSTER_NODES names a
 * Redis Cluster) and REDIS_PREFIX (default vm), where the BFF writes session revocation records; NGINX_BIN and NGINX_MODULES_DIR for odd installs.
 * GATEWAY_UPSTREAM_INCLUDE: absolute path of a file defining `upstream bff { ... }`, used instead of
 * BFF_UPSTREAMS (blue-green deploys rewrite it and reload; see scripts/deploy). GATEWAY_PREFIX_DIR:
 * the nginx prefix (conf/, logs/, temp/), default nginx/.run beside this file.
 * GATEWAY_RELAY_LOGS=1 (set by `npm start`): nginx's access and error logs are copied line by line to this
 * process's stdout, where the supervisor formats them and writes them to logs/gateway.log (docs/logging.md);
 * each run then starts both files afresh, the previous run's kept as .1.
 */
import { createPublicKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import path from 'node:path';
import { loadDotEnv } from '../shared/config';
import { createLogger } from '../shared/logger';
import { startGateway, writeGatewayConfig, type GatewayOptions } from './render';

loadDotEnv();

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** JSON lines like every other process (docs/logging.md); pretty at a terminal. */
const logger = createLogger({
  level: LOG_LEVELS.includes(process.env.LOG_LEVEL ?? '') ? process.env.LOG_LEVEL! : 'info',
  name: 'gateway',
});

/** sysexits.h EX_CONFIG: `npm start`'s supervisor does not restart a process that exits with it. */
const EX_CONFIG = 78;

class MissingConfigError extends Error {}

const NGINX_LEVELS: Record<string, number> = {
  debug: 20,
  info: 30,
  notice: 30,
  warn: 40,
  error: 50,
  crit: 60,
  alert: 60,
  emerg: 60,
};

/**
 * One line of nginx's error log (`2026/12/04 09:53:19 [error] 123#0: *5 message`) as a JSON log line with an
 * ISO time (nginx runs with TZ=UTC and logs whole seconds) and pino's level; other lines pass unchanged.
 */
export function nginxErrorLineToJson(line: string): string {
  const match = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d) \[(\w+)\] (\d+)#\d+: (?:\*(\d+) )?(.*)$/.exec(
    line,
  );
  if (!match) return line;
  const [, year, month, day, clock, level, pid, connection, msg] = match;
  return JSON.stringify({
    time: `${year}-${month}-${day}T${clock}.000Z`,
    level: NGINX_LEVELS[level!] ?? 30,
    service: 'gateway',
    source: 'nginx error log',
    pid: Number(pid),
    ...(connection ? { connection: Number(connection) } : {}),
    msg,
  });
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '')
    throw new MissingConfigError(`missing environment variable ${name}`);
  return value;
}

function optional(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? fallback : value;
}

/** .env files often carry PEMs on one line with literal "\n" sequences. */
function unescapePem(pem: string): string {
  return pem.replace(/\\n/g, '\n');
}

/**
 * Where the revocation records are: REDIS_URL, or on Redis Cluster (REDIS_CLUSTER_NODES) its seed nodes, from
 * which the Lua follows MOVED to the records' slot.
 */
function redisFromEnv(): GatewayOptions['redis'] {
  const prefix = optional('REDIS_PREFIX', 'vm');
  const nodes = optional('REDIS_CLUSTER_NODES', '')
    .split(',')
    .map((node) => node.trim())
    .filter(Boolean);
  if (nodes.length === 0) return { url: required('REDIS_URL'), prefix };
  return { url: `redis://${nodes[0]}`, prefix, cluster: true, clusterNodes: nodes };
}

function publicKeysFromEnv(): GatewayOptions['publicKeys'] {
  const json = process.env.JWT_PUBLIC_KEYS;
  if (json !== undefined && json.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new MissingConfigError('JWT_PUBLIC_KEYS must be a JSON object {"<kid>": "<SPKI PEM>"}');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new MissingConfigError('JWT_PUBLIC_KEYS must be a JSON object {"<kid>": "<SPKI PEM>"}');
    }
    return Object.entries(parsed).map(([kid, pem]) => {
      if (typeof pem !== 'string')
        throw new MissingConfigError(`JWT_PUBLIC_KEYS.${kid} must be a PEM string`);
      return { kid, pem: unescapePem(pem) };
    });
  }
  const privateKey = process.env.JWT_PRIVATE_KEY;
  if (privateKey === undefined || privateKey.trim() === '') {
    throw new MissingConfigError(
      'missing environment variable JWT_PUBLIC_KEYS (or JWT_PRIVATE_KEY to derive it)',
    );
  }
  let pem: string;
  try {
    pem = createPublicKey(unescapePem(privateKey)).export({ type: 'spki', format: 'pem' }).toString();
  } catch (error) {
    throw new MissingConfigError(`JWT_PRIVATE_KEY is not a PKCS8 PEM key (${(error as Error).message})`);
  }
  return [{ kid: optional('JWT_KID', 'k1'), pem }];
}

/** Blue-green: the upstream comes from a file the deploy script rewrites, which must exist at start. */
function upstreamIncludeFromEnv(): string | undefined {
  const include = process.env.GATEWAY_UPSTREAM_INCLUDE;
  if (include === undefined || include.trim() === '') return undefined;
  if (!path.isAbsolute(include)) {
    throw new MissingConfigError(`GATEWAY_UPSTREAM_INCLUDE must be an absolute path, got ${include}`);
  }
  if (!existsSync(include)) {
    throw new MissingConfigError(
      `GATEWAY_UPSTREAM_INCLUDE names a missing file: ${include} (scripts/deploy/blue-green.sh writes it)`,
    );
  }
  return include;
}

function optionsFromEnv(): GatewayOptions {
  const gatewaySecret = required('GATEWAY_SECRET');
  const port = Number(optional('GATEWAY_PORT', '8080'));
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new MissingConfigError(`GATEWAY_PORT must be a port number, got ${process.env.GATEWAY_PORT}`);
  }
  return {
    listenHost: optional('GATEWAY_HOST', '127.0.0.1'),
    listenPort: port,
    upstreams: optional('BFF_UPSTREAMS', '127.0.0.1:3000')
      .split(',')
      .map((upstream) => upstream.trim())
      .filter(Boolean),
    prefixDir: path.resolve(optional('GATEWAY_PREFIX_DIR', path.join(__dirname, '.run'))),
    publicKeys: publicKeysFromEnv(),
    issuer: optional('JWT_ISSUER', 'voltmall'),
    audience: optional('JWT_AUDIENCE', 'voltmall-api'),
    gatewaySecret,
    redis: redisFromEnv(),
    // Default: <prefix>/logs/access.log. '/dev/stdout' suits containers, but nginx cannot
    // open it when our stdout is a socket (e.g. a Node parent's pipe), so it is opt-in.
    accessLogPath: process.env.GATEWAY_ACCESS_LOG || undefined,
    upstreamInclude: upstreamIncludeFromEnv(),
  };
}

/** Copies the lines appended to `file` to stdout (each through `convert`), polling every 200 ms; returns a stop function. */
function relayLines(file: string, convert: (line: string) => string = (line) => line): () => void {
  let offset = 0;
  let partial = '';
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const poll = async () => {
    const handle = await open(file, 'r').catch(() => undefined);
    if (handle) {
      try {
        const { size } = await handle.stat();
        if (size < offset) offset = 0; // truncated or replaced: start over
        while (offset < size) {
          const buffer = Buffer.alloc(Math.min(size - offset, 1 << 20));
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
          if (bytesRead === 0) break;
          offset += bytesRead;
          const parts = (partial + buffer.subarray(0, bytesRead).toString('utf8')).split('\n');
          partial = parts.pop() ?? '';
          if (parts.length > 0) process.stdout.write(`${parts.map(convert).join('\n')}\n`);
        }
      } finally {
        await handle.close();
      }
    }
    if (!stopped) timer = setTimeout(() => void poll(), 200);
  };
  void poll();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

async function main(): Promise<void> {
  const options = optionsFromEnv();
  const relay = process.env.GATEWAY_RELAY_LOGS === '1';
  const logFiles = [
    path.join(options.prefixDir, 'logs', 'error.log'),
    ...(options.accessLogPath ? [] : [path.join(options.prefixDir, 'logs', 'access.log')]),
  ];
  if (relay) {
    for (const file of logFiles) await rename(file, `${file}.1`).catch(() => undefined);
  }
  const gateway = await startGateway(options);
  // The error log (first) is converted to JSON lines; the access log is JSON already.
  const stopRelays = relay
    ? logFiles.map((file, index) => relayLines(file, index === 0 ? nginxErrorLineToJson : undefined))
    : [];
  const upstreams = options.upstreamInclude ?? options.upstreams.join(', ');
  logger.info({ pid: gateway.pid, url: gateway.url, upstreams }, `gateway listening on ${gateway.url}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'gateway stopping nginx');
    gateway.stop().then(
      () => {
        for (const stopRelay of stopRelays) stopRelay();
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'gateway stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('SIGHUP', () => {
    writeGatewayConfig(optionsFromEnv())
      .then(() => gateway.reload())
      .then(
        () => logger.info('gateway reloaded'),
        (error: unknown) => logger.error(`gateway reload failed: ${(error as Error).message}`),
      );
  });

  const { code, signal } = await gateway.exited;
  if (!stopping) {
    logger.fatal(
      { code, signal },
      `nginx exited unexpectedly (code ${code}, signal ${signal}); see ${options.prefixDir}/logs/error.log`,
    );
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  // Config problems are one line naming the variable (exit 78: no restart helps); start-up failures add
  // nginx's error log to the message.
  const message = error instanceof Error ? error.message : String(error);
  const config = error instanceof MissingConfigError || message.startsWith('gateway config:');
  logger.fatal({ exitCode: config ? EX_CONFIG : 1 }, `gateway cannot start: ${message}`);
  process.exit(config ? EX_CONFIG : 1);
});
