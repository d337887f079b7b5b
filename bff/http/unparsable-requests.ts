import type http from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorBody } from '../../shared/errors';

/**
 * Node's HTTP parser refuses some request heads that nginx passes on (a control character in a header
 * value, ...) before Express sees a request, and by default answers them with a bare status line: no JSON
 * body, no request id. These are the answers instead, by parser error code, as Node's own defaults.
 */
const ANSWERS: Record<string, { status: number; reason: string; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    code: 'HEADER_TOO_LARGE',
    message: 'request headers too large',
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    status: 413,
    reason: 'Payload Too Large',
    code: 'PAYLOAD_TOO_LARGE',
    message: 'chunk extensions too large',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    code: 'REQUEST_TIMEOUT',
    message: 'request timeout',
  },
};
const BAD_REQUEST = {
  status: 400,
  reason: 'Bad Request',
  code: 'BAD_REQUEST',
  message: 'malformed HTTP request',
};

/** The gateway's request id, as nginx set it in the head the parser refused (the same pattern nginx keeps). */
const REQUEST_ID_HEADER = /\r\nx-request-id:[ \t]*([A-Za-z0-9._-]{8,128})[ \t]*\r\n/i;

/** The raw HTTP answer to a request head the parser refused with `error`. */
export function unparsableRequestAnswer(error: { code?: string; rawPacket?: unknown }): string {
  const answer = (error.code === undefined ? undefined : ANSWERS[error.code]) ?? BAD_REQUEST;
  const packet = Buffer.isBuffer(error.rawPacket) ? error.rawPacket.toString('latin1') : '';
  const requestId = REQUEST_ID_HEADER.exec(packet)?.[1];
  const body: ErrorBody = { error: { code: answer.code, message: answer.message, requestId } };
  const json = JSON.stringify(body);
  return (
    `HTTP/1.1 ${answer.status} ${answer.reason}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(json)}\r\n` +
    'Connection: close\r\n\r\n' +
    json
  );
}

/** Node's server keeps the response in flight on its socket (not in the typings). */
type SocketOfServer = Socket & { _httpMessage?: { headersSent: boolean } | null };

/** Answers what the parser refuses with the JSON error body (replaces Node's default `clientError` answer). */
export function answerUnparsableRequestsAsJson(server: http.Server): void {
  server.on(
    'clientError',
    (error: NodeJS.ErrnoException & { rawPacket?: unknown }, socket: SocketOfServer) => {
      // As Node's default (lib/_http_server.js): answer unless a response on this connection has begun. A
      // kept-alive connection (nginx reuses them) has written earlier answers, so counting bytes would not do.
      const inFlight = socket._httpMessage;
      if (error.code !== 'ECONNRESET' && socket.writable && !inFlight?.headersSent) {
        socket.end(unparsableRequestAnswer(error));
      }
      socket.destroySoon();
    },
  );
}
