import type { Logger } from '../../shared/logger';

/**
 * Runs a cache operation whose failure must not fail the request: the catalogue keeps answering from
 * MySQL while Redis is down, a little slower. The failure is logged, the result is `undefined`.
 */
export async function bestEffort<T>(
  logger: Logger,
  what: string,
  operation: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await operation();
  } catch (error) {
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, `cache ${what} failed`);
    return undefined;
  }
}
