import rTracer from 'cls-rtracer';
import { randomUUID } from 'node:crypto';

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

/** Express middleware that takes the gateway's X-Request-Id (or makes one) and echoes it on the response. */
export const requestIdMiddleware = rTracer.expressMiddleware({
  useHeader: true,
  headerName: 'X-Request-Id',
  echoHeader: true,
  requestIdFactory: () => randomUUID(),
});
