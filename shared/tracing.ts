import rTracer from 'cls-rtracer';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The request id of the current HTTP request or job, if any (AsyncLocalStorage via cls-rtracer). */
export function currentRequestId(): string | undefined {
  const id = rTracer.id();
  return typeof id === 'string' ? id : undefined;
}

/** Runs `fn` with `requestId` as the current trace id, so every log line inside it carries that id. */
export function runWithRequestId<T>(requestId: string | undefined, fn: () => T): T {
  return rTracer.runWithId(fn, requestId ?? randomUUID()) as T;
}

/** A request id as the gateway forwards it: short, and free of characters that could forge log lines. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * Express middleware binding the request's id (the gateway's well-formed X-Request-Id, or a new one) to
 * everything that runs after it, and echoing it on the response. Mount it first, and again after the body
 * parser: stream events (the end of a body) fire outside the request's async context, so the chain is
 * re-entered under the same id. Cheaper than wrapping every request emitter.
 */
export const requestIdMiddleware = (
  req: IncomingMessage & { requestId?: string },
  res: ServerResponse,
  next: () => void,
): void => {
  let id = req.requestId;
  if (id === undefined) {
    const header = req.headers['x-request-id'];
    id = typeof header === 'string' && REQUEST_ID_PATTERN.test(header) ? header : randomUUID();
    req.requestId = id;
    res.setHeader('X-Request-Id', id);
  }
  rTracer.runWithId(next, id);
};
