/**
 * scripts/ready-banner.mjs, run as `npm start` runs it (plain node, ESM) against stand-in processes: the
 * "not ready" box names what did not answer and why, the ready box follows once everything answers, and the
 * demo accounts appear outside production only.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { REPO_ROOT, pollUntil } from './ops-support';

const BANNER = path.join(REPO_ROOT, 'scripts/ready-banner.mjs');

interface StandIn {
  port: number;
  server: http.Server;
}

async function standIn(handler: http.RequestListener): Promise<StandIn> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, server };
}

/** Runs watchUntilReady over a stand-in supervisor; collects what it prints until `until` matches. */
function runBanner(env: Record<string, string>, until: RegExp) {
  const script = `import { watchUntilReady } from ${JSON.stringify(BANNER)};
const supervisor = {
  format: 'pretty', coloured: false, isStopping: () => false,
  status: (name) => name === 'bff' ? { lastLine: 'cannot reach database at 127.0.0.1:3306: connection refused' } : undefined,
  print: (text) => process.stdout.write(text + '\\n'),
};
watchUntilReady(supervisor, { env: process.env, timeoutMs: 300, intervalMs: 50 });
setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const done = pollUntil(() => (until.test(output) ? output : undefined), 20_000, `${until}`).finally(() =>
    child.kill('SIGKILL'),
  );
  return { done, output: () => output };
}

describe('the npm start ready banner', () => {
  const servers: http.Server[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  async function standIns() {
    let bffReady = false;
    const bff = await standIn((_req, res) => {
      res.statusCode = bffReady ? 200 : 503;
      res.end(
        JSON.stringify({
          ready: bffReady,
          checks: {
            mysql: bffReady ? { ok: true } : { ok: false, error: 'connect ECONNREFUSED 127.0.0.1:3306' },
          },
        }),
      );
    });
    const gateway = await standIn((_req, res) => res.end('{"ready":true}'));
    const inbox = await standIn((_req, res) => res.end('{"fakes":[]}'));
    const metrics = await standIn((_req, res) => res.end('# metrics'));
    servers.push(bff.server, gateway.server, inbox.server, metrics.server);
    return {
      setBffReady: () => (bffReady = true),
      env: {
        BFF_PORT: String(bff.port),
        GATEWAY_PORT: String(gateway.port),
        FAKE_INBOX_PORT: String(inbox.port),
        WORKER_METRICS_PORT: String(metrics.port),
      },
    };
  }

  it('when a process does not answer in time, then a box says which one and why, and the ready box with every URL and the demo accounts follows once it does', async () => {
    const stand = await standIns();
    const run = runBanner({ ...stand.env, NODE_ENV: 'development' }, /Voltmall is NOT ready/);
    const notReady = await run.done.catch(() => run.output());
    expect(notReady).toMatch(/Voltmall is NOT ready after [\d.]+ s: gateway, bff/);
    expect(notReady).toContain('gateway: waiting for the bff');
    expect(notReady).toContain(
      `bff: http://127.0.0.1:${stand.env.BFF_PORT}/readyz: /readyz answered 503 (mysql: connect ECONNREFUSED 127.0.0.1:3306)`,
    );
    expect(notReady).toContain(
      'its last log line: cannot reach database at 127.0.0.1:3306: connection refused',
    );

    const second = runBanner({ ...stand.env, NODE_ENV: 'development' }, /Ctrl-C stops everything/);
    setTimeout(stand.setBffReady, 500);
    const ready = await second.done;
    expect(ready).toMatch(/Voltmall is ready \(every process answered after [\d.]+ s\)/);
    for (const text of [
      `Gateway (the API)   http://127.0.0.1:${stand.env.GATEWAY_PORT}`,
      `/api/docs`,
      `/api/openapi.json`,
      `/admin/`,
      `/admin/queues/  (admins only`,
      `http://127.0.0.1:${stand.env.WORKER_METRICS_PORT}/metrics (workers)`,
      `Fakes' inbox        http://127.0.0.1:${stand.env.FAKE_INBOX_PORT}/`,
      'logs/<process>.log',
      'admin@voltmall.dev  Admin123!',
      'demo@voltmall.dev   Demo123!',
    ]) {
      expect(ready).toContain(text);
    }
    // The ready box (the last one: on a loaded machine a not-ready box may come first): every line between
    // the corners is as wide as the top.
    const box = ready
      .slice(ready.lastIndexOf('╭'))
      .split('\n')
      .filter((line) => /^[│╭╰]/.test(line));
    expect(new Set(box.map((line) => line.length)).size).toBe(1);
  }, 40_000);

  it('when NODE_ENV is production, then the ready box lists no demo account', async () => {
    const stand = await standIns();
    stand.setBffReady();
    const run = runBanner({ ...stand.env, NODE_ENV: 'production' }, /Ctrl-C stops everything/);
    const ready = await run.done;
    expect(ready).toContain('Voltmall is ready');
    expect(ready).not.toMatch(/Demo accounts|voltmall\.dev|Admin123!/);
  }, 30_000);
});
