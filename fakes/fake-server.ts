/**
 * What the three fakes share: listening on a port (0 allowed) with a close() that never hangs, a seedable
 * PRNG for the fault knobs, delays that are released on shutdown, a log of every call with its request id
 * (kept for `/__calls` and reported to `onCallEnd`), the `/__inbox` size, and JSON everywhere (unknown
 * routes and unparsable bodies included).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';

export interface StartedFake<State> {
  /** Base URL, e.g. `http://127.0.0.1:4010` (no trailing slash). */
  url: string;
  /** The real port, also when 0 was asked for. */
  port: number;
  /** Stops listening, releases held requests and destroys every open socket. */
  close(): Promise<void>;
  state: State;
}

export interface ListenOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
}

/** Lets close() release what a fake's handlers are waiting on (latency, held requests). */
export interface FakeLifecycle {
  /** Aborted by close(): ends latency waits and held ("timeout") requests. */
  readonly shutdownSignal: AbortSignal;
  dispose(): void;
}

export function createLifecycle(): FakeLifecycle {
  const controller = new AbortController();
  return { shutdownSignal: controller.signal, dispose: () => controller.abort() };
}

export async function listenFake<State>(
  app: express.Express,
  dispose: () => void,
  state: State,
  { port = 0, host = '127.0.0.1' }: ListenOptions,
): Promise<StartedFake<State>> {
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  // A wildcard bind is reachable on loopback; '0.0.0.0' is not an address a client (or an issuer) should use.
  const loopback =
    address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
  const urlHost = loopback.includes(':') ? `[${loopback}]` : loopback;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    state,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        dispose();
        // Held and keep-alive sockets would otherwise keep server.close() waiting forever.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** mulberry32: tiny, fast and good enough to decide faults; the same seed gives the same sequence. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** True with probability `rate`; a rate of 0 never draws, so it does not shift the sequence. */
export function chance(random: () => number, rate: number): boolean {
  return rate > 0 && random() < rate;
}

/** Resolves true after `ms`, or false as soon as `signal` aborts (the fake is shutting down). */
export function delay(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Never answers: waits until the client gives up (socket closes) or the fake shuts down. */
export function holdUntilClientLeaves(req: express.Request, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      req.socket.off('close', done);
      req.socket.destroy();
      resolve();
    };
    if (signal.aborted || req.socket.destroyed) return done();
    signal.addEventListener('abort', done, { once: true });
    req.socket.once('close', done);
  });
}

/** Waits out a latency knob; when the fake shuts down meanwhile, drops the connection unanswered (false). */
export async function waitLatency(req: express.Request, ms: number, signal: AbortSignal): Promise<boolean> {
  if (await delay(ms, signal)) return true;
  req.socket.destroy();
  return false;
}

/** The throttle knobs of the payment gateway and the SMS provider. */
export interface ThrottleKnobs {
  /** The next this many calls answer 429 with `Retry-After`, doing nothing. */
  throttleNextCalls: number;
  /** The `Retry-After` seconds of those 429 answers. */
  throttleRetryAfterSeconds: number;
}

/** While `throttleNextCalls` lasts, counts it down and answers 429 with `Retry-After` and `body`; true if it did. */
export function answerThrottled(res: express.Response, knobs: ThrottleKnobs, body: object): boolean {
  if (knobs.throttleNextCalls <= 0) return false;
  knobs.throttleNextCalls -= 1;
  res.status(429).set('Retry-After', String(knobs.throttleRetryAfterSeconds)).json(body);
  return true;
}

/** With probability `rate`, answers 503 or 500 (even odds) with the provider's body for each; true if it did. */
export function answerServerError(
  res: express.Response,
  random: () => number,
  rate: number,
  bodies: { unavailable: object; internal: object },
): boolean {
  if (!chance(random, rate)) return false;
  const unavailable = random() < 0.5;
  res.status(unavailable ? 503 : 500).json(unavailable ? bodies.unavailable : bodies.internal);
  return true;
}

export function requestIdOf(req: express.Request): string | null {
  return req.get('x-request-id') ?? null;
}

export interface CallRecord {
  method: string;
  path: string;
  requestId: string | null;
  /** HTTP status sent, or null when the connection ended without an answer (timeout, lost response). */
  status: number | null;
  at: string;
}

/** Enough for any test or benchmark run, small enough that a long `npm start` session cannot grow without bound. */
const MAX_CALLS = 10_000;

/** For each fake's options: what to do with a call once it has ended, answered or not. */
export interface CallLogOptions {
  /** Called once per recorded call when its response closes (`fakes/main.ts` logs one JSON line). */
  onCallEnd?: (call: Readonly<CallRecord>) => void;
}

/** Records each call except the fake's own `/__*` control routes, and reports it to `onCallEnd` when it ends. */
export function recordCalls(calls: CallRecord[], onCallEnd?: CallLogOptions['onCallEnd']): RequestHandler {
  return (req, res, next) => {
    if (req.path.startsWith('/__')) return next();
    const call: CallRecord = {
      method: req.method,
      path: req.path,
      requestId: requestIdOf(req),
      status: null,
      at: new Date().toISOString(),
    };
    calls.push(call);
    if (calls.length > MAX_CALLS) calls.splice(0, calls.length - MAX_CALLS);
    res.once('finish', () => {
      call.status = res.statusCode;
    });
    // 'close' also follows 'finish'; without it (held or destroyed connection) the status stays null.
    if (onCallEnd !== undefined) res.once('close', () => onCallEnd(call));
    next();
  };
}

/** How many records a fake's `GET /__inbox` shows. */
export const INBOX_SIZE = 20;

/** The last `INBOX_SIZE` records, newest first: what a developer looking for "the code I was just sent" wants. */
export function newestFirst<T>(records: readonly T[]): T[] {
  return records.slice(-INBOX_SIZE).reverse();
}

export function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll('-', '')}`;
}

/** An opaque code or token: 32 random bytes, base64url. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

/** Unix time in whole seconds, as OAuth lifetimes count. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Parses with a zod schema; on failure answers 400 with `errorBody(message)` and returns undefined. */
export function parseOr400<T extends z.ZodType>(
  schema: T,
  input: unknown,
  res: express.Response,
  errorBody: (message: string) => object,
): z.infer<T> | undefined {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const message = result.error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
  res.status(400).json(errorBody(message));
  return undefined;
}

export function notFoundJson(errorBody: (message: string) => object): RequestHandler {
  return (req, res) => {
    res.status(404).json(errorBody(`no route for ${req.method} ${req.path}`));
  };
}

/** Unparsable JSON or form bodies become 400; anything else is a bug in the fake and becomes 500. */
export function errorJson(errorBody: (message: string) => object): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    const status =
      typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number'
        ? err.status
        : 500;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (status >= 400 && status < 500) {
      res.status(status).json(errorBody(err instanceof Error ? err.message : 'bad request'));
      return;
    }
    res.status(500).json(errorBody('internal error in the fake'));
  };
}
