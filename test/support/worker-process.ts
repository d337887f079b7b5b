import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** A worker process (workers/main.ts) a test can SIGKILL and start again, as a crashed deployment would. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  /** The last few KB of its stderr, for a failure message. */
  stderr(): string;
  /** Kills it with SIGKILL and resolves once it is gone. */
  kill(): Promise<void>;
  /** Asks it to stop (SIGTERM) and waits up to `timeoutMs`, then kills it. */
  stop(timeoutMs?: number): Promise<void>;
}

const MAX_STDERR = 16_384;

/** Starts `workers/main.ts` under tsx with the given environment (over the test's own). */
export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../workers/main.ts')], {
    env: { ...process.env, WORKER_METRICS_PORT: 'off', LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-MAX_STDERR);
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    stderr: () => stderr,
    async kill() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
    async stop(timeoutMs = 10_000) {
      if (alive()) child.kill('SIGTERM');
      const timer = setTimeout(() => alive() && child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
