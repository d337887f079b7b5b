import { unparsableRequestAnswer } from './unparsable-requests';

/** Splits a raw answer into its status line, headers and parsed JSON body. */
function parse(raw: string) {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  const [statusLine, ...headers] = head.split('\r\n');
  return { statusLine, headers, body: JSON.parse(body) as unknown, bodyBytes: Buffer.byteLength(body) };
}

const packet = (headers: string) =>
  Buffer.from(`GET /api/products HTTP/1.1\r\nHost: bff\r\n${headers}\r\n\r\n`, 'latin1');

describe('unparsableRequestAnswer', () => {
  it("when the parser refuses a header value, then 400 BAD_REQUEST JSON with the gateway's request id", () => {
    const answer = parse(
      unparsableRequestAnswer({
        code: 'HPE_INVALID_HEADER_TOKEN',
        rawPacket: packet('X-Request-Id: 4f1c0a2b9d8e7f60\r\nIf-Match: "\x7f"'),
      }),
    );

    expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(answer.headers).toEqual([
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${answer.bodyBytes}`,
      'Connection: close',
    ]);
    expect(answer.body).toEqual({
      error: { code: 'BAD_REQUEST', message: 'malformed HTTP request', requestId: '4f1c0a2b9d8e7f60' },
    });
  });

  it.each([
    ['HPE_HEADER_OVERFLOW', 'HTTP/1.1 431 Request Header Fields Too Large', 'HEADER_TOO_LARGE'],
    ['HPE_CHUNK_EXTENSIONS_OVERFLOW', 'HTTP/1.1 413 Payload Too Large', 'PAYLOAD_TOO_LARGE'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 'HTTP/1.1 408 Request Timeout', 'REQUEST_TIMEOUT'],
    ['HPE_INVALID_METHOD', 'HTTP/1.1 400 Bad Request', 'BAD_REQUEST'],
  ])('when the parser error is %s, then %s with code %s', (code, statusLine, errorCode) => {
    const answer = parse(unparsableRequestAnswer({ code }));

    expect(answer.statusLine).toBe(statusLine);
    expect(answer.body).toEqual({ error: { code: errorCode, message: expect.any(String) } });
  });

  it('when the request id in the head is not one the gateway would send, then none is echoed', () => {
    const answer = parse(
      unparsableRequestAnswer({
        code: 'HPE_INVALID_HEADER_TOKEN',
        rawPacket: packet('X-Request-Id: <script>'),
      }),
    );

    expect(answer.body).toEqual({ error: { code: 'BAD_REQUEST', message: 'malformed HTTP request' } });
  });
});
