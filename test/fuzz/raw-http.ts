/**
 * Sends a request exactly as given — target, header pairs and body bytes untouched — with a deadline.
 * fetch() would resolve `..`, re-encode the path and refuse repeated headers, which are the very inputs
 * the fuzz test means to send. Only 127.0.0.1 is ever a destination.
 */
import http from 'node:http';

export interface RawRequest {
  method: string;
  target: string;
  headers: [string, string][];
  body?: Buffer;
}

export type RawAnswer =
  | {
      outcome: 'answered';
      status: number;
      headers: http.IncomingHttpHeaders;
      /** The body, or the first bytes of a stream (an event stream is not read to its end). */
      body: Buffer;
      ms: number;
    }
  | { outcome: 'timed out'; ms: number }
  | { outcome: 'connection error'; error: string; ms: number };

const STREAM_TYPES = /^text\/event-stream/i;
const MAX_BODY_BYTES = 1_000_000;

/** Sends `request` to 127.0.0.1:`port`; the whole exchange (headers and body) must end within `timeoutMs`. */
export function sendRaw(port: number, request: RawRequest, timeoutMs: number): Promise<RawAnswer> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: RawAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outgoing.destroy();
      resolve(answer);
    };
    // With headers given as pairs, node adds no Host header of its own.
    const flatHeaders = [
      'host',
      `127.0.0.1:${port}`,
      ...request.headers.flatMap(([name, value]) => [name, value]),
    ];
    if (request.body !== undefined) flatHeaders.push('content-length', String(request.body.length));
    const outgoing = http.request({
      host: '127.0.0.1',
      port,
      method: request.method,
      path: request.target,
      headers: flatHeaders,
      agent: false,
    });
    const timer = setTimeout(() => finish({ outcome: 'timed out', ms: elapsed() }), timeoutMs);
    outgoing.on('error', (error) =>
      finish({ outcome: 'connection error', error: error.message, ms: elapsed() }),
    );
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () =>
        finish({
          outcome: 'answered',
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
          ms: elapsed(),
        });
      // An open event stream is a valid answer: its headers are the answer, its events are not waited for.
      if (STREAM_TYPES.test(response.headers['content-type'] ?? '') && (response.statusCode ?? 0) < 300) {
        done();
        return;
      }
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      });
      response.on('end', done);
      response.on('error', (error) =>
        finish({ outcome: 'connection error', error: error.message, ms: elapsed() }),
      );
    });
    outgoing.end(request.body);
  });
}
