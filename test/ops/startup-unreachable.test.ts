/**
 * A BFF or worker process started while its database or Redis cannot be reached (shared/startup-checks):
 * one clear JSON line per attempt, no stack trace, not listening or running until the service answers, and
 * exit 78 with one line for a configuration error (a wrong password, an unknown database).
 */
import { createTestDatabase, type TestDatabase } from '../support/database';
import { freePort } from '../support/gateway';
import { deleteRedisPrefix, testRedisPrefix } from '../support/redis';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import {
  connectionRefused,
  pollUntil,
  startNodeProcess,
  stopAll,
  waitForExit,
  waitForLog,
  type NodeProcess,
} from './ops-support';

const RETRY_LINE = /^cannot reach (database|redis) at 127\.0\.0\.1:\d+: connection refused/;

/** Every stdout line is one JSON object, and nothing reached stderr: no raw stack trace anywhere. */
function expectOnlyJsonLines(started: NodeProcess): Record<string, unknown>[] {
  expect(started.stderr()).toBe('');
  const parsed = started.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  for (const entry of parsed) expect(JSON.stringify(entry)).not.toMatch(/\\n\s+at /);
  return parsed;
}

describe('starting while the database or Redis is unreachable', () => {
  let database: TestDatabase;
  const prefix = testRedisPrefix('startup');
  const processes: NodeProcess[] = [];
  const proxies: TcpProxy[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('startup');
  }, 60_000);

  afterAll(async () => {
    await stopAll(processes);
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await database?.drop();
    await deleteRedisPrefix(process.env.REDIS_URL!, prefix);
  }, 60_000);

  async function cutProxy(target: string): Promise<TcpProxy> {
    const url = new URL(target);
    const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port) });
    proxies.push(proxy);
    await proxy.cut();
    return proxy;
  }

  function withPort(url: string, port: number): string {
    const copy = new URL(url);
    copy.port = String(port);
    return copy.toString();
  }

  it('when the BFF starts with its database refusing connections, then it logs one retry line per attempt, does not listen, and becomes ready once the database comes up', async () => {
    const proxy = await cutProxy(database.url.replace(/^mysql:/, 'http:'));
    const port = await freePort();
    const bff = startNodeProcess(
      'bff',
      'bff/main.ts',
      {
        DATABASE_URL: withPort(database.url, proxy.port),
        REDIS_PREFIX: prefix,
        LOG_LEVEL: 'info',
        BFF_HOST: '127.0.0.1',
        BFF_PORT: String(port),
      },
      processes,
    );
    await pollUntil(
      () =>
        bff.lines.filter((line) => line.includes('cannot reach database')).length >= 2 ? true : undefined,
      20_000,
      'two retry lines',
    );
    expect(await connectionRefused(port)).toBe(true);
    const before = expectOnlyJsonLines(bff);
    expect(before.some((entry) => entry.msg === 'bff listening')).toBe(false);
    const retries = before.filter((entry) => String(entry.msg).startsWith('cannot reach'));
    for (const entry of retries) {
      expect(entry).toMatchObject({ level: 40, service: 'bff', msg: expect.stringMatching(RETRY_LINE) });
      expect(String(entry.msg)).toContain(`127.0.0.1:${proxy.port}`);
      expect(String(entry.msg)).not.toContain('redis');
      expect(entry.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }

    await proxy.restore();
    await waitForLog(bff, 'bff listening', 20_000);
    // Ready soon after: /readyz also weighs the event loop's lag, which a loaded machine may show for a
    // moment right after start-up.
    await pollUntil(
      async () => ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200 ? true : undefined),
      20_000,
      'the BFF ready',
    );
    expect(bff.logged('database and redis reachable')).toHaveLength(1);
    expectOnlyJsonLines(bff);
  }, 60_000);

  it('when the BFF starts with a wrong database password, then it exits with code 78 after one clear line', async () => {
    const url = new URL(database.url);
    url.password = 'not-the-password';
    url.username = url.username || 'root';
    const bff = startNodeProcess(
      'bff-denied',
      'bff/main.ts',
      { DATABASE_URL: url.toString(), REDIS_PREFIX: prefix, LOG_LEVEL: 'info', BFF_PORT: '0' },
      processes,
    );
    expect(await waitForExit(bff, 20_000)).toEqual({ code: 78, signal: null });
    const lines = expectOnlyJsonLines(bff);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 60,
        service: 'bff',
        msg: expect.stringMatching(
          /^cannot start: database at 127\.0\.0\.1:\d+: access denied .*\(a configuration error: not retrying\)$/,
        ),
      }),
    ]);
  }, 30_000);

  it('when the BFF names a database that does not exist, then it exits with code 78 after one clear line', async () => {
    const bff = startNodeProcess(
      'bff-unknown-db',
      'bff/main.ts',
      {
        DATABASE_URL: `${database.url}_missing`,
        REDIS_PREFIX: prefix,
        LOG_LEVEL: 'info',
        BFF_PORT: '0',
      },
      processes,
    );
    expect(await waitForExit(bff, 20_000)).toEqual({ code: 78, signal: null });
    const lines = expectOnlyJsonLines(bff);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.msg).toMatch(/unknown database/);
  }, 30_000);

  it('when the workers start with Redis refusing connections, then they log one retry line per attempt, are not running, and start once Redis comes up', async () => {
    const proxy = await cutProxy(process.env.REDIS_URL!.replace(/^redis:/, 'http:'));
    const workers = startNodeProcess(
      'workers',
      'workers/main.ts',
      {
        DATABASE_URL: database.url,
        REDIS_URL: withPort(process.env.REDIS_URL!, proxy.port),
        REDIS_PREFIX: prefix,
        LOG_LEVEL: 'info',
        WORKER_QUEUES: 'stats',
        WORKER_CONCURRENCY: '1',
        WORKER_METRICS_PORT: 'off',
      },
      processes,
    );
    await pollUntil(
      () =>
        workers.lines.filter((line) => line.includes('cannot reach redis')).length >= 2 ? true : undefined,
      20_000,
      'two retry lines',
    );
    const before = expectOnlyJsonLines(workers);
    expect(before.some((entry) => entry.msg === 'workers running')).toBe(false);
    for (const entry of before) {
      expect(entry).toMatchObject({ level: 40, service: 'workers', msg: expect.stringMatching(RETRY_LINE) });
      expect(String(entry.msg)).toMatch(/^cannot reach redis at /);
    }

    await proxy.restore();
    await waitForLog(workers, 'workers running', 20_000);
    expectOnlyJsonLines(workers);
  }, 60_000);
});
