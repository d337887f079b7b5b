/**
 * Every answer nginx makes itself is the JSON error body, with a request id in the body and in
 * X-Request-Id — also for requests nginx cannot parse (a bad request line has no URI, so its error
 * page cannot be a named location). The requests are written byte for byte on a raw TCP socket,
 * because an HTTP client refuses to send most of them.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import path from 'node:path';
import { startTestGateway, type TestGateway } from './support/gateway';
import { exchange, rawRequest, type RawReply } from './support/raw-socket';

const REQUEST_ID = /^[0-9a-f]{32}$/;
/** The stub BFF hangs up on requests under this path. */
const HANG_UP_PATH = '/api/orders/hang-up';

function expectJsonError(reply: RawReply, status: number, code: string): void {
  expect({ status: reply.status, contentType: reply.headers['content-type'] }).toEqual({
    status,
    contentType: 'application/json',
  });
  expect(reply.headers['x-request-id']).toMatch(REQUEST_ID);
  expect(JSON.parse(reply.body)).toEqual({
    error: { code, message: expect.any(String), requestId: reply.headers['x-request-id'] },
  });
}

describe('errors the gateway (nginx) answers itself', () => {
  let upstream: Server;
  let upstreamRequests: string[];
  let gateway: TestGateway;
  const errorLog = () => readFile(path.join(gateway.prefixDir, 'logs', 'error.log'), 'utf8');
  let errorLogBefore = 0;
  let signingKey: KeyObject;
  const accessLogLine = async (requestId: string) =>
    (await gateway.accessLog()).find((line) => line.requestId === requestId);

  beforeAll(async () => {
    upstreamRequests = [];
    upstream = createServer((req, res) => {
      if (req.url?.startsWith(HANG_UP_PATH)) {
        req.socket.destroy(); // a BFF that dies mid-request: nginx answers 502 itself
        return;
      }
      upstreamRequests.push(`${req.method} ${req.url}`);
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    signingKey = privateKey;
    gateway = await startTestGateway({
      upstreamPort: (upstream.address() as AddressInfo).port,
      gatewaySecret: randomBytes(24).toString('hex'),
      publicKeys: [{ kid: 'k1', pem: publicKey.export({ type: 'spki', format: 'pem' }).toString() }],
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    upstream?.closeAllConnections();
    await new Promise<void>((resolve) => (upstream ? upstream.close(() => resolve()) : resolve()));
  });

  beforeEach(async () => {
    upstreamRequests.length = 0;
    errorLogBefore = (await errorLog()).length;
  });

  afterEach(async () => {
    expect(upstreamRequests).toEqual([]);
    // nginx refuses to send an unparsed request to a named location, and answers 500 HTML instead
    expect((await errorLog()).slice(errorLogBefore)).not.toMatch(/empty URI|\[crit\]|\[alert\]|\[emerg\]/);
  });

  describe('a request line nginx cannot parse', () => {
    it.each([
      ['a NUL escape in the path', 'GET /api/products/%00 HTTP/1.1'],
      ['a bad percent-escape in the path', 'GET /api/products/%zz HTTP/1.1'],
      ['a space in the path', 'GET /api/products/a b HTTP/1.1'],
      ['a path climbing above the root', 'GET /../etc/passwd HTTP/1.1'],
      ['an escaped path climbing above the root', 'GET /api/%2e%2e/%2e%2e/%2e%2e/etc HTTP/1.1'],
      ['a lowercase method', 'get /api/products HTTP/1.1'],
      ['a method with a symbol in it', 'G@T /api/products HTTP/1.1'],
      ['a CONNECT request', 'CONNECT shop.test:443 HTTP/1.1'],
    ])('when it has %s, then 400 BAD_REQUEST JSON with a request id', async (_, requestLine) => {
      expectJsonError(await exchange(gateway.port, rawRequest(requestLine)), 400, 'BAD_REQUEST');
    });

    it('when it is a HEAD with a bad escape, then 400 JSON headers and no body', async () => {
      const reply = await exchange(gateway.port, rawRequest('HEAD /api/products/%zz HTTP/1.1'));

      expect({ status: reply.status, contentType: reply.headers['content-type'], body: reply.body }).toEqual({
        status: 400,
        contentType: 'application/json',
        body: '',
      });
      expect(reply.headers['x-request-id']).toMatch(REQUEST_ID);
    });

    it('when the URI is longer than a header buffer (16 KB), then 414 URI_TOO_LONG JSON', async () => {
      const reply = await exchange(
        gateway.port,
        rawRequest(`GET /api/products?q=${'a'.repeat(20_000)} HTTP/1.1`),
      );

      expectJsonError(reply, 414, 'URI_TOO_LONG');
    });

    it.each([['HTTP/9.9'], ['HTTP/2.0']])(
      'when the protocol version is %s, then 505 HTTP_VERSION_NOT_SUPPORTED JSON',
      async (version) => {
        const reply = await exchange(gateway.port, rawRequest(`GET /api/products ${version}`));

        expectJsonError(reply, 505, 'HTTP_VERSION_NOT_SUPPORTED');
      },
    );
  });

  describe('methods', () => {
    it('when the method is TRACE, then 405 METHOD_NOT_ALLOWED JSON', async () => {
      const reply = await exchange(gateway.port, rawRequest('TRACE /api/products HTTP/1.1'));

      expectJsonError(reply, 405, 'METHOD_NOT_ALLOWED');
    });
  });

  describe('headers and bodies', () => {
    it.each([['foo'], ['gzip, chunked'], ['identity'], ['chunked, chunked']])(
      'when Transfer-Encoding is %j, then 501 NOT_IMPLEMENTED JSON',
      async (transferEncoding) => {
        const reply = await exchange(
          gateway.port,
          rawRequest(
            'POST /api/cart/items HTTP/1.1',
            [`Transfer-Encoding: ${transferEncoding}`],
            '0\r\n\r\n',
          ),
        );

        expectJsonError(reply, 501, 'NOT_IMPLEMENTED');
      },
    );

    it.each([
      ['Transfer-Encoding twice', ['Transfer-Encoding: chunked', 'Transfer-Encoding: chunked'], '0\r\n\r\n'],
      [
        'Content-Length and Transfer-Encoding',
        ['Content-Length: 5', 'Transfer-Encoding: chunked'],
        '0\r\n\r\n',
      ],
      ['a Content-Length that is not a number', ['Content-Length: abc'], ''],
      ['a header name with a space', ['Bad Header: yes'], ''],
      ['a chunked body with a bad chunk size', ['Transfer-Encoding: chunked'], 'zz\r\n\r\n'],
    ])('when a request has %s, then 400 BAD_REQUEST JSON', async (_, headers, body) => {
      const reply = await exchange(gateway.port, rawRequest('POST /api/cart/items HTTP/1.1', headers, body));

      expectJsonError(reply, 400, 'BAD_REQUEST');
    });

    it('when the Lua check refuses a request whose chunked body is malformed, then its 401 JSON still arrives', async () => {
      // nginx drops the rest of a refused request's body; reading a malformed one fails and closes the connection
      const reply = await exchange(
        gateway.port,
        rawRequest('POST /api/products HTTP/1.1', ['Transfer-Encoding: chunked'], 'zz\r\n\r\n'),
      );

      expectJsonError(reply, 401, 'UNAUTHORIZED');
    });

    it('when a header line is longer than 16 KB, then 431 HEADER_TOO_LARGE JSON', async () => {
      const reply = await exchange(
        gateway.port,
        rawRequest('GET /api/products HTTP/1.1', [`X-Padding: ${'b'.repeat(17_000)}`]),
      );

      expectJsonError(reply, 431, 'HEADER_TOO_LARGE');
    });

    it('when the headers were parsed, then the client request id is kept in the error body', async () => {
      const reply = await exchange(
        gateway.port,
        rawRequest('POST /api/cart/items HTTP/1.1', [
          'X-Request-Id: client-chosen-id-1',
          'Transfer-Encoding: foo',
        ]),
      );

      expect(reply.status).toBe(501);
      expect(reply.headers['x-request-id']).toBe('client-chosen-id-1');
      expect(JSON.parse(reply.body)).toMatchObject({ error: { requestId: 'client-chosen-id-1' } });
    });
  });

  describe('raw bytes a URI may not hold', () => {
    it.each([
      ['a raw byte above 0x7f in the path', 'GET /api/products/\xff HTTP/1.1'],
      ['raw UTF-8 in the query', 'GET /api/products?q=caf\xc3\xa9 HTTP/1.1'],
      ['a raw byte above 0x7f in a write', 'POST /api/cart/items/\xc0\xaf HTTP/1.1'],
    ])(
      'when the request target has %s (nginx passes it on, Node refuses it with a bare 400), then 400 BAD_REQUEST JSON',
      async (_, requestLine) => {
        const reply = await exchange(gateway.port, Buffer.from(rawRequest(requestLine), 'latin1'));

        expectJsonError(reply, 400, 'BAD_REQUEST');
      },
    );
  });

  describe('the access log of an error page', () => {
    it('when nginx answers an unrouted path itself, then the log keeps the path the client asked for', async () => {
      const reply = await exchange(gateway.port, rawRequest('GET /no/such/route HTTP/1.1'));

      expect(reply.status).toBe(404);
      expect(await accessLogLine(reply.headers['x-request-id']!)).toMatchObject({
        uri: '/no/such/route',
        status: 404,
      });
    });

    it('when the BFF hangs up on a signed-in request, then the 502 is JSON and the log keeps the path and the user', async () => {
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({ sub: 'user-77', role: 'user', sid: 'login-77' })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'k1' })
        .setIssuer('voltmall')
        .setAudience('voltmall-api')
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .sign(signingKey);

      const reply = await exchange(
        gateway.port,
        rawRequest(`GET ${HANG_UP_PATH} HTTP/1.1`, [`Authorization: Bearer ${token}`]),
      );

      expectJsonError(reply, 502, 'BAD_GATEWAY');
      expect(await accessLogLine(reply.headers['x-request-id']!)).toMatchObject({
        uri: HANG_UP_PATH,
        status: 502,
        userId: 'user-77',
      });
    });
  });

  describe('the error pages themselves', () => {
    it('when a client asks for an error page directly, then 404 NOT_FOUND JSON (they are internal)', async () => {
      const reply = await exchange(gateway.port, rawRequest('GET /.gateway-error/400 HTTP/1.1'));

      expectJsonError(reply, 404, 'NOT_FOUND');
    });
  });
});
