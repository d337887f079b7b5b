import { ServiceUnavailableError } from '../../shared/errors';

/** Runs a queue write; a Redis outage becomes a 503 the client can retry, never a hung request or a 500. */
export async function enqueue<T>(add: () => Promise<T>): Promise<T> {
  try {
    return await add();
  } catch (error) {
    throw new ServiceUnavailableError('The job queue is unavailable; try again shortly', {
      cause: error,
      headers: { 'Retry-After': '5' },
    });
  }
}
