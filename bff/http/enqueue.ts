import { unavailableOnFailure } from '../../shared/errors';
import { withTimeout } from '../../shared/shutdown';

/** BullMQ waits for its connection before adding; a request may not wait longer than this for the queue. */
const ENQUEUE_TIMEOUT_MS = 2000;

/**
 * Runs a queue write, bounded in time: a Redis outage becomes a 503 the client can retry, never a hung
 * request or a 500.
 */
export const enqueue = <T>(add: () => Promise<T>): Promise<T> =>
  unavailableOnFailure('The job queue', 5, () =>
    withTimeout(add(), ENQUEUE_TIMEOUT_MS, 'enqueueing the job'),
  );
