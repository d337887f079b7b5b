/**
 * What `npm start` prints and writes (docs/logging.md): the supervisor's per-process log files, its JSON and
 * pretty console formats, nginx's error-log lines as JSON, quiet successful request lines, no restart loop on
 * a configuration error (exit 78), and the gateway's access-log time format.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, startTestGateway } from '../support/gateway';
import { REPO_ROOT, pollUntil, startNodeProcess, stopAll, type NodeProcess } from './ops-support';

const SUPERVISE = path.join(REPO_ROOT, 'scripts/supervise.mjs');
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

interface Supervisor {
  child: ChildProcess;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the supervisor over one child that prints `output` (one line per entry) and then waits or exits. */
function supervise(
  dir: string,
  output: string[],
  options: Record<string, unknown>,
  env: Record<string, string> = {},
  exitCode?: number,
): Supervisor {
  const childSource =
    `for (const line of ${JSON.stringify(output)}) console.log(line);` +
    (exitCode === undefined
      ? "setInterval(() => {}, 1000); process.on('SIGTERM', () => process.exit(0));"
      : `process.exitCode = ${exitCode};`);
  const specs = [{ name: 'app', command: [process.execPath, '-e', childSource] }];
  const script = `import { runSupervised } from ${JSON.stringify(SUPERVISE)};
runSupervised(JSON.parse(process.env.SPECS), JSON.parse(process.env.OPTIONS));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: dir,
    env: {
      ...process.env,
      LOG_FORMAT: '',
      LOG_LEVEL: '',
      ...env,
      SPECS: JSON.stringify(specs),
      OPTIONS: JSON.stringify({ logDir: path.join(dir, 'logs'), ...options }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  const collect = (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  };
  child.stdout!.setEncoding('utf8').on('data', collect);
  child.stderr!.setEncoding('utf8').on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, lines, exited };
}

async function stopSupervisor(supervisor: Supervisor): Promise<void> {
  if (supervisor.child.exitCode !== null || supervisor.child.signalCode !== null) return;
  supervisor.child.kill('SIGINT');
  const timer = setTimeout(() => supervisor.child.kill('SIGKILL'), 5000);
  await supervisor.exited;
  clearTimeout(timer);
}

const readJsonLines = async (file: string) =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const BFF_OK = JSON.stringify({
  level: 30,
  time: '2026-12-04T09:53:19.123Z',
  service: 'app',
  requestId: 'r-ok',
  req: { method: 'GET', url: '/api/cart' },
  res: { statusCode: 200 },
  responseTime: 3.2,
  msg: 'request completed',
});
const BFF_NOT_FOUND = JSON.stringify({
  level: 30,
  time: '2026-12-04T09:53:19.456Z',
  service: 'app',
  requestId: 'r-404',
  req: { method: 'GET', url: '/api/nope' },
  res: { statusCode: 404 },
  responseTime: 1.5,
  msg: 'request completed',
});
const NGINX_ERROR =
  '2026/12/04 09:53:19 [error] 123#0: *5 connect() failed (111: Connection refused) while connecting to upstream';

describe('npm start logs', () => {
  let dir: string;
  const running: Supervisor[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vm-logs-'));
  });
  afterEach(async () => {
    for (const supervisor of running.splice(0)) await stopSupervisor(supervisor);
    await rm(dir, { recursive: true, force: true });
  });

  it('when a process writes JSON, plain and nginx error lines, then its log file holds each as JSON with an ISO time, and the previous run is kept as .1', async () => {
    const first = supervise(dir, ['first run'], {});
    running.push(first);
    await pollUntil(() => (first.lines.includes('[app] first run') ? true : undefined), 15_000, 'first run');
    await stopSupervisor(first);
    const second = supervise(dir, [BFF_OK, 'plain text', NGINX_ERROR], {});
    running.push(second);
    const file = path.join(dir, 'logs', 'app.log');
    const records = await pollUntil(
      async () => {
        const lines = await readJsonLines(file).catch(() => []);
        return lines.length >= 3 ? lines : undefined;
      },
      15_000,
      'three lines in app.log',
    );
    expect(records).toEqual([
      expect.objectContaining({ msg: 'request completed', requestId: 'r-ok' }),
      expect.objectContaining({ level: 30, service: 'app', msg: 'plain text' }),
      {
        time: '2026-12-04T09:53:19.000Z',
        level: 50,
        service: 'app',
        source: 'nginx error log',
        pid: 123,
        connection: 5,
        msg: 'connect() failed (111: Connection refused) while connecting to upstream',
      },
    ]);
    for (const record of records) expect(record.time).toMatch(ISO_MS);
    expect(await readJsonLines(`${file}.1`)).toEqual([
      expect.objectContaining({ service: 'app', msg: 'first run' }),
    ]);
  }, 40_000);

  it('when the console is pretty, then successful request lines are hidden at info, failed ones are one short line, and plain lines pass as written', async () => {
    const supervisor = supervise(dir, [BFF_OK, BFF_NOT_FOUND, 'plain text', NGINX_ERROR, 'done'], {});
    running.push(supervisor);
    await pollUntil(
      () => (supervisor.lines.includes('[app] done') ? true : undefined),
      15_000,
      `the last line\n${supervisor.lines.join('\n')}`,
    );
    const app = supervisor.lines.filter((line) => line.startsWith('[app]'));
    expect(app).toEqual([
      expect.stringMatching(
        /^\[app\] \[\d\d:\d\d:\d\d\.\d{3}\] INFO: GET \/api\/nope 404 1\.5 ms \{"requestId":"r-404"\}$/,
      ),
      '[app] plain text',
      expect.stringMatching(
        /^\[app\] \[\d\d:\d\d:\d\d\.\d{3}\] ERROR: connect\(\) failed .* \{"source":"nginx error log","connection":5\}$/,
      ),
      '[app] done',
    ]);
  }, 30_000);

  it('when LOG_LEVEL is debug, then the pretty console shows successful request lines too', async () => {
    const supervisor = supervise(dir, [BFF_OK, 'done'], {}, { LOG_LEVEL: 'debug' });
    running.push(supervisor);
    await pollUntil(() => (supervisor.lines.includes('[app] done') ? true : undefined), 15_000, 'done');
    expect(supervisor.lines).toContainEqual(expect.stringMatching(/INFO: GET \/api\/cart 200 3\.2 ms/));
  }, 30_000);

  it('when LOG_FORMAT is json, then every console line is JSON, the supervisor’s own included', async () => {
    const supervisor = supervise(
      dir,
      [BFF_NOT_FOUND, 'plain text'],
      { quickExitMs: 10, firstDelayMs: 60_000 },
      { LOG_FORMAT: 'json' },
      2,
    );
    running.push(supervisor);
    await pollUntil(
      () => (supervisor.lines.some((line) => line.includes('restarting in')) ? true : undefined),
      15_000,
      `the restart line\n${supervisor.lines.join('\n')}`,
    );
    const records = supervisor.lines
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toEqual([
      expect.objectContaining({ msg: 'request completed', requestId: 'r-404' }),
      expect.objectContaining({ service: 'app', level: 30, msg: 'plain text' }),
      expect.objectContaining({
        service: 'supervisor',
        level: 40,
        msg: expect.stringMatching(/^app exited unexpectedly/),
      }),
    ]);
    for (const record of records) expect(record.time).toMatch(ISO_MS);
  }, 30_000);

  it('when a process exits with code 78 (a configuration error), then the supervisor does not restart it, says why in one line, and exits 78', async () => {
    const supervisor = supervise(
      dir,
      ['Invalid configuration: DATABASE_URL is missing'],
      { firstDelayMs: 50 },
      {},
      78,
    );
    running.push(supervisor);
    expect(await supervisor.exited).toEqual({ code: 78, signal: null });
    expect(supervisor.lines.filter((line) => line.startsWith('[supervisor]'))).toEqual([
      '[supervisor] app exited with code 78, a configuration error ("Invalid configuration: DATABASE_URL is missing"); ' +
        'not restarting it, stopping everything: fix the configuration (.env) and start again',
    ]);
    expect(supervisor.lines.filter((line) => line.startsWith('[app]'))).toHaveLength(1);
  }, 30_000);

  it('when the gateway logs a request, then the access-log line has an ISO 8601 UTC time with milliseconds, a pino level by status, service and msg', async () => {
    // Nothing listens upstream: /healthz is a 502 (level 50), an unknown path a gateway 404 (level 30).
    const { publicKey } = generateKeyPairSync('ed25519');
    const gateway = await startTestGateway({
      upstreamPort: await freePort(),
      gatewaySecret: randomBytes(32).toString('hex'),
      publicKeys: [{ kid: 'k1', pem: publicKey.export({ type: 'spki', format: 'pem' }).toString() }],
    });
    try {
      const before = Date.now();
      await fetch(`${gateway.url}/healthz`, { headers: { 'x-request-id': 'logs-test-502' } });
      await fetch(`${gateway.url}/nowhere`, { headers: { 'x-request-id': 'logs-test-404' } });
      const lines = await pollUntil(
        async () => {
          const log = await gateway.accessLog();
          const found = ['logs-test-502', 'logs-test-404'].map((id) =>
            log.find((line) => line.requestId === id),
          );
          return found.every(Boolean) ? (found as Record<string, unknown>[]) : undefined;
        },
        10_000,
        'both access-log lines',
      );
      expect(lines[0]).toMatchObject({
        level: 50,
        service: 'gateway',
        msg: 'request completed',
        status: 502,
      });
      expect(lines[1]).toMatchObject({ level: 30, status: 404 });
      for (const line of lines) {
        expect(line.time).toMatch(ISO_MS);
        expect(Math.abs(Date.parse(String(line.time)) - before)).toBeLessThan(60_000);
      }
    } finally {
      await gateway.stop();
    }
  }, 30_000);

  it('when the gateway runner relays nginx’s logs (npm start), then its output is JSON lines only: its own, the access log, and the error log converted', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const port = await freePort();
    const processes: NodeProcess[] = [];
    const gateway = startNodeProcess(
      'gateway',
      'nginx/run.ts',
      {
        GATEWAY_SECRET: randomBytes(32).toString('hex'),
        JWT_PRIVATE_KEY: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        REDIS_URL: process.env.REDIS_URL!,
        GATEWAY_PORT: String(port),
        GATEWAY_PREFIX_DIR: path.join(dir, 'nginx'),
        // Nothing listens there: /healthz is a 502 with an error-log line.
        BFF_UPSTREAMS: `127.0.0.1:${await freePort()}`,
        GATEWAY_RELAY_LOGS: '1',
        LOG_LEVEL: 'info',
      },
      processes,
    );
    try {
      await pollUntil(
        async () => {
          const ok = await fetch(`http://127.0.0.1:${port}/healthz`, {
            headers: { 'x-request-id': 'relay-test-1' },
          })
            .then((response) => response.status === 502)
            .catch(() => false);
          return ok ? true : undefined;
        },
        20_000,
        'a 502 from the gateway',
      );
      const records = await pollUntil(
        () => {
          const parsed = gateway.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
          const access = parsed.find((record) => record.requestId === 'relay-test-1');
          const error = parsed.find((record) => record.source === 'nginx error log');
          return access && error ? { parsed, access, error } : undefined;
        },
        10_000,
        `both relayed lines\n${gateway.lines.join('\n')}`,
      );
      expect(records.parsed[0]).toMatchObject({
        level: 30,
        service: 'gateway',
        msg: expect.stringMatching(/^gateway listening on /),
      });
      expect(records.access).toMatchObject({
        level: 50,
        service: 'gateway',
        msg: 'request completed',
        status: 502,
      });
      expect(records.error).toMatchObject({
        level: 50,
        service: 'gateway',
        msg: expect.stringContaining(
          'connect() failed (111: Connection refused) while connecting to upstream',
        ),
      });
      for (const record of records.parsed)
        expect(record.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(gateway.stderr()).toBe('');
    } finally {
      await stopAll(processes);
    }
  }, 40_000);

  it('when the gateway runner is misconfigured, then it exits 78 with one JSON line naming the variable', async () => {
    const processes: NodeProcess[] = [];
    const gateway = startNodeProcess(
      'gateway',
      'nginx/run.ts',
      { GATEWAY_SECRET: '', LOG_LEVEL: 'info', REDIS_URL: 'redis://127.0.0.1:6379' },
      processes,
    );
    try {
      expect(await gateway.exited).toEqual({ code: 78, signal: null });
      expect(gateway.lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
        expect.objectContaining({
          level: 60,
          service: 'gateway',
          msg: 'gateway cannot start: missing environment variable GATEWAY_SECRET',
        }),
      ]);
    } finally {
      await stopAll(processes);
    }
  }, 30_000);
});
