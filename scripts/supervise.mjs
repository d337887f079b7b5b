// The process supervisor behind `npm start` (scripts/run-stack.mjs): runs long-lived processes side by side
// with prefixed output, restarts one that exits without being asked to, and stops them all on Ctrl-C.
//
// A process that exits unexpectedly (a crash, or the event-loop watchdog killing a stuck one) is restarted
// after a delay, and the supervisor says so in one line. The delay doubles with each exit that came soon
// after a start (a process that crashes while starting would otherwise loop hot); a run that lasted longer
// resets it. After `maxQuickExits` quick exits in a row the supervisor gives up: it says why and stops
// everything, because the stack without that process is not a working shop and the error will not fix itself.
// A process that exits with code 78 (EX_CONFIG: a configuration error, e.g. a wrong database password) is not
// restarted at all: the supervisor says so and stops everything at once.
//
// Output (docs/logging.md): each child writes JSON lines. On the console they are pretty-printed, one coloured
// line each (pino-pretty), unless LOG_FORMAT=json or NODE_ENV=production, when they pass through as JSON and
// the supervisor's own lines are JSON too. Lines that are not JSON are wrapped into JSON ({ time, level,
// service, msg }); nginx's error-log lines (`2026/12/04 09:53:19 [error] 123#0: *5 ...`) become JSON with an
// ISO time and a pino level. The console hides lines below LOG_LEVEL (default info), counting successful
// request lines (`request completed` with a 2xx/3xx status) and repeatable jobs done as debug; the
// per-process files keep everything.
// With `logDir`, each process's lines go to <logDir>/<name>.log as JSON (the supervisor's to supervisor.log):
// a new file per run, the previous run's kept as .1, and a file past `maxLogBytes` moved to .1 mid-run.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { prettyFactory } from 'pino-pretty';

const COLOURS = { gray: 90, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36 };

/** Defaults of `superviseProcesses`' options. */
export const SUPERVISOR_DEFAULTS = Object.freeze({
  /** An exit this soon after a start counts as quick: the process may be failing to start. */
  quickExitMs: 10_000,
  /** This many quick exits in a row, and the supervisor gives up. */
  maxQuickExits: 5,
  /** The first restart's delay; each further quick exit in a row doubles it, up to `maxDelayMs`. */
  firstDelayMs: 500,
  maxDelayMs: 30_000,
  /** How long a stop waits after SIGTERM before it sends SIGKILL. */
  stopGraceMs: 30_000,
  /** A log file past this size is moved to .1 and started again. */
  maxLogBytes: 50 * 1024 * 1024,
});

/** sysexits.h EX_CONFIG: the process says its configuration is wrong; restarting it cannot help. */
export const EX_CONFIG = 78;

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };
const NGINX_LEVELS = { debug: 20, info: 30, notice: 30, warn: 40, error: 50, crit: 60, alert: 60, emerg: 60 };

/** 'json' or 'pretty': LOG_FORMAT when set, else json under NODE_ENV=production, else pretty. */
export function resolveLogFormat(env = process.env) {
  if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty') return env.LOG_FORMAT;
  return env.NODE_ENV === 'production' ? 'json' : 'pretty';
}

/**
 * One output line of a child as a log record: its JSON as is, an nginx error-log line converted, anything
 * else wrapped (stderr at error level). `service` names the process the line came from.
 */
export function toLogRecord(line, service, fromStderr = false) {
  if (line.startsWith('{')) {
    try {
      const record = JSON.parse(line);
      if (record && typeof record === 'object' && !Array.isArray(record)) return record;
    } catch {
      // not JSON after all: wrapped below
    }
  }
  const nginx = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d) \[(\w+)\] (\d+)#\d+: (?:\*(\d+) )?(.*)$/.exec(
    line,
  );
  if (nginx) {
    const [, year, month, day, clock, level, pid, connection, msg] = nginx;
    return {
      // nginx runs with TZ=UTC (nginx/render.ts) and logs whole seconds.
      time: `${year}-${month}-${day}T${clock}.000Z`,
      level: NGINX_LEVELS[level] ?? 30,
      service,
      source: 'nginx error log',
      pid: Number(pid),
      ...(connection ? { connection: Number(connection) } : {}),
      msg,
    };
  }
  return { time: new Date().toISOString(), level: fromStderr ? 50 : 30, service, msg: line };
}

/** The level the console judges a record by: a successful request line counts as debug. */
export function consoleLevel(record) {
  const level = typeof record.level === 'number' ? record.level : 30;
  // Repeatable jobs (the order sweeper every 30 s) are routine too.
  if (record.msg === 'job done' && String(record.jobId).startsWith('repeat:'))
    return Math.min(level, LEVELS.debug);
  if (record.msg !== 'request completed') return level;
  const status = Number(record.status ?? record.res?.statusCode);
  return status >= 200 && status < 400 ? Math.min(level, LEVELS.debug) : level;
}

