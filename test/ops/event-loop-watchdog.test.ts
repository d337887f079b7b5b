import { spawn } from 'node:child_process';
import path from 'node:path';
import { EVENT_LOOP_BLOCKED_MESSAGE } from '../../shared/event-loop-watchdog';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { freePort } from '../support/gateway';
import { deleteRedisPrefix, testRedisPrefix } from '../support/redis';
import {
  REPO_ROOT,
  processEnv,
  startNodeProcess,
  stopAll,
  waitForExit,
  waitForLog,
  type NodeProcess,
} from './ops-support';

const LIMIT_MS = 500;
const BLOCKER = path.join(REPO_ROOT, 'test/support/block-event-loop-on-sigusr2.js');

describe('event loop watchdog', () => {
  let database: TestDatabase;
  const prefix = testRedisPrefix('watchdog');
  const processes: NodeProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('watchdog');
  }, 60_000);

  afterAll(async () => {
    await stopAll(processes);
    await database?.drop();
    await deleteRedisPrefix(process.env.REDIS_URL!, prefix);
  }, 60_000);

  function env(extra: Record<string, string>): Record<string, string> {
    return {
      DATABASE_URL: database.url,
      REDIS_PREFIX: prefix,
      LOG_LEVEL: 'info',
      EVENT_LOOP_BLOCK_EXIT_MS: String(LIMIT_MS),
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${BLOCKER}`.trim(),
      ...extra,
    };
  }

  /** Blocks the process's event loop and expects it killed, with the watchdog's fatal line, within a bound. */
  async function expectKilledWhenBlocked(started: NodeProcess, service: string): Promise<void> {
    const blockedAt = Date.now();
    started.child.kill('SIGUSR2');
    const exit = await waitForExit(started, 15_000);
    const elapsedMs = Date.now() - blockedAt;
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    const fatal = started.logged(EVENT_LOOP_BLOCKED_MESSAGE);
    expect(fatal).toEqual([
      expect.objectContaining({
        level: 60,
        service,
        pid: started.child.pid,
        limitMs: LIMIT_MS,
        blockedMs: expect.any(Number),
        time: expect.any(String),
      }),
    ]);
    // Not before the limit: the loop was blocked at least that long when the line was written.
    expect(fatal[0]!.blockedMs as number).toBeGreaterThanOrEqual(LIMIT_MS);
    expect(elapsedMs).toBeGreaterThanOrEqual(LIMIT_MS);
  }

  it('when a BFF process blocks its event loop longer than EVENT_LOOP_BLOCK_EXIT_MS, then it logs one fatal line and is killed', async () => {
    const port = await freePort();
    const bff = startNodeProcess(
      'bff',
      'bff/main.ts',
      env({ BFF_HOST: '127.0.0.1', BFF_PORT: String(port) }),
      processes,
    );
    await waitForLog(bff, 'bff listening', 60_000);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    await expectKilledWhenBlocked(bff, 'bff');
  }, 90_000);

  it('when a worker process blocks its event loop longer than EVENT_LOOP_BLOCK_EXIT_MS, then it logs one fatal line and is killed', async () => {
    const workers = startNodeProcess(
      'workers',
      'workers/main.ts',
      env({ WORKER_QUEUES: 'stats', WORKER_CONCURRENCY: '1' }),
      processes,
    );
    await waitForLog(workers, 'workers running', 60_000);
    await expectKilledWhenBlocked(workers, 'workers');
  }, 90_000);

  it('when only the watchdog is left, then it does not keep the process alive', async () => {
    const script =
      "const { startEventLoopWatchdog } = require('./shared/event-loop-watchdog');" +
      "const { createLogger } = require('./shared/logger');" +
      "startEventLoopWatchdog(200, createLogger({ level: 'info', name: 'idle' }));" +
      "setTimeout(() => process.stdout.write('done\\n'), 50);";
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: REPO_ROOT,
      env: processEnv({}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    let errors = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
      (resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`still running after 20 s: ${errors}`));
        }, 20_000);
        child.once('exit', (code, signal) => {
          clearTimeout(timer);
          resolve({ code, signal });
        });
      },
    );
    expect({ exit, output }).toEqual({ exit: { code: 0, signal: null }, output: 'done\n' });
  }, 30_000);
});
