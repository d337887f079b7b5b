/**
 * HTTP written byte for byte on a TCP socket, for requests an HTTP client refuses to send (a bad request
 * line, control characters in a header, raw non-ASCII bytes, odd Transfer-Encodings).
 */
import { connect } from 'node:net';

/** How long a raw exchange may take before the test gives up on it (nginx answers in milliseconds). */
const EXCHANGE_TIMEOUT_MS = 5000;

export interface RawReply {
  statusLine: string;
  status: number;
  /** Lower-cased names; the last one wins. */
  headers: Record<string, string>;
  /** The body as sent, with a chunked transfer coding undone. */
  body: string;
}

function dechunk(text: string): string {
  let body = '';
  let rest = text;
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    const size = Number.parseInt(rest.slice(0, lineEnd), 16);
    if (lineEnd < 0 || !Number.isFinite(size) || size === 0) return body;
    body += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}

/**
 * Writes `bytes` to 127.0.0.1:`port` and reads until the server closes the connection (send
 * `Connection: close`, as {@link rawRequest} does).
 */
export function exchange(port: number, bytes: string | Buffer): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${EXCHANGE_TIMEOUT_MS} ms`));
    }, EXCHANGE_TIMEOUT_MS);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const headEnd = text.indexOf('\r\n\r\n');
      if (headEnd < 0) {
        reject(new Error(`not an HTTP response: ${JSON.stringify(text.slice(0, 200))}`));
        return;
      }
      const [statusLine = '', ...headerLines] = text.slice(0, headEnd).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const body = text.slice(headEnd + 4);
      resolve({
        statusLine,
        status: Number(statusLine.split(' ')[1]),
        headers,
        body: /chunked/i.test(headers['transfer-encoding'] ?? '') ? dechunk(body) : body,
      });
    });
    // write, not end: nginx takes a half-closed connection for a client that went away (499, no answer)
    socket.write(bytes);
  });
}

/** A request line plus headers; `Connection: close` so the exchange ends when the server has answered. */
export function rawRequest(requestLine: string, headers: string[] = [], body = ''): string {
  return [requestLine, 'Host: shop.test', ...headers, 'Connection: close', '', body].join('\r\n');
}
