// `npm start`: runs the whole system in one terminal with prefixed logs: the fake providers, the BFF,
// the workers and the nginx gateway. Ctrl-C (or SIGTERM) stops them all gracefully.
import concurrently from 'concurrently';

const tsx = 'node --import tsx';
const { result } = concurrently(
  [
    { name: 'fakes', command: `${tsx} fakes/main.ts`, prefixColor: 'gray' },
    { name: 'bff', command: `${tsx} bff/main.ts`, prefixColor: 'cyan' },
    { name: 'workers', command: `${tsx} workers/main.ts`, prefixColor: 'magenta' },
    { name: 'gateway', command: `${tsx} nginx/run.ts`, prefixColor: 'green' },
  ],
  { killOthersOn: ['failure'], killSignal: 'SIGTERM', prefix: '[{name}]', restartTries: 0 },
);
result.then(
  () => process.exit(0),
  () => process.exit(1),
);
