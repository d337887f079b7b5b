// `npm start`: runs the whole system in one terminal: the fake providers, the BFF, the workers and the nginx
// gateway. A process that exits unexpectedly is restarted (scripts/supervise.mjs says so, backs off, gives up
// on one that keeps failing at start, and never restarts one that exits 78 for a configuration error).
// Ctrl-C (or SIGTERM) stops them all gracefully; a second Ctrl-C kills them.
//
// Logs (docs/logging.md): pretty, coloured lines on a terminal, JSON with LOG_FORMAT=json or in production;
// every process's JSON lines in logs/<process>.log (LOG_DIR to change the folder), the previous run's as .1;
// nginx's access and error logs are relayed into logs/gateway.log. Once every process answers, a boxed
// banner lists the URLs and the demo accounts (scripts/ready-banner.mjs).
//
// For the README's walk-through, the fake payment gateway takes FAKE_PAYMENT_LATENCY_MS (default 1500 here,
// outside production) per call, so an order's event stream shows each step; tests start their own fakes.
//
// `npm start -- --redis-cluster` (or REDIS_CLUSTER=1 in the environment or .env) runs the stack on the local
// Redis Cluster of scripts/redis-cluster.sh (scripts/stack-redis.mjs): started first unless one is running,
// REDIS_CLUSTER_NODES (and REDIS_URL, its first node, for the start-up checks) set for every process, and
// stopped after them on Ctrl-C — only when this run started it, never one it found running.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';
import { watchUntilReady } from './ready-banner.mjs';
import {
  EX_USAGE,
  USAGE,
  UsageError,
  parseStackOptions,
  startLocalCluster,
  stopLocalCluster,
} from './stack-redis.mjs';
import { resolveLogFormat, superviseProcesses } from './supervise.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The children read .env themselves; loaded here too for the ports the banner polls, NODE_ENV and
// REDIS_CLUSTER. Not under NODE_ENV=test, as in the children (shared/config loadDotEnv): a test's run gets
// exactly the environment the test gives it.
if (process.env.NODE_ENV !== 'test') dotenv.config({ path: path.join(root, '.env'), quiet: true });

let options;
try {
  options = parseStackOptions(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`npm start: ${error.message}\n${USAGE}\n`);
  process.exit(EX_USAGE);
}
if (options.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

// The children always write JSON (LOG_FORMAT=json): the supervisor pretty-prints them on a terminal, in the
// format the developer's own LOG_FORMAT asks for, and keeps the JSON in logs/.
const format = resolveLogFormat(process.env);
const env = { ...process.env, GATEWAY_RELAY_LOGS: '1', LOG_FORMAT: 'json' };
if (env.NODE_ENV !== 'production' && !env.FAKE_PAYMENT_LATENCY_MS) env.FAKE_PAYMENT_LATENCY_MS = '1500';

/**
 * A line about the cluster (this script's, or scripts/redis-cluster.sh's `[redis-cluster] ...`) on the console,
 * as a JSON line under LOG_FORMAT=json. Level: pino's (the script's ERROR lines are errors).
 */
function say(line, level) {
  const msg = line.replace(/^\[redis-cluster\] /, '');
  const record = {
    time: new Date().toISOString(),
    level: level ?? (msg.startsWith('ERROR:') ? 50 : 30),
    service: 'redis-cluster',
    msg,
  };
  process.stdout.write(format === 'json' ? `${JSON.stringify(record)}\n` : `[redis-cluster] ${msg}\n`);
}

// One set of handlers for the whole run: a signal while the cluster starts stops the run once it has started
// (and the cluster, if this run started it); later ones stop the supervised processes (a second one kills
// them), after which the cluster is stopped.
let supervisor;
let stopRequested = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    stopRequested = true;
    supervisor?.stop('SIGTERM');
  });
}

let cluster;
if (options.redisCluster) {
  try {
    cluster = await startLocalCluster(env, (line) => say(line));
  } catch (error) {
    say(`${error.message}; not starting the stack`, 60);
    process.exit(stopRequested ? 0 : 1);
  }
  if (env.REDIS_CLUSTER_NODES && env.REDIS_CLUSTER_NODES !== cluster.nodes) {
    say(`--redis-cluster: the local cluster replaces REDIS_CLUSTER_NODES=${env.REDIS_CLUSTER_NODES}`, 40);
  }
  env.REDIS_CLUSTER_NODES = cluster.nodes;
  // The BFF's and the workers' start-up checks wait for REDIS_URL: the cluster's first node, not one Redis.
  env.REDIS_URL = `redis://${cluster.nodes.split(',')[0]}`;
}

/** Stops the cluster this run started (never one it found running), then exits with the supervisor's code. */
async function finish(code) {
  if (cluster?.startedHere) {
    say('stopping the Redis Cluster this run started');
    const stopped = await stopLocalCluster(env, (line) => say(line));
    if (stopped !== 0) say(`scripts/redis-cluster.sh stop failed (exit code ${stopped})`, 50);
  } else if (cluster) {
    say(`leaving the Redis Cluster running (it was running before this run): ${cluster.nodes}`);
  }
  process.exit(code);
}

if (stopRequested) await finish(0);

const tsx = [process.execPath, '--import', 'tsx'];
supervisor = superviseProcesses(
  [
    { name: 'fakes', command: [...tsx, 'fakes/main.ts'], colour: 'gray' },
    { name: 'bff', command: [...tsx, 'bff/main.ts'], colour: 'cyan' },
    { name: 'workers', command: [...tsx, 'workers/main.ts'], colour: 'magenta' },
    { name: 'gateway', command: [...tsx, 'nginx/run.ts'], colour: 'green' },
  ],
  { env, format, logDir: path.resolve(root, env.LOG_DIR || 'logs') },
);
supervisor.done.then(finish);
watchUntilReady(supervisor, { env });
