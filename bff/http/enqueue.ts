import { unavailableOnFailure } from '../../shared/errors';

/** Runs a queue write; a Redis outage becomes a 503 the client can retry, never a hung request or a 500. */
export const enqueue = <T>(add: () => Promise<T>): Promise<T> =>
  unavailableOnFailure('The job queue', 5, add);