/** A request line as a short message: `GET /api/cart 200 3.1 ms`. */
function requestSummary(record) {
  const method = record.method ?? record.req?.method;
  const url = record.uri ?? record.req?.url;
  const status = record.status ?? record.res?.statusCode;
  const ms =
    typeof record.responseTime === 'number'
      ? record.responseTime
      : typeof record.durationSec === 'number'
        ? record.durationSec * 1000
        : undefined;
  const took = ms === undefined ? '' : ` ${ms.toFixed(1)} ms`;
  const slim = { time: record.time, level: record.level, msg: `${method} ${url} ${status}${took}` };
  if (record.requestId) slim.requestId = record.requestId;
  if (record.userId) slim.userId = record.userId;
  return slim;
}

/** "code 1" or "signal SIGKILL", as a child ended. */
export function describeExit(code, signal) {
  return signal ? `signal ${signal}` : `code ${code}`;
}

/**
 * Runs each `{ name, command: [file, ...args], colour? }` and supervises it (see the file's header).
 * Returns `stop(signal)` (SIGTERM to every child, SIGKILL to those still running after `stopGraceMs` or at
 * a second stop) and `done`, which settles with the exit code for the supervisor: 0 once every child has
 * stopped after a stop, 1 when it gave up on a failing child.
 */
