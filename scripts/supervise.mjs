// The process supervisor behind `npm start` (scripts/run-stack.mjs): runs long-lived processes side by side
// with prefixed output, restarts one that exits without being asked to, and stops them all on Ctrl-C.
//
// A process that exits unexpectedly (a crash, or the event-loop watchdog killing a stuck one) is restarted
// after a delay, and the supervisor says so in one line. The delay doubles with each exit that came soon
// after a start (a process that crashes while starting would otherwise loop hot); a run that lasted longer
// resets it. After `maxQuickExits` quick exits in a row the supervisor gives up: it says why and stops
// everything, because the stack without that process is not a working shop and the error will not fix itself.
import { spawn } from 'node:child_process';

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
});

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
  const o = { ...SUPERVISOR_DEFAULTS, env: process.env, out: process.stdout, ...options };
  const colour = (name, text) =>
    o.out.isTTY && COLOURS[name] ? `\u001b[${COLOURS[name]}m${text}\u001b[0m` : text;
  const say = (line) => o.out.write(`${colour('yellow', '[supervisor]')} ${line}\n`);
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
  }));

  function pipeLines(stream, prefix) {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) o.out.write(`${prefix} ${line}\n`);
    });
    stream.on('end', () => {
      if (partial) o.out.write(`${prefix} ${partial}\n`);
      partial = '';
    });
  }

  function settleIfAllStopped() {
    if (!stopping || entries.some((entry) => entry.child || entry.pending)) return;
    clearTimeout(killTimer);
    resolveDone(exitCode);
  }

  function start(entry) {
    entry.pending = undefined;
    const [file, ...args] = entry.spec.command;
    const child = spawn(file, args, { env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
    entry.child = child;
    entry.startedAt = Date.now();
    const prefix = colour(entry.spec.colour, `[${entry.spec.name}]`);
    pipeLines(child.stdout, prefix);
    pipeLines(child.stderr, prefix);
    child.on('error', (error) => say(`${entry.spec.name} could not be started: ${error.message}`));
    child.on('close', (code, signal) => {
      entry.child = undefined;
      if (stopping) return settleIfAllStopped();
      const ranMs = Date.now() - entry.startedAt;
      entry.quickExits = ranMs < o.quickExitMs ? entry.quickExits + 1 : 0;
      const how = `${describeExit(code, signal)} after ${(ranMs / 1000).toFixed(1)} s`;
      if (entry.quickExits >= o.maxQuickExits) {
        say(
          `${entry.spec.name} exited unexpectedly (${how}), ${o.maxQuickExits} times in a row, each within ` +
            `${o.quickExitMs / 1000} s of starting; giving up and stopping everything: fix the error above and start again`,
        );
        exitCode = 1;
        stop('SIGTERM');
        return;
      }
      const delayMs = Math.min(o.maxDelayMs, o.firstDelayMs * 2 ** Math.max(0, entry.quickExits - 1));
      entry.restarts += 1;
      say(
        `${entry.spec.name} exited unexpectedly (${how}); restarting in ${delayMs / 1000} s (restart ${entry.restarts})`,
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
      say(`${left.join(', ')} still running ${o.stopGraceMs / 1000} s after ${signal}; killing`);
      for (const entry of entries) entry.child?.kill('SIGKILL');
    }, o.stopGraceMs);
    killTimer.unref();
    settleIfAllStopped();
  }

  for (const entry of entries) start(entry);
  return { stop, done };
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
