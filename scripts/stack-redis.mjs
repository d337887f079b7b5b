// Which Redis `npm start` (scripts/run-stack.mjs) runs the stack on (issue #19): the one Redis of REDIS_URL, or
// with `npm start -- --redis-cluster` (or REDIS_CLUSTER=1) the local Redis Cluster of scripts/redis-cluster.sh.
// This file holds the command line's parsing and the banner's one-line summary (plain functions, unit-tested
// in stack-redis.test.ts), and the cluster's start and stop through that script.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CLUSTER_SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'redis-cluster.sh');

/** sysexits.h EX_USAGE: the command line is wrong. */
export const EX_USAGE = 64;

export const USAGE = `usage: npm start [-- --redis-cluster]
  --redis-cluster  run the stack on a local Redis Cluster (scripts/redis-cluster.sh: six nodes on
                   127.0.0.1:7100-7105, REDIS_CLUSTER_PORT to move them), started unless one is running and
                   stopped on Ctrl-C if this run started it; REDIS_CLUSTER=1 in the environment or .env does
                   the same
  --help           this text`;

/** A command line `npm start` does not understand; its message says what is wrong. */
export class UsageError extends Error {}

/** REDIS_CLUSTER as a switch: 1/true on, 0/false/unset off, anything else a usage error. */
function clusterSwitch(value) {
  const normalised = (value ?? '').trim().toLowerCase();
  if (normalised === '' || normalised === '0' || normalised === 'false') return false;
  if (normalised === '1' || normalised === 'true') return true;
  throw new UsageError(`REDIS_CLUSTER must be 1 or 0 (true or false), got '${value}'`);
}

/**
 * `npm start`'s options from its arguments (what follows `--`) and its environment (.env loaded):
 * `{ redisCluster, help }`. Throws a UsageError for an argument it does not know or a bad REDIS_CLUSTER.
 */
export function parseStackOptions(args, env = {}) {
  const options = { redisCluster: clusterSwitch(env.REDIS_CLUSTER), help: false };
  for (const arg of args) {
    if (arg === '--redis-cluster') options.redisCluster = true;
    else if (arg === '--help' || arg === '-h') options.help = true;
    else throw new UsageError(`unknown argument '${arg}'`);
  }
  return options;
}

/** host:port seed nodes of REDIS_CLUSTER_NODES (empty entries dropped). */
function clusterNodes(env) {
  return (env.REDIS_CLUSTER_NODES ?? '')
    .split(',')
    .map((node) => node.trim())
    .filter((node) => node !== '');
}

/**
 * Where the stack's Redis is, for the ready banner: `cluster (6 nodes, 127.0.0.1:7100-7105)` (a range when
 * the nodes are consecutive ports of one host, else the list), or `127.0.0.1:6379` from REDIS_URL (never its
 * password).
 */
export function describeRedis(env = {}) {
  const nodes = clusterNodes(env);
  if (nodes.length > 0) {
    const parsed = nodes.map((node) => {
      const at = node.lastIndexOf(':');
      return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
    });
    const [first] = parsed;
    const consecutive = parsed.every(
      (node, index) => node.host === first.host && node.port === first.port + index,
    );
    const where =
      consecutive && parsed.length > 1
        ? `${first.host}:${first.port}-${first.port + parsed.length - 1}`
        : nodes.join(', ');
    return `cluster (${nodes.length} node${nodes.length === 1 ? '' : 's'}, ${where})`;
  }
  if (!env.REDIS_URL) return 'REDIS_URL is not set';
  try {
    const url = new URL(env.REDIS_URL);
    const database = url.pathname.replace(/^\//, '');
    return `${url.hostname}:${url.port || 6379}${database && database !== '0' ? `/${database}` : ''}${
      url.protocol === 'rediss:' ? ' (TLS)' : ''
    }`;
  } catch {
    return 'REDIS_URL is not a URL';
  }
}

/**
 * Runs `bash scripts/redis-cluster.sh <command>` with `env`; each output line goes to `onLine` as it comes.
 * `detached`: in a process group of its own, so that a second Ctrl-C at the terminal does not cut it short.
 */
function runClusterScript(command, env, onLine = () => undefined, detached = false) {
  return new Promise((resolve) => {
    const child = spawn('bash', [CLUSTER_SCRIPT, command], {
      env,
      detached,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (stream) => {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        output += chunk;
        const parts = (partial + chunk).split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) if (line !== '') onLine(line);
      });
      stream.on('end', () => partial && onLine(partial));
    };
    collect(child.stdout);
    collect(child.stderr);
    child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? 1, signal, output }));
  });
}

/**
 * Starts the local Redis Cluster (scripts/redis-cluster.sh start, with REDIS_CLUSTER_PORT/_SIZE/_DIR/_HOST from
 * `env`) unless one is running, and resolves with `{ nodes, startedHere }`: REDIS_CLUSTER_NODES for the
 * stack, and whether this call started it (false when the script found it running), which decides whether
 * the run stops it at the end. A failed start is cleaned up (the script's stop ends only the nodes it started)
 * and rejects with what the script said.
 */
export async function startLocalCluster(env, onLine) {
  const started = await runClusterScript('start', env, onLine);
  // The script says `already running: <nodes>` when it left a healthy cluster as it was.
  const startedHere = !/\] already running: /.test(started.output);
  if (started.code !== 0) {
    if (startedHere) await runClusterScript('stop', env, onLine, true);
    const why = started.signal ? `stopped by ${started.signal}` : `exit code ${started.code}`;
    throw new Error(`scripts/redis-cluster.sh start failed (${why})`);
  }
  const listed = await runClusterScript('nodes', env);
  const nodes = listed.output.trim().split('\n').pop() ?? '';
  if (listed.code !== 0 || nodes === '') throw new Error('scripts/redis-cluster.sh nodes printed no nodes');
  return { nodes, startedHere };
}

/** Stops the local Redis Cluster (only the nodes scripts/redis-cluster.sh started); resolves with its exit code. */
export async function stopLocalCluster(env, onLine) {
  return (await runClusterScript('stop', env, onLine, true)).code;
}
