// `npm start`: runs the whole system in one terminal: the fake providers, the BFF, the workers and the nginx
// gateway. A process that exits unexpectedly is restarted (scripts/supervise.mjs says so, backs off, gives up
// on one that keeps failing at start, and never restarts one that exits 78 for a configuration error).
// Ctrl-C (or SIGTERM) stops them all gracefully; a second Ctrl-C kills them.
//
// Logs (docs/logging.md): pretty, coloured lines on a terminal, JSON with LOG_FORMAT=json or in production;
// every process's JSON lines in logs/<process>.log (LOG_DIR to change the folder), the previous run's as .1;
// nginx's access and error logs are relayed into logs/gateway.log. Once every process answers, a boxed
// banner lists the URLs and the demo accounts (scripts/ready-banner.mjs).
//
// For the README's walk-through, the fake payment gateway takes FAKE_PAYMENT_LATENCY_MS (default 1500 here,
// outside production) per call, so an order's event stream shows each step; tests start their own fakes.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';
import { watchUntilReady } from './ready-banner.mjs';
import { resolveLogFormat, runSupervised } from './supervise.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The children read .env themselves; loaded here too for the ports the banner polls and NODE_ENV.
dotenv.config({ path: path.join(root, '.env'), quiet: true });
// The children always write JSON (LOG_FORMAT=json): the supervisor pretty-prints them on a terminal, in the
// format the developer's own LOG_FORMAT asks for, and keeps the JSON in logs/.
const format = resolveLogFormat(process.env);
const env = { ...process.env, GATEWAY_RELAY_LOGS: '1', LOG_FORMAT: 'json' };
if (env.NODE_ENV !== 'production' && !env.FAKE_PAYMENT_LATENCY_MS) env.FAKE_PAYMENT_LATENCY_MS = '1500';

const tsx = [process.execPath, '--import', 'tsx'];
const supervisor = runSupervised(
  [
    { name: 'fakes', command: [...tsx, 'fakes/main.ts'], colour: 'gray' },
    { name: 'bff', command: [...tsx, 'bff/main.ts'], colour: 'cyan' },
    { name: 'workers', command: [...tsx, 'workers/main.ts'], colour: 'magenta' },
    { name: 'gateway', command: [...tsx, 'nginx/run.ts'], colour: 'green' },
  ],
  { env, format, logDir: path.resolve(root, env.LOG_DIR || 'logs') },
);
watchUntilReady(supervisor, { env });
