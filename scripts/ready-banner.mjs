// The ready banner of `npm start` (called from scripts/run-stack.mjs): polls every process until it answers
// — the gateway's /readyz through nginx (which needs the BFF, MySQL and Redis), the BFF's own /readyz, the
// workers' /metrics and the fakes' combined inbox — then prints one boxed summary with every URL a developer
// needs and, outside production, the demo accounts. A process that has not answered within `timeoutMs` is
// named in the box with why (what its check answered, and its last log line); polling goes on, and the
// ready banner follows once everything answers.
import { tsImport } from 'tsx/esm/api';
import { describeRedis } from './stack-redis.mjs';

/** The demo seed's accounts (seeds/demo-accounts.ts), read only where they may be shown: never in production. */
async function demoAccounts(env) {
  if (env.NODE_ENV === 'production' || env.DEMO_ACCOUNTS === 'false' || env.DEMO_ACCOUNTS === '0') return [];
  try {
    const module = await tsImport('../seeds/demo-accounts.ts', import.meta.url);
    return (module.DEMO_ACCOUNTS ?? module.default?.DEMO_ACCOUNTS ?? []).map(({ email, password, role }) => ({
      email,
      password,
      role,
    }));
  } catch {
    return [];
  }
}

/** GET `url` with a short timeout: { ok, status?, body?, error? }. */
async function probe(url, timeoutMs = 1500) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.text();
    return { ok: response.ok, status: response.status, body };
  } catch (error) {
    const cause = error?.cause?.code ?? error?.cause?.message ?? error?.message ?? String(error);
    return { ok: false, error: cause === 'ECONNREFUSED' ? 'connection refused' : cause };
  }
}

/** What a failed /readyz says: `mysql: connect ECONNREFUSED 127.0.0.1:3306`, or the status. */
function readyzCause(result) {
  if (result.error) return result.error;
  try {
    const checks = JSON.parse(result.body)?.checks ?? {};
    const failed = Object.entries(checks)
      .filter(([, check]) => check && check.ok === false)
      .map(([name, check]) => `${name}: ${check.error}`);
    if (failed.length > 0) return `/readyz answered ${result.status} (${failed.join('; ')})`;
  } catch {
    // not JSON: the status says enough
  }
  return `answered ${result.status}`;
}

/** Every URL the banner lists and polls, from the same variables the processes read (.env loaded). */
export function stackUrls(env = process.env) {
  const loopback = (host) => (!host || host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host);
  const gateway = `http://${loopback(env.GATEWAY_HOST)}:${env.GATEWAY_PORT || 8080}`;
  const bff = `http://${loopback(env.BFF_HOST)}:${env.BFF_PORT || 3000}`;
  const inbox = `http://${loopback(env.FAKES_HOST)}:${env.FAKE_INBOX_PORT || 4000}`;
  const workerPort = env.WORKER_METRICS_PORT || '9464';
  const workerMetrics =
    workerPort === 'off' || workerPort === '0'
      ? undefined
      : `http://${loopback(env.WORKER_METRICS_HOST)}:${workerPort}/metrics`;
  return { gateway, bff, inbox, workerMetrics };
}

/** The checks, each named after the supervised process it tells about. */
function checks(urls) {
  return [
    {
      name: 'gateway',
      run: async () => {
        const result = await probe(`${urls.gateway}/readyz`);
        return result.ok
          ? { ok: true }
          : { ok: false, why: `${urls.gateway}/readyz: ${readyzCause(result)}` };
      },
    },
    {
      name: 'bff',
      run: async () => {
        const result = await probe(`${urls.bff}/readyz`);
        return result.ok ? { ok: true } : { ok: false, why: `${urls.bff}/readyz: ${readyzCause(result)}` };
      },
    },
    {
      name: 'workers',
      run: async () => {
        if (!urls.workerMetrics) return { ok: true };
        const result = await probe(urls.workerMetrics);
        return result.ok
          ? { ok: true }
          : { ok: false, why: `${urls.workerMetrics}: ${result.error ?? `answered ${result.status}`}` };
      },
    },
    {
      name: 'fakes',
      run: async () => {
        const result = await probe(`${urls.inbox}/inbox.json`, 4000);
        if (!result.ok) return { ok: false, why: `${urls.inbox}/inbox.json: ${readyzCause(result)}` };
        const silent = (JSON.parse(result.body).fakes ?? []).filter((fake) => fake.error);
        return silent.length === 0
          ? { ok: true }
          : { ok: false, why: silent.map((fake) => `${fake.name} at ${fake.url}: ${fake.error}`).join('; ') };
      },
    },
  ];
}

