import type { Server, ServerResponse } from 'node:http';
import type { Logger } from './logger';

/**
 * Runs `close` once on SIGTERM or SIGINT and exits 0 when it finishes, or 1 when it has not finished
 * within `timeoutMs` (so a stuck connection can never keep a process from stopping).
 */
export function onShutdownSignal(logger: Logger, timeoutMs: number, close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, timeoutMs }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    close().then(
      () => {
        logger.info('shutdown complete');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** Resolves with `promise`, or rejects after `ms`; the timer never keeps the process alive. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** How an HTTP drain ended: every connection closed by itself, or the deadline forced the rest shut. */
export type DrainOutcome = 'drained' | 'forced';

export interface DrainableHttpServer {
  /**
   * Stops accepting connections, lets in-flight requests finish, and closes each connection once its
   * current response is written; past `timeoutMs` the remaining connections are destroyed.
   */
  drain(timeoutMs: number): Promise<DrainOutcome>;
}

/**
 * Makes `server` drainable; call it right after creating the server, before any request arrives.
 *
 * `server.close()` alone is not enough behind keep-alive: it stops accepting connections, but Node keeps
 * serving further requests on connections that were already open and answers them `Connection:
 * keep-alive`, so a busy client (nginx's upstream pool, a load balancer) can hold the server open until
 * the deadline and then lose the requests that the forced close cuts off. Once draining, every response
 * that has not started says `Connection: close`, and connections are closed as soon as they go idle.
 */
export function drainableHttpServer(server: Server): DrainableHttpServer {
  const open = new Set<ServerResponse>();
  let draining = false;
  const closeIdleSoon = () => setImmediate(() => server.closeIdleConnections());
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (draining) res.setHeader('Connection', 'close');
    open.add(res);
    res.once('close', () => {
      open.delete(res);
      if (draining) closeIdleSoon();
    });
  });
  return {
    async drain(timeoutMs) {
      draining = true;
      for (const res of open) if (!res.headersSent) res.setHeader('Connection', 'close');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      try {
        await withTimeout(closed, timeoutMs, 'draining HTTP requests');
        return 'drained';
      } catch {
        server.closeAllConnections();
        return 'forced';
      }
    },
  };
}
