import type { Queue } from 'bullmq';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The job states a queue gauge reports, as BullMQ's getJobCounts names them. BullMQ 6 has no "paused" state:
 * the jobs of a paused queue are counted as waiting.
 */
export const QUEUE_GAUGE_STATES = [
  'waiting',
  'prioritized',
  'active',
  'delayed',
  'failed',
  'completed',
] as const;

/**
 * A registry of this process's (or this app's) own, with the default Node.js process metrics. Never the
 * global registry: tests run several apps in one process, and each must report only its own numbers.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * `voltmall_queue_jobs{queue,state}`: job counts per queue, read from Redis when scraped. Counts are cached for
 * `cacheMs`, so frequent scrapes (or several scrapers) cost one round of getJobCounts per period. When Redis
 * does not answer, the gauge reports no samples (and `voltmall_queue_metrics_errors_total` counts it) rather
 * than failing the whole scrape: the process metrics are most needed exactly then.
 */
export function registerQueueGauges(
  registry: Registry,
  queues: readonly Queue[],
  options: { cacheMs: number; onError?: (error: unknown) => void },
): void {
  let cached: { at: number; counts: { queue: string; counts: Record<string, number> }[] } | undefined;
  const errors = new Counter({
    name: 'voltmall_queue_metrics_errors_total',
    help: 'Scrapes whose queue job counts could not be read from Redis',
    registers: [registry],
  });
  new Gauge({
    name: 'voltmall_queue_jobs',
    help: 'Jobs per queue and state (BullMQ getJobCounts)',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        if (!cached || Date.now() - cached.at >= options.cacheMs) {
          const counts = await Promise.all(
            queues.map(async (queue) => ({
              queue: queue.name,
              counts: await queue.getJobCounts(...QUEUE_GAUGE_STATES),
            })),
          );
          cached = { at: Date.now(), counts };
        }
        for (const { queue, counts } of cached.counts)
          for (const state of QUEUE_GAUGE_STATES) this.set({ queue, state }, counts[state] ?? 0);
      } catch (error) {
        cached = undefined;
        errors.inc();
        options.onError?.(error);
      }
    },
  });
}
