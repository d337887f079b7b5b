import { Worker } from 'node:worker_threads';
import type { Logger } from './logger';

/** A running watchdog; `stop` ends its thread and heartbeat (graceful shutdown). */
export interface EventLoopWatchdog {
  stop(): Promise<void>;
}

/** The `msg` of the fatal line a blocked process writes as it goes; tests and alerts match on it. */
export const EVENT_LOOP_BLOCKED_MESSAGE = 'event loop blocked; killing the process so that it is restarted';

/** How often the main thread beats and the watchdog looks: a tenth of the limit, between 10 ms and 1 s. */
export function watchdogPeriodMs(limitMs: number): number {
  return Math.min(1000, Math.max(10, Math.floor(limitMs / 10)));
}

/**
 * Runs in the watchdog's own thread. A blocked main thread can neither time itself nor run a timer, so the
 * main thread only bumps a shared counter on an interval and this thread, with an event loop of its own,
 * watches the counter. Silence longer than the limit plus one beat means the main loop has been blocked
 * for at least the limit (a beat can be due up to one period after the last one seen).
 *
 * On that, it writes one pino-shaped fatal line with a synchronous write (the main thread's logger cannot
 * run) and sends the process SIGKILL: `process.exit()` here would only end this thread, and SIGTERM would
 * go to the main thread's shutdown handler, which cannot run either.
 */
const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const { heartbeat, limitMs, periodMs, bindings, message } = workerData;
let seenBeat = Atomics.load(heartbeat, 0);
let seenAt = performance.now();
setInterval(() => {
  const beat = Atomics.load(heartbeat, 0);
  const now = performance.now();
  if (beat !== seenBeat) {
    seenBeat = beat;
    seenAt = now;
    return;
  }
  const silentMs = now - seenAt;
  if (silentMs < limitMs + periodMs) return;
  const line = JSON.stringify({
    level: 60,
    time: new Date().toISOString(),
    ...bindings,
    pid: process.pid,
    blockedMs: Math.round(silentMs - periodMs),
    limitMs,
    msg: message,
  }) + '\\n';
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      writeSync(1, line);
      break;
    } catch (error) {
      if (error.code !== 'EAGAIN') break; // a full non-blocking pipe: try again; anything else: kill anyway
    }
  }
  process.kill(process.pid, 'SIGKILL');
}, periodMs);
`;

/**
 * Starts an event-loop watchdog for this process: when the main thread's event loop stays blocked for
 * `limitMs` (a synchronous loop, a runaway regular expression, ...), the process writes one fatal JSON line
 * to stdout (`msg` {@link EVENT_LOOP_BLOCKED_MESSAGE}, with `blockedMs` and `limitMs`) and is killed with
 * SIGKILL, for its supervisor (`npm start`'s runner, compose's restart policy) to start it again. It is
 * killed rather than asked to shut down because a blocked loop cannot run a shutdown handler; requests it
 * had in flight are lost either way, and BullMQ's stall check hands its jobs to another worker.
 *
 * `limitMs` `off` starts nothing. The watchdog never keeps the process alive (thread and heartbeat are
 * unref'd); call `stop` once the process has shut down gracefully.
 */
export function startEventLoopWatchdog(limitMs: number | 'off', logger: Logger): EventLoopWatchdog {
  if (limitMs === 'off') return { stop: async () => undefined };
  const periodMs = watchdogPeriodMs(limitMs);
  const heartbeat = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const worker = new Worker(WATCHDOG_SOURCE, {
    eval: true,
    workerData: {
      heartbeat,
      limitMs,
      periodMs,
      bindings: logger.bindings(),
      message: EVENT_LOOP_BLOCKED_MESSAGE,
    },
    // Its own small heap: it only reads a counter.
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    stdout: false,
    stderr: false,
  });
  worker.unref();
  worker.on('error', (error) =>
    logger.error({ err: error }, 'event loop watchdog failed; running without it'),
  );
  const beat = setInterval(() => Atomics.add(heartbeat, 0, 1), periodMs);
  beat.unref();
  logger.debug({ limitMs, periodMs }, 'event loop watchdog started');
  return {
    async stop() {
      clearInterval(beat);
      await worker.terminate();
    },
  };
}
