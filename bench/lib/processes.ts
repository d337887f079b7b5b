/**
 * Child processes for the benchmarks (bench/lib/stack.ts, bench/worker-scaling.ts): `node --import tsx
 * <entry>` from the repository root with the last of its output kept for error messages, bounded waits,
 * and a stop that escalates from SIGTERM to SIGKILL; and free ports for what they start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Node flags for every process started here, for looking inside a benchmark: e.g.
 * BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' writes a CPU profile of each process when it stops.
 */
const EXTRA_NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** How many output chunks (stdout and stderr together) a process keeps. */
const KEPT_CHUNKS = 200;

/** A process started by startNode. */
export interface Started {
  name: string;
  child: ChildProcess;
  /** The last output chunks, stdout and stderr interleaved as they came. */
  output: string[];
}

export type Log = (message: string) => void;

/**
 * Starts `node --import tsx ...args` from the repository root with exactly `env` (pass process.env's
 * variables in it when the process should have them), stdout and stderr piped and kept in `output`.
 */
export function startNode(name: string, args: string[], env: NodeJS.ProcessEnv): Started {
  const child = spawn(process.execPath, [...EXTRA_NODE_ARGS, '--import', 'tsx', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const entry: Started = { name, child, output: [] };
  const keep = (chunk: Buffer) => {
    entry.output.push(chunk.toString('utf8'));
    if (entry.output.length > KEPT_CHUNKS) entry.output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return entry;
}

export function exited(entry: Started): boolean {
  return entry.child.exitCode !== null || entry.child.signalCode !== null;
}

/** True once the process has exited, false when it is still running `timeoutMs` later. */
export function waitForExit(entry: Started, timeoutMs: number): Promise<boolean> {
  if (exited(entry)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    entry.child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** SIGTERM, then SIGKILL when still running after `graceMs` (told to `log`, if given). */
export async function stopProcess(entry: Started, graceMs = 30_000, log?: Log): Promise<void> {
  if (exited(entry)) return;
  entry.child.kill('SIGTERM');
  if (!(await waitForExit(entry, graceMs))) {
    log?.(`${entry.name} still running ${graceMs} ms after SIGTERM: SIGKILL`);
    entry.child.kill('SIGKILL');
    await waitForExit(entry, 5000);
  }
}

/** The last 3,000 characters of the process's output. */
export function tail(entry: Started): string {
  return entry.output.join('').slice(-3000);
}

/**
 * Calls `check` every 200 ms until it resolves true (a rejection counts as false). Fails after `timeoutMs`,
 * or as soon as `watch` has exited, with its last output.
 */
export async function poll(
  what: string,
  timeoutMs: number,
  check: () => Promise<boolean>,
  watch?: Started,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (watch && exited(watch)) {
      throw new Error(
        `${watch.name} exited (${watch.child.exitCode ?? watch.child.signalCode}):\n${tail(watch)}`,
      );
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it; nothing listens on it now). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs a benchmark that starts processes of its own: exits 0 when `main` resolves and 1 (printing the error)
 * when it throws. On Ctrl-C or SIGTERM it stops the processes `running()` lists (the step waiting on them then
 * fails, and main's `finally` removes the rest) and exits 130, within 90 s whatever main does.
 */
export function runBenchmark(main: () => Promise<void>, running: () => Started[], log: Log): void {
  let interrupted = false;
  const interrupt = () => {
    if (interrupted) return;
    interrupted = true;
    log('interrupted: stopping what was started');
    setTimeout(() => process.exit(130), 90_000).unref();
    void Promise.all(running().map((entry) => stopProcess(entry, 10_000)));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  main().then(
    () => process.exit(interrupted ? 130 : 0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
