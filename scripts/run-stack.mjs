// `npm start`: runs the whole system in one terminal with prefixed logs: the fake providers, the BFF,
// the workers and the nginx gateway. A process that exits unexpectedly is restarted (scripts/supervise.mjs
// says so, backs off, and gives up on one that keeps failing at start). Ctrl-C (or SIGTERM) stops them all
// gracefully; a second Ctrl-C kills them.
import { runSupervised } from './supervise.mjs';

const tsx = [process.execPath, '--import', 'tsx'];
runSupervised([
  { name: 'fakes', command: [...tsx, 'fakes/main.ts'], colour: 'gray' },
  { name: 'bff', command: [...tsx, 'bff/main.ts'], colour: 'cyan' },
  { name: 'workers', command: [...tsx, 'workers/main.ts'], colour: 'magenta' },
  { name: 'gateway', command: [...tsx, 'nginx/run.ts'], colour: 'green' },
]);