/** The box: a title, then lines; widths measured without colour codes. */
export function boxed(title, lines, colour = (_name, text) => text) {
  // eslint-disable-next-line no-control-regex -- colour codes are what is removed
  const plain = (text) => text.replace(/\u001b\[[0-9;]*m/g, '');
  const width = Math.max(plain(title).length, ...lines.map((line) => plain(line).length));
  const pad = (text) => `${text}${' '.repeat(width - plain(text).length)}`;
  return [
    `╭─${'─'.repeat(width)}─╮`,
    `│ ${pad(colour('green', title))} │`,
    `│ ${' '.repeat(width)} │`,
    ...lines.map((line) => `│ ${pad(line)} │`),
    `╰─${'─'.repeat(width)}─╯`,
  ].join('\n');
}

/** The lines of the ready banner; `redis` is where the stack's Redis is (stack-redis.mjs describeRedis). */
export function bannerLines(urls, accounts = [], redis = undefined) {
  const metrics = [`${urls.bff}/metrics (BFF)`];
  if (urls.workerMetrics) metrics.push(`${urls.workerMetrics} (workers)`);
  const lines = [
    `Gateway (the API)   ${urls.gateway}`,
    `API docs            ${urls.gateway}/api/docs`,
    `OpenAPI JSON        ${urls.gateway}/api/openapi.json`,
    `Admin console       ${urls.gateway}/admin/`,
    `Queue dashboard     ${urls.gateway}/admin/queues/  (admins only: sign in first, see README)`,
    `Metrics             ${metrics.join(', ')}`,
    `Fakes' inbox        ${urls.inbox}/  (SMS codes, charges keyed order-<id>, OAuth logins)`,
    ...(redis ? [`Redis               ${redis}`] : []),
    `Logs                logs/<process>.log (JSON lines); LOG_LEVEL=debug shows every request`,
  ];
  if (accounts.length > 0) {
    const width = Math.max(...accounts.map((account) => account.email.length));
    lines.push('', 'Demo accounts (development only; never created in production)');
    for (const account of accounts) {
      lines.push(`  ${account.email.padEnd(width)}  ${account.password.padEnd(10)} ${account.role}`);
    }
  }
  lines.push('', 'Ctrl-C stops everything.');
  return lines;
}

/**
 * Polls until every check passes, then prints the ready banner through `supervisor.print`. Past `timeoutMs`
 * it prints which processes did not answer and why, and keeps polling. Stops when the supervisor stops.
 */
export function watchUntilReady(supervisor, options = {}) {
  const { env = process.env, timeoutMs = 60_000, intervalMs = 500 } = options;
  const colour = (name, text) =>
    supervisor.coloured ? `\u001b[${name === 'green' ? 32 : 31}m${text}\u001b[0m` : text;
  const urls = stackUrls(env);
  const list = checks(urls);
  const startedAt = Date.now();
  const accounts = demoAccounts(env);
  let warned = false;
  const print = (text) => {
    if (supervisor.format === 'json') {
      supervisor.print(
        JSON.stringify({ time: new Date().toISOString(), level: 30, service: 'supervisor', msg: text }),
      );
    } else {
      supervisor.print(`\n${text}\n`);
    }
  };

  const round = async () => {
    if (supervisor.isStopping()) return;
    // The BFF first: the gateway's /readyz is asked only once the BFF answers, so that waiting for it does
    // not fill the console with 502s.
    const bff = await list.find((check) => check.name === 'bff').run();
    const outcomes = await Promise.all(
      list.map(async (check) => {
        if (check.name === 'bff') return { name: 'bff', ...bff };
        if (check.name === 'gateway' && !bff.ok)
          return { name: 'gateway', ok: false, why: 'waiting for the bff' };
        return { name: check.name, ...(await check.run()) };
      }),
    );
    if (supervisor.isStopping()) return;
    const failing = outcomes.filter((outcome) => !outcome.ok);
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    if (failing.length === 0) {
      const title = `Voltmall is ready (every process answered after ${seconds} s)`;
      print(
        supervisor.format === 'json'
          ? `${title}: ${urls.gateway}`
          : boxed(title, bannerLines(urls, await accounts, describeRedis(env)), colour),
      );
      return;
    }
    if (!warned && Date.now() - startedAt > timeoutMs) {
      warned = true;
      const lines = [];
      for (const outcome of failing) {
        const last = supervisor.status(outcome.name)?.lastLine;
        lines.push(`${outcome.name}: ${outcome.why}`);
        if (last) lines.push(`  its last log line: ${last.slice(0, 160)}`);
      }
      lines.push('', 'Still waiting; this box is printed again once everything answers.');
      const title = `Voltmall is NOT ready after ${seconds} s: ${failing.map((outcome) => outcome.name).join(', ')}`;
      print(
        supervisor.format === 'json'
          ? `${title}: ${lines.join(' | ')}`
          : boxed(title, lines, (_n, text) => colour('red', text)),
      );
    }
    setTimeout(() => void round(), intervalMs).unref();
  };
  setTimeout(() => void round(), intervalMs).unref();
}
