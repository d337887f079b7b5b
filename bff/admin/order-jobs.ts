import type { DomainName } from '../../queues';
import { ORDER_JOB_KINDS, orderJobId, type OrderJobKind } from '../../queues/order-job-ids';
import type { QueueRegistry } from './queue-registry';

export interface OrderJobView {
  queue: string;
  id: string;
  name: string;
  state: string;
  attemptsMade: number;
  maxAttempts: number;
  failedReason: string | null;
  createdAt: string | null;
  processedAt: string | null;
  finishedAt: string | null;
  /** Where the job opens in the queue dashboard. */
  dashboard: string;
}

const iso = (ms: number | undefined): string | null => (ms ? new Date(ms).toISOString() : null);

/**
 * The order's jobs as BullMQ still holds them (retention keeps completed jobs a day and failed ones a week),
 * oldest first. Ids are known from the order id, so each is one getJob, no scan of any queue.
 */
export async function orderJobHistory(queues: QueueRegistry, orderId: number): Promise<OrderJobView[]> {
  const lookups = (Object.entries(ORDER_JOB_KINDS) as [DomainName, readonly OrderJobKind[]][]).flatMap(
    ([domain, kinds]) => kinds.map((kind) => ({ domain, id: orderJobId(kind, orderId) })),
  );
  const found = await Promise.all(
    lookups.map(async ({ domain, id }) => {
      const queue = queues.get(domain);
      // The state first: a job that finishes between the two reads then shows its final data, never a
      // "completed" state beside the attempt counts of its active run.
      const state = await queue.getJobState(id);
      const job = state === 'unknown' ? undefined : await queue.getJob(id);
      if (!job) return undefined;
      const view: OrderJobView = {
        queue: queue.name,
        id,
        name: job.name,
        state,
        attemptsMade: job.attemptsMade,
        maxAttempts: job.opts.attempts ?? 1,
        failedReason: job.failedReason || null,
        createdAt: iso(job.timestamp),
        processedAt: iso(job.processedOn),
        finishedAt: iso(job.finishedOn),
        dashboard: `/admin/queues/queue/${encodeURIComponent(queue.name)}/${encodeURIComponent(id)}`,
      };
      return view;
    }),
  );
  return found
    .filter((job): job is OrderJobView => job !== undefined)
    .sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
}
