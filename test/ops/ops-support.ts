/**
 * Real processes for the operations tests: BFF and worker processes started as in production
 * (`node --import tsx <entry>`), the deploy scripts, and what the tests check afterwards (queue counts,
 * the payment gateway's records). Every wait is bounded; every process started here is tracked so that
 * `afterAll` can stop it even when a test failed half-way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import type { StartedFake } from '../../fakes/fake-server';
import { queueDefinitions, type DomainName } from '../../queues';
import { bullPrefix, closeRedis, createRedis } from '../../shared/redis';

export const REPO_ROOT = path.resolve(__dirname, '../..');

export interface NodeProcess {
  name: string;
  child: ChildProcess;
  /** stdout split into lines (the JSON log lines of the process). */
  lines: string[];
  /** The last 4,000 characters of stderr, for failure messages. */
  stderr(): string;
  /** Settles when the process exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Parsed JSON log lines whose `msg` is `msg`. */
  logged(msg: string): Record<string, unknown>[];
}

/** Environment for a spawned app process: no `.env` from the checkout, only what the test says. */
export function processEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, DOTENV_CONFIG_PATH: '/dev/null', ...env };
}

/** Starts `node --import tsx <entry>` from the repository root; tracked in `into` for cleanup. */
export function startNodeProcess(
  name: string,
  entry: string,
  env: Record<string, string>,
  into: NodeProcess[],
): NodeProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, entry)], {
    cwd: REPO_ROOT,
    env: processEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts.filter((line) => line.trim() !== ''));
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const started: NodeProcess = {
    name,
    child,
    lines,
    stderr: () => stderr,
    exited,
    logged: (msg) =>
      lines
        .map((line) => {
          try {
            return JSON.parse(line) as Record<string, unknown>;
          } catch {
            return undefined;
          }
        })
        .filter((entry): entry is Record<string, unknown> => entry?.msg === msg),
  };
  into.push(started);
  return started;
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Polls `check` every 50 ms until it returns a value other than undefined; fails after `timeoutMs`. */
export async function pollUntil<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the process logged `msg` (JSON line), failing early when it exits first. */
export async function waitForLog(started: NodeProcess, msg: string, timeoutMs: number): Promise<void> {
  await pollUntil(
    () => {
      if (started.logged(msg).length > 0) return true;
      if (!isRunning(started.child)) {
        throw new Error(`${started.name} exited before logging "${msg}":\n${started.stderr()}`);
      }
      return undefined;
    },
    timeoutMs,
    `${started.name} logging "${msg}"`,
  );
}

/** Resolves with the exit, or rejects when the process is still running after `timeoutMs`. */
export async function waitForExit(
  started: NodeProcess,
  timeoutMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      started.exited,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${started.name} still running ${timeoutMs} ms later`)),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Stops every process still running: SIGTERM, then SIGKILL after `graceMs`. For afterAll. */
export async function stopAll(processes: NodeProcess[], graceMs = 10_000): Promise<void> {
  await Promise.all(
    processes.map(async (started) => {
      if (!isRunning(started.child)) return;
      started.child.kill('SIGTERM');
      try {
        await waitForExit(started, graceMs);
      } catch {
        started.child.kill('SIGKILL');
        await waitForExit(started, 5000).catch(() => undefined);
      }
    }),
  );
}

/** Every pid written under a deploy run dir (BFF colours, gateway, workers), for cleanup. */
export async function pidsInRunDir(runDir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const dir of [runDir, path.join(runDir, 'workers')]) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((entry) => entry.endsWith('.pid'))) {
      const pid = Number((await readFile(path.join(dir, name), 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 1) pids.push(pid);
    }
  }
  return pids;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0); it has stopped all the same.
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  return !/^\d+ \(.*\) Z/.test(stat);
}

/** SIGTERM to each pid still alive, SIGKILL to those alive `graceMs` later. */
export async function stopPids(pids: number[], graceMs = 10_000): Promise<void> {
  const alive = pids.filter(pidAlive);
  for (const pid of alive) process.kill(pid, 'SIGTERM');
  await pollUntil(() => (alive.some(pidAlive) ? undefined : true), graceMs, 'processes exiting').catch(() => {
    for (const pid of alive.filter(pidAlive)) process.kill(pid, 'SIGKILL');
  });
}

/**
 * A free port below the ephemeral range (32768 and up on Linux), for a server that a script starts well
 * after the port was chosen: an ephemeral port may meanwhile be taken by any outgoing connection.
 */
export async function portBelowEphemeralRange(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port between 20000 and 29999');
}

export interface ScriptResult {
  code: number | null;
  output: string;
}

/**
 * Runs a deploy script with bash and exactly the given environment (plus PATH and HOME), as an operator
 * or the pipeline would; the script is killed past `timeoutMs`.
 */
export function runScript(
  script: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(REPO_ROOT, script), ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} ${args.join(' ')} still running after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Fails with the script's whole output unless it exited with `code` and printed `text`. */
export function expectScriptResult(result: ScriptResult, code: number, text: string): void {
  if (result.code !== code || !result.output.includes(text)) {
    throw new Error(`expected exit ${code} and "${text}", got exit ${result.code}:\n${result.output}`);
  }
}

/** Writes an env file in the format both dotenv and `docker run --env-file` read: KEY=value, no quotes. */
export async function writeEnvFile(file: string, values: Record<string, string>): Promise<void> {
  const lines = Object.entries(values).map(([name, value]) => `${name}=${value.replace(/\n/g, '\\n')}`);
  await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
}

/** Job counts of each queue under a Redis prefix. */
export async function queueCounts(
  redisUrl: string,
  prefix: string,
  domains: DomainName[],
): Promise<Record<string, Record<string, number>>> {
  const connection = createRedis(redisUrl, 'worker');
  try {
    const counts: Record<string, Record<string, number>> = {};
    for (const domain of domains) {
      const producer = queueDefinitions[domain].createProducer(connection, bullPrefix(prefix));
      try {
        counts[domain] = await producer.queue.getJobCounts(
          'active',
          'waiting',
          'delayed',
          'prioritized',
          'waiting-children',
          'failed',
          'completed',
        );
      } finally {
        await producer.close();
      }
    }
    return counts;
  } finally {
    await closeRedis(connection);
  }
}

/** What the fake payment gateway recorded. */
export async function gatewayRecords(pg: StartedFake<any>): Promise<{
  charges: { orderId: string }[];
  refunds: { orderId: string }[];
}> {
  return (await (await fetch(`${pg.url}/__charges`)).json()) as {
    charges: { orderId: string }[];
    refunds: { orderId: string }[];
  };
}

export async function setGatewayKnobs(pg: StartedFake<any>, knobs: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${pg.url}/__control`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(knobs),
  });
  if (!response.ok) throw new Error(`__control answered ${response.status}`);
}

export const SETTLED = ['CONFIRMED', 'REJECTED', 'PAYMENT_FAILED', 'CANCELLED'];

export const shippingAddress = {
  recipient: 'Choi Min-jun',
  phone: '010-2222-3333',
  postalCode: '04524',
  address1: '110 Sejong-daero, Seoul',
};

/** Resolves true when a TCP connection to the port is refused, false when one is accepted. */
export function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve(error.code === 'ECONNREFUSED');
    });
  });
}
