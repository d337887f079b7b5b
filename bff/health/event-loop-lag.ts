import { performance } from 'node:perf_hooks';

/** How often the lag is sampled, and how long a bad sample keeps counting. */
const SAMPLE_MS = 100;
const WINDOW_MS = 3000;

/**
 * How late this process's event loop runs: a repeating timer measures by how much each tick came later
 * than asked (timer drift), and the lag is the worst drift of the last few seconds, or the current one if
 * a tick is overdue right now. A process that serves requests seconds late answers readiness probes just
 * as late, or between two stalls; the recent worst is what a load balancer needs to know.
 *
 * Timer drift rather than `perf_hooks.monitorEventLoopDelay`: its histogram only records a stall once its
 * own timer fires after it, so a probe answered right after a stall could still see a clean histogram.
 */
export class EventLoopLagMonitor {
  private lastTickAt: number;
  private samples: { at: number; lagMs: number }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly sampleMs = SAMPLE_MS,
    private readonly windowMs = WINDOW_MS,
  ) {
    this.lastTickAt = now();
  }

  /** Starts sampling; the timer never keeps the process alive. */
  start(): this {
    this.lastTickAt = this.now();
    this.timer = setInterval(() => this.tick(), this.sampleMs);
    this.timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One timer tick: records how late it came (called by the interval; tests call it with a fake clock). */
  tick(): void {
    const at = this.now();
    this.samples.push({ at, lagMs: Math.max(0, at - this.lastTickAt - this.sampleMs) });
    this.lastTickAt = at;
    this.samples = this.samples.filter((sample) => sample.at > at - this.windowMs);
  }

  /** The event loop's lag now, in whole milliseconds: the worst of the recent ticks and of an overdue one. */
  lagMs(): number {
    const now = this.now();
    const overdue = Math.max(0, now - this.lastTickAt - this.sampleMs);
    const recent = this.samples.filter((sample) => sample.at > now - this.windowMs);
    return Math.round(Math.max(overdue, ...recent.map((sample) => sample.lagMs)));
  }
}
