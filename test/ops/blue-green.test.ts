import { createPublicKey } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent, get as httpGet } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createAccessTokenSigner } from '../../bff/auth/access-tokens';
import { startGateway, type RunningGateway } from '../../nginx/render';
import { loadConfig } from '../../shared/config';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { freePort } from '../support/gateway';
import { deleteRedisPrefix, testRedisPrefix } from '../support/redis';
import { uniqueEmail } from '../support/stack';
import {
  expectScriptResult,
  pidAlive,
  pidsInRunDir,
  pollUntil,
  portBelowEphemeralRange,
  runScript,
  stopPids,
  writeEnvFile,
  connectionRefused,
} from './ops-support';

interface Sample {
  at: number;
  path: string;
  status?: number;
  servedBy?: string | null;
  error?: string;
}

/** One GET on the loop's own keep-alive agent; errors say whether the socket was a reused one. */
function get(
  agent: Agent,
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; servedBy: string | null }> {
  return new Promise((resolve, reject) => {
    const request = httpGet(url, { agent, headers, timeout: 30_000 }, (response) => {
      response.resume();
      response.once('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          servedBy: (response.headers['x-served-by'] as string) ?? null,
        }),
      );
      response.once('error', reject);
    });
    request.once('timeout', () => request.destroy(new Error('timeout')));
    request.once('error', (error: NodeJS.ErrnoException) =>
      reject(Object.assign(error, { reusedSocket: request.reusedSocket })),
    );
  });
}

/**
 * Requests through the gateway from a few loops, each on one keep-alive connection of its own, until
 * stopped (bounded in count and time): liveness and an authenticated order list (JWT check in Lua,
 * gateway secret, MySQL).
 *
 * Each loop behaves as a compliant HTTP/1.1 client does (RFC 9112 §9.3.1; browsers do the same): when the
 * server closes a reused keep-alive connection just as a GET goes out on it, before any byte of a
 * response, the GET is sent once more, on a new connection. nginx's reload produces exactly that: the old
 * workers close their idle client connections at once. Those retries are recorded in `reconnects`; a
 * second failure, an error response or any other error counts as a failed request.
 */
class LoadGenerator {
  readonly samples: Sample[] = [];
  readonly reconnects: Sample[] = [];
  private stopping = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  start(concurrency = 2, maxRequests = 40_000, maxMs = 240_000): void {
    this.stopping = false;
    const deadline = Date.now() + maxMs;
    // Not /readyz: its 1.5 s bound on MySQL and Redis can answer 503 on a machine busy with other tests.
    const paths = ['/healthz', '/api/orders?limit=5'];
    this.loops = Array.from({ length: concurrency }, async (_, loop) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (let sent = loop; !this.stopping && sent < maxRequests && Date.now() < deadline; sent += 1) {
          const pathname = paths[sent % paths.length]!;
          const headers: Record<string, string> = pathname.startsWith('/api/')
            ? { authorization: `Bearer ${this.token}` }
            : {};
          const at = Date.now();
          for (let attempt = 1; ; attempt += 1) {
            try {
              const { status, servedBy } = await get(agent, `${this.baseUrl}${pathname}`, headers);
              this.samples.push({ at, path: pathname, status, servedBy });
              break;
            } catch (error) {
              const { code, reusedSocket } = error as NodeJS.ErrnoException & { reusedSocket?: boolean };
              const sample = { at, path: pathname, error: code ?? String(error) };
              if (attempt === 1 && reusedSocket === true && code === 'ECONNRESET') {
                this.reconnects.push(sample);
                continue;
              }
              this.samples.push(sample);
              break;
            }
          }
        }
      } finally {
        agent.destroy();
      }
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
  }

  since(at: number): Sample[] {
    return this.samples.filter((sample) => sample.at >= at);
  }

  reconnectsSince(at: number): Sample[] {
    return this.reconnects.filter((sample) => sample.at >= at);
  }

  /** Waits until `count` requests issued at or after `at` were answered. */
  async answeredSince(at: number, count: number): Promise<void> {
    await pollUntil(
      () => (this.since(at).length >= count ? true : undefined),
      60_000,
      `${count} requests through the gateway`,
    );
  }
}