export function superviseProcesses(specs, options = {}) {
  const o = { ...SUPERVISOR_DEFAULTS, env: process.env, out: process.stdout, logDir: undefined, ...options };
  const format = o.format ?? resolveLogFormat(o.env);
  const coloured = format === 'pretty' && Boolean(o.out.isTTY) && !o.env.NO_COLOR;
  const colour = (name, text) =>
    coloured && COLOURS[name] ? `\u001b[${COLOURS[name]}m${text}\u001b[0m` : text;
  const minimumLevel = LEVELS[o.env.LOG_LEVEL] ?? LEVELS.info;
  const pretty = prettyFactory({
    colorize: coloured,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service',
  });
  const files = new Map();
  const say = (line, level = 'info') => {
    const record = { time: new Date().toISOString(), level: LEVELS[level], service: 'supervisor', msg: line };
    writeFile('supervisor', record);
    o.out.write(
      format === 'json' ? `${JSON.stringify(record)}\n` : `${colour('yellow', '[supervisor]')} ${line}\n`,
    );
  };
  let stopping = false;
  let exitCode = 0;
  let resolveDone;
  const done = new Promise((resolve) => (resolveDone = resolve));
  let killTimer;

  const entries = specs.map((spec) => ({
    spec,
    child: undefined,
    startedAt: 0,
    quickExits: 0,
    restarts: 0,
    pending: undefined,
    lastLine: undefined,
    lastExit: undefined,
  }));

  /** <logDir>/<name>.log: opened on first use, the previous run's file moved to .1. */
  function writeFile(name, record) {
    if (!o.logDir) return;
    let file = files.get(name);
    if (!file) {
      mkdirSync(o.logDir, { recursive: true });
      const filePath = path.join(o.logDir, `${name}.log`);
      if (existsSync(filePath)) renameSync(filePath, `${filePath}.1`);
      file = { path: filePath, stream: createWriteStream(filePath, { flags: 'a' }), bytes: 0 };
      file.stream.on('error', () => undefined);
      files.set(name, file);
    }
    const text = `${JSON.stringify(record)}\n`;
    file.stream.write(text);
    file.bytes += Buffer.byteLength(text);
    if (file.bytes > o.maxLogBytes) {
      file.stream.end();
      renameSync(file.path, `${file.path}.1`);
      file.stream = createWriteStream(file.path, { flags: 'a' });
      file.stream.on('error', () => undefined);
      file.bytes = 0;
    }
  }

  function relay(entry, line, fromStderr) {
    if (line === '') return;
    const name = entry.spec.name;
    const isJson = line.startsWith('{');
    const record = toLogRecord(line, name, fromStderr);
    entry.lastLine = typeof record.msg === 'string' ? record.msg : line;
    writeFile(name, record);
    if (format === 'json') {
      if (isJson && record.level !== undefined && consoleLevel(record) < minimumLevel) return;
      o.out.write(isJson ? `${line}\n` : `${JSON.stringify(record)}\n`);
      return;
    }
    const prefix = colour(entry.spec.colour, `[${name}]`);
    // Plain output reads best as it was written; nginx's error-log lines are pretty-printed like JSON ones.
    if (!isJson && !record.source) return void o.out.write(`${prefix} ${line}\n`);
    if (consoleLevel(record) < minimumLevel) return;
    const shown = record.msg === 'request completed' ? requestSummary(record) : record;
    o.out.write(`${prefix} ${pretty(shown).trimEnd()}\n`);
  }

  function pipeLines(stream, entry, fromStderr) {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) relay(entry, line, fromStderr);
    });
    stream.on('end', () => {
      if (partial) relay(entry, partial, fromStderr);
      partial = '';
    });
  }

  function settleIfAllStopped() {
    if (!stopping || entries.some((entry) => entry.child || entry.pending)) return;
    clearTimeout(killTimer);
    Promise.all([...files.values()].map((file) => new Promise((resolve) => file.stream.end(resolve)))).then(
      () => resolveDone(exitCode),
    );
  }

  function start(entry) {
    entry.pending = undefined;
    const [file, ...args] = entry.spec.command;
    const child = spawn(file, args, { env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
    entry.child = child;
    entry.startedAt = Date.now();
    pipeLines(child.stdout, entry, false);
    pipeLines(child.stderr, entry, true);
    child.on('error', (error) => say(`${entry.spec.name} could not be started: ${error.message}`, 'error'));
    child.on('close', (code, signal) => {
      entry.child = undefined;
      entry.lastExit = { code, signal };
      if (stopping) return settleIfAllStopped();
      const ranMs = Date.now() - entry.startedAt;
      entry.quickExits = ranMs < o.quickExitMs ? entry.quickExits + 1 : 0;
      const how = `${describeExit(code, signal)} after ${(ranMs / 1000).toFixed(1)} s`;
      if (code === EX_CONFIG) {
        say(
          `${entry.spec.name} exited with code ${EX_CONFIG}, a configuration error` +
            (entry.lastLine ? ` ("${entry.lastLine}")` : '') +
            `; not restarting it, stopping everything: fix the configuration (.env) and start again`,
          'fatal',
        );
        exitCode = EX_CONFIG;
        stop('SIGTERM');
        return;
      }
      if (entry.quickExits >= o.maxQuickExits) {
        say(
          `${entry.spec.name} exited unexpectedly (${how}), ${o.maxQuickExits} times in a row, each within ` +
            `${o.quickExitMs / 1000} s of starting; giving up and stopping everything: fix the error above and start again`,
          'fatal',
        );
        exitCode = 1;
        stop('SIGTERM');
        return;
      }
      const delayMs = Math.min(o.maxDelayMs, o.firstDelayMs * 2 ** Math.max(0, entry.quickExits - 1));
      entry.restarts += 1;
      say(
        `${entry.spec.name} exited unexpectedly (${how}); restarting in ${delayMs / 1000} s (restart ${entry.restarts})`,
        'warn',
      );
      entry.pending = setTimeout(() => start(entry), delayMs);
    });
  }

  function stop(signal = 'SIGTERM') {
    if (stopping) {
      // A second Ctrl-C: do not wait for graceful shutdowns any longer.
      for (const entry of entries) entry.child?.kill('SIGKILL');
      return;
    }
    stopping = true;
    for (const entry of entries) {
      clearTimeout(entry.pending);
      entry.pending = undefined;
      entry.child?.kill(signal);
    }
    killTimer = setTimeout(() => {
      const left = entries.filter((entry) => entry.child).map((entry) => entry.spec.name);
      say(`${left.join(', ')} still running ${o.stopGraceMs / 1000} s after ${signal}; killing`, 'warn');
      for (const entry of entries) entry.child?.kill('SIGKILL');
    }, o.stopGraceMs);
    killTimer.unref();
    settleIfAllStopped();
  }

  /** What the ready banner (scripts/ready-banner.mjs) reports about a process. */
  function status(name) {
    const entry = entries.find((candidate) => candidate.spec.name === name);
    if (!entry) return undefined;
    return {
      running: entry.child !== undefined,
      restarts: entry.restarts,
      lastLine: entry.lastLine,
      lastExit: entry.lastExit,
    };
  }

  /** Writes text to the console as it is (the banner), not to any log file. */
  function print(text) {
    o.out.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  for (const entry of entries) start(entry);
  return { stop, done, status, print, format, coloured, isStopping: () => stopping };
}

/**
 * `superviseProcesses` for a command-line entry point: Ctrl-C (SIGINT), SIGTERM or SIGHUP stops every
 * process gracefully (a second one kills them), and this process exits with the supervisor's code.
 */
export function runSupervised(specs, options = {}) {
  const supervisor = superviseProcesses(specs, options);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => supervisor.stop('SIGTERM'));
  supervisor.done.then((code) => process.exit(code));
  return supervisor;
}
