import {
  Queue,
  Worker,
  type ConnectionOptions,
  type Job,
  type JobsOptions,
  type MinimalJob,
  type WorkerOptions,
} from 'bullmq';
import { isClusterConnection, queuePrefix } from '../shared/redis-keys';

/** Every job payload is JSON-safe and carries the trace id of the request that caused it. */
export interface TracedPayload {
  requestId?: string;
}

/** Job name → payload type for one queue. */
export type JobMap = Record<string, TracedPayload>;

/** A job of queue `J` whose name and payload agree. */
export type TypedJob<J extends JobMap> = { [N in keyof J & string]: Job<J[N], unknown, N> }[keyof J & string];

/** One handler per job name, so a new job name cannot be forgotten by the worker. */
export type JobHandlers<J extends JobMap> = {
  [N in keyof J & string]: (job: Job<J[N], unknown, N>) => Promise<unknown>;
};

export interface QueueDefinition<J extends JobMap> {
  readonly name: string;
  readonly defaultJobOptions: JobsOptions;
  /**
   * A producer whose `add` only accepts this queue's job names with their payloads. `prefix` is the shared
   * base (`<prefix>:bull`); on a cluster connection the queue gets its own hash-tagged prefix under it
   * (shared/redis-keys queuePrefix), here and in createWorker alike.
   */
  createProducer(connection: ConnectionOptions, prefix: string): TypedQueue<J>;
  /** A worker that dispatches each job to the handler of its name. */
  createWorker(
    connection: ConnectionOptions,
    prefix: string,
    handlers: JobHandlers<J>,
    options?: Omit<WorkerOptions, 'connection' | 'prefix'>,
  ): Worker;
}

export interface TypedQueue<J extends JobMap> {
  readonly queue: Queue;
  add<N extends keyof J & string>(name: N, data: J[N], options?: JobsOptions): Promise<Job<J[N], unknown, N>>;
  close(): Promise<void>;
}

/**
 * Retention keeps the last day (or 1,000) of completed jobs and a week (or 10,000) of failures, so the
 * dashboard shows what happened without Redis growing forever.
 */
export const DEFAULT_RETENTION: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> = {
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10000 },
};

const LIVE_JOB_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/**
 * Adds the job unless one with its id is still waiting, delayed or running. One that finished — completed,
 * or failed for good after its attempts — is removed first: a duplicate id is ignored while its job exists,
 * so an exhausted job would otherwise block every later re-drive of the same step. With `promote`, a job
 * waiting out a retry delay runs now instead (a customer's cancel should not wait minutes for a charge's
 * backoff). True when it added.
 */
export async function redrive<J extends JobMap, N extends keyof J & string>(
  producer: TypedQueue<J>,
  name: N,
  data: J[N],
  jobId: string,
  options: { promote?: boolean } = {},
): Promise<boolean> {
  const state = await producer.queue.getJobState(jobId);
  if (state === 'delayed' && options.promote) {
    // It may have left the delayed set meanwhile: then it is running or done, which is as good.
    await (await producer.queue.getJob(jobId))?.promote().catch(() => undefined);
    return false;
  }
  if (LIVE_JOB_STATES.has(state)) return false;
  if (state !== 'unknown') await producer.queue.remove(jobId);
  await producer.add(name, data, { jobId });
  return true;
}

/** The longest a provider's Retry-After may hold a job back: a bad hint cannot park a job for hours. */
export const MAX_HINTED_RETRY_DELAY_MS = 5 * 60 * 1000;

/**
 * A backoff type for jobs that call external providers: exponential from `delay`, but never sooner than the
 * provider asked. An error thrown by a handler that carries `retryAfterMs` (the provider's `Retry-After` on a
 * 429 or 503) sets the floor, capped at {@link MAX_HINTED_RETRY_DELAY_MS}, so a throttled job waits as told
 * instead of spending its attempts on answers that cannot succeed yet.
 */
export const HINTED_EXPONENTIAL_BACKOFF = 'hinted-exponential';

/** The delay before retry `attemptsMade` + 1 under {@link HINTED_EXPONENTIAL_BACKOFF}. */
export function hintedExponentialDelay(attemptsMade: number, baseDelayMs: number, error: unknown): number {
  const exponential = Math.round(2 ** Math.max(0, attemptsMade - 1) * baseDelayMs);
  const hint = (error as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  if (typeof hint !== 'number' || !Number.isFinite(hint) || hint <= 0) return exponential;
  return Math.max(exponential, Math.min(hint, MAX_HINTED_RETRY_DELAY_MS));
}

function backoffStrategy(attemptsMade: number, type?: string, error?: Error, job?: MinimalJob): number {
  if (type !== HINTED_EXPONENTIAL_BACKOFF) throw new Error(`unknown backoff strategy ${String(type)}`);
  const backoff = job?.opts.backoff;
  const baseDelayMs = typeof backoff === 'object' ? (backoff.delay ?? 1000) : 1000;
  return hintedExponentialDelay(attemptsMade, baseDelayMs, error);
}

export function defineQueue<J extends JobMap>(
  name: string,
  defaultJobOptions: JobsOptions,
): QueueDefinition<J> {
  const jobOptions: JobsOptions = { ...DEFAULT_RETENTION, ...defaultJobOptions };
  return {
    name,
    defaultJobOptions: jobOptions,
    createProducer(connection, prefix) {
      const queue = new Queue(name, {
        connection,
        prefix: queuePrefix(prefix, name, isClusterConnection(connection)),
        defaultJobOptions: jobOptions,
      });
      return {
        queue,
        add: (jobName, data, options) =>
          queue.add(jobName as never, data as never, options) as unknown as Promise<
            Job<J[typeof jobName], unknown, typeof jobName>
          >,
        close: () => queue.close(),
      };
    },
    createWorker(connection, prefix, handlers, options = {}) {
      return new Worker(
        name,
        async (job: Job) => {
          const handler = (
            handlers as unknown as Record<string, ((job: Job) => Promise<unknown>) | undefined>
          )[job.name];
          if (!handler) throw new Error(`queue ${name} has no handler for job "${job.name}"`);
          return handler(job);
        },
        {
          connection,
          prefix: queuePrefix(prefix, name, isClusterConnection(connection)),
          ...options,
          settings: { backoffStrategy, ...options.settings },
        },
      );
    },
  };
}