const failures = (samples: Sample[]) => samples.filter((sample) => sample.status !== 200);
const servedBy = (samples: Sample[]) => new Set(samples.map((sample) => sample.servedBy));

describe('blue-green deploy of the BFF behind real nginx', () => {
  let database: TestDatabase;
  let prefix: string;
  let workDir: string;
  let runDir: string;
  let gatewayPrefix: string;
  let includeFile: string;
  let envFile: string;
  let gateway: RunningGateway | undefined;
  let load: LoadGenerator | undefined;
  let ports: { blue: number; green: number };
  let scriptEnv: Record<string, string>;

  const deploy = (args: string[], env: Record<string, string> = {}) =>
    runScript('scripts/deploy/blue-green.sh', args, { ...scriptEnv, ...env }, 180_000);
  const state = async (name: string) =>
    (await readFile(path.join(runDir, name), 'utf8').catch(() => '')).trim();
  const pidOf = async (colour: string) => Number(await state(`bff-${colour}.pid`)) || undefined;

  beforeAll(async () => {
    // The first deploy migrates this database (DEPLOY_MIGRATE), as on a new host.
    database = await createTestDatabase('bluegreen', { migrate: false });
    prefix = testRedisPrefix('bluegreen');
    workDir = await mkdtemp(path.join(os.tmpdir(), 'vm-bluegreen-'));
    await chmod(workDir, 0o755); // nginx's workers (nobody, when run as root) traverse it to their prefix
    runDir = path.join(workDir, 'run');
    gatewayPrefix = path.join(workDir, 'nginx');
    includeFile = path.join(runDir, 'gateway', 'upstream.conf');
    envFile = path.join(workDir, 'app.env');
    ports = { blue: await portBelowEphemeralRange(), green: await portBelowEphemeralRange() };
    if (ports.green === ports.blue) ports.green = await portBelowEphemeralRange();
    await writeEnvFile(envFile, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      REDIS_URL: process.env.REDIS_URL!,
      REDIS_PREFIX: prefix,
      GATEWAY_SECRET: process.env.GATEWAY_SECRET!,
      SMS_PAYLOAD_KEY: process.env.SMS_PAYLOAD_KEY!,
      JWT_PRIVATE_KEY: process.env.JWT_PRIVATE_KEY!,
      JWT_KID: process.env.JWT_KID!,
    });
    scriptEnv = {
      DEPLOY_RUN_DIR: runDir,
      DEPLOY_ENV_FILE: envFile,
      DEPLOY_BLUE_PORT: String(ports.blue),
      DEPLOY_GREEN_PORT: String(ports.green),
      DEPLOY_GATEWAY_PREFIX: gatewayPrefix,
      DEPLOY_START_GATEWAY: 'false',
      DEPLOY_MIGRATE: 'false',
      DEPLOY_READY_TIMEOUT: '90',
      DEPLOY_DRAIN_TIMEOUT: '30',
      DEPLOY_STOP_TIMEOUT: '30',
    };

    // First deploy: no colour active yet and no gateway running; blue comes up and the include is written.
    const first = await deploy(['deploy'], { DEPLOY_MIGRATE: 'true' });
    expectScriptResult(first, 0, 'blue is active');

    const config = loadConfig({ ...process.env, DATABASE_URL: database.url });
    gateway = await startGateway({
      listenHost: '127.0.0.1',
      listenPort: await freePort(),
      upstreams: [],
      upstreamInclude: includeFile,
      prefixDir: gatewayPrefix,
      publicKeys: [
        {
          kid: config.JWT_KID,
          pem: createPublicKey(config.JWT_PRIVATE_KEY).export({ format: 'pem', type: 'spki' }).toString(),
        },
      ],
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      gatewaySecret: config.GATEWAY_SECRET,
      redis: { url: config.REDIS_URL, prefix },
      workerProcesses: 2,
    });
    const [userId] = await database
      .db('users')
      .insert({ email: uniqueEmail(), role: 'user', status: 'active' });
    const { token } = await createAccessTokenSigner(config).sign({ userId: Number(userId), role: 'user' });
    load = new LoadGenerator(gateway.url, token);
  }, 240_000);

  afterAll(async () => {
    await load?.stop();
    if (runDir) await stopPids(await pidsInRunDir(runDir), 30_000);
    await gateway?.stop();
    await database?.drop();
    if (prefix) await deleteRedisPrefix(process.env.REDIS_URL!, prefix);
    if (workDir) await rm(workDir, { recursive: true, force: true });
  }, 120_000);

  it('when green is deployed under load, then it takes over with zero failed requests and blue is stopped', async () => {
    const bluePid = await pidOf('blue');
    const startedAt = Date.now();
    load!.start();
    await load!.answeredSince(startedAt, 30);
    expect(servedBy(load!.since(startedAt))).toEqual(new Set(['blue']));

    const result = await deploy(['deploy']);
    expectScriptResult(result, 0, 'green is active');
    const switchedAt = Date.now();
    await load!.answeredSince(switchedAt, 30);
    await load!.stop();

    expect(failures(load!.since(startedAt))).toEqual([]);
    // At most one reconnect per kept-alive connection (one per loop) that nginx's reload closed.
    expect(load!.reconnectsSince(startedAt).length).toBeLessThanOrEqual(2);
    expect(servedBy(load!.since(startedAt))).toEqual(new Set(['blue', 'green']));
    expect(servedBy(load!.since(switchedAt))).toEqual(new Set(['green']));
    expect(await state('active')).toBe('green');
    expect(await state('previous')).toBe('blue');
    expect(await readFile(includeFile, 'utf8')).toContain(`server 127.0.0.1:${ports.green};`);
    expect(pidAlive(bluePid!)).toBe(false);
    expect(await connectionRefused(ports.blue)).toBe(true);
  }, 240_000);

  it('when the new colour never becomes ready, then the script fails, nothing is switched and the active colour keeps serving', async () => {
    const includeBefore = await readFile(includeFile, 'utf8');
    const badEnvFile = path.join(workDir, 'bad.env');
    const closedPort = await freePort();
    await writeEnvFile(badEnvFile, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      REDIS_URL: `redis://127.0.0.1:${closedPort}`,
      REDIS_PREFIX: prefix,
      GATEWAY_SECRET: process.env.GATEWAY_SECRET!,
      SMS_PAYLOAD_KEY: process.env.SMS_PAYLOAD_KEY!,
      JWT_PRIVATE_KEY: process.env.JWT_PRIVATE_KEY!,
      JWT_KID: process.env.JWT_KID!,
    });
    const startedAt = Date.now();
    load!.start();
    await load!.answeredSince(startedAt, 30);

    const result = await deploy(['deploy'], { DEPLOY_ENV_FILE: badEnvFile, DEPLOY_READY_TIMEOUT: '8' });
    expectScriptResult(result, 1, 'never became ready');
    const failedAt = Date.now();
    await load!.answeredSince(failedAt, 30);
    await load!.stop();

    expect(failures(load!.since(startedAt))).toEqual([]);
    expect(load!.reconnectsSince(startedAt)).toEqual([]); // no reload happened
    expect(servedBy(load!.since(startedAt))).toEqual(new Set(['green']));
    expect(await readFile(includeFile, 'utf8')).toBe(includeBefore);
    expect(await state('active')).toBe('green');
    expect(await state('bff-blue.pid')).toBe('');
    expect(await connectionRefused(ports.blue)).toBe(true);
  }, 240_000);

  it('when rolled back with one command, then blue serves again with zero failed requests and green is stopped', async () => {
    const greenPid = await pidOf('green');
    const startedAt = Date.now();
    load!.start();
    await load!.answeredSince(startedAt, 30);

    const result = await runScript('scripts/deploy/rollback.sh', [], scriptEnv, 180_000);
    expectScriptResult(result, 0, 'blue is active');
    const switchedAt = Date.now();
    await load!.answeredSince(switchedAt, 30);
    await load!.stop();

    expect(failures(load!.since(startedAt))).toEqual([]);
    expect(load!.reconnectsSince(startedAt).length).toBeLessThanOrEqual(2);
    expect(servedBy(load!.since(switchedAt))).toEqual(new Set(['blue']));
    expect(await state('active')).toBe('blue');
    expect(await state('previous')).toBe('green');
    expect(await readFile(includeFile, 'utf8')).toContain(`server 127.0.0.1:${ports.blue};`);
    expect(pidAlive(greenPid!)).toBe(false);
  }, 240_000);
});
