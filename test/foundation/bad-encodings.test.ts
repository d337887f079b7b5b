/**
 * Input the BFF cannot decode is the client's fault: a path escape that is not UTF-8, a body whose
 * Content-Encoding does not decode, a charset or encoding the BFF does not take — each is a 4xx with
 * the JSON error body, never a 500. Sent through the real gateway, as a client would.
 */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { allRouteDocs } from '../../bff/openapi/document';
import { exchange, rawRequest } from '../support/raw-socket';
import { call, createUserWithToken, startStack, type TestStack } from '../support/stack';

interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

function expectJsonError(reply: Reply, status: number, code: string): void {
  expect({ status: reply.status, contentType: reply.headers.get('content-type') }).toEqual({
    status,
    contentType: 'application/json; charset=utf-8',
  });
  expect(reply.body).toEqual({
    error: expect.objectContaining({
      code,
      message: expect.any(String),
      requestId: reply.headers.get('x-request-id'),
    }),
  });
}

/** Every operation with a path parameter, with each parameter replaced by `escape`. */
const routesWithPathParameters = allRouteDocs.filter((doc) => doc.path.includes('/:'));
const withEscape = (path: string, escape: string) => path.replace(/:[A-Za-z]+/g, escape);

describe('input the BFF cannot decode', () => {
  let stack: TestStack;
  let userToken: string;
  let adminToken: string;

  /** POSTs raw bytes, as JSON unless the headers say otherwise. */
  async function rawPost(
    path: string,
    body: Buffer | string,
    headers: Record<string, string>,
  ): Promise<Reply> {
    const response = await fetch(`${stack.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text so the assertion shows it
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  beforeAll(async () => {
    stack = await startStack({ label: 'bad_encodings' });
    userToken = (await createUserWithToken(stack, 'user')).token;
    adminToken = (await createUserWithToken(stack, 'admin')).token;
  });
  afterAll(async () => {
    await stack?.close();
  });

  afterEach(async () => {
    // whatever was sent, the BFF still answers
    expect((await call(stack.url, 'GET', '/healthz')).status).toBe(200);
  });

  describe('a path parameter that is not percent-encoded UTF-8', () => {
    it('when the route table is read, then there are routes with path parameters to try', () => {
      expect(routesWithPathParameters.length).toBeGreaterThan(10);
    });

    it.each(
      ['%ff', '%c0%af', '%e2%82'].flatMap((escape) =>
        routesWithPathParameters.map(({ method, path, auth }) => ({
          method: method.toUpperCase(),
          path,
          auth,
          escape,
        })),
      ),
    )(
      'when $method $path gets $escape, then 400 VALIDATION_FAILED JSON',
      async ({ method, path, auth, escape }) => {
        const token = auth === 'admin' ? adminToken : auth === 'public' ? undefined : userToken;
        const reply = await call(stack.url, method, withEscape(path, escape), {
          token,
          body: method === 'GET' || method === 'DELETE' ? undefined : {},
        });

        expectJsonError(reply, 400, 'VALIDATION_FAILED');
      },
    );

    it('when the queue dashboard gets a bad escape, then 400 VALIDATION_FAILED JSON', async () => {
      const reply = await call(stack.url, 'GET', '/admin/queues/api/queues/%ff/%c0%af', {
        token: adminToken,
      });

      expectJsonError(reply, 400, 'VALIDATION_FAILED');
    });
  });

  describe('a body whose Content-Encoding does not decode', () => {
    const notCompressed = Buffer.from('{"email":"a@example.com","password":"x"}');
    it.each([
      ['gzip', notCompressed],
      ['deflate', notCompressed],
      ['br', notCompressed],
      ['gzip', gzipSync(notCompressed).subarray(0, 20)],
      ['deflate', deflateSync(notCompressed).subarray(0, 10)],
    ])(
      'when Content-Encoding is %s and the body is not (or not all) in it, then 400 VALIDATION_FAILED',
      async (encoding, body) => {
        const reply = await rawPost('/api/auth/login', body, { 'content-encoding': encoding });

        expectJsonError(reply, 400, 'VALIDATION_FAILED');
      },
    );

    it.each([
      ['gzip', gzipSync],
      ['deflate', deflateSync],
      ['br', brotliCompressSync],
    ] as const)(
      'when the body is well-formed %s, then it is decoded and the route answers',
      async (encoding, compress) => {
        const reply = await rawPost(
          '/api/auth/login',
          compress(Buffer.from('{"email":"nobody@example.com","password":"wrong-password"}')),
          { 'content-encoding': encoding },
        );

        expectJsonError(reply, 401, 'INVALID_CREDENTIALS');
      },
    );

    it.each([
      ['deflate', deflateSync],
      ['gzip', gzipSync],
      ['br', brotliCompressSync],
    ] as const)(
      'when a small %s body inflates past the body limit (a bomb), then 413 PAYLOAD_TOO_LARGE',
      async (encoding, compress) => {
        const bomb = compress(Buffer.alloc(20 * 1024 * 1024, 0x20));
        expect(bomb.length).toBeLessThan(1024 * 1024); // under the gateway's own limit: the BFF has to decide

        const reply = await rawPost('/api/auth/login', bomb, { 'content-encoding': encoding });

        expectJsonError(reply, 413, 'PAYLOAD_TOO_LARGE');
      },
    );
  });

  describe('an encoding or charset the BFF does not take', () => {
    it.each([['zstd'], ['foo'], ['gzip, br'], ['compress']])(
      'when Content-Encoding is %j, then 415 UNSUPPORTED_MEDIA_TYPE',
      async (encoding) => {
        const reply = await rawPost('/api/auth/login', 'whatever', { 'content-encoding': encoding });

        expectJsonError(reply, 415, 'UNSUPPORTED_MEDIA_TYPE');
      },
    );

    it.each([['latin1'], ['utf-99']])(
      'when the JSON charset is %s, then 415 UNSUPPORTED_MEDIA_TYPE',
      async (charset) => {
        const reply = await rawPost('/api/auth/login', '{}', {
          'content-type': `application/json; charset=${charset}`,
        });

        expectJsonError(reply, 415, 'UNSUPPORTED_MEDIA_TYPE');
      },
    );
  });

  describe("a request head the BFF's HTTP parser refuses", () => {
    // nginx passes these on; Node's parser refuses them before Express sees a request
    it.each([
      ['a DEL in If-Match', 'If-Match: "\x7f"'],
      ['a control character in Prefer', 'Prefer: wait=\x01'],
      ['a control character in X-Cart-Id', 'X-Cart-Id: cart\x1bid'],
    ])("when a header has %s, then 400 BAD_REQUEST JSON with the gateway's request id", async (_, header) => {
      const port = Number(new URL(stack.url).port);
      const reply = await exchange(port, rawRequest('GET /api/products HTTP/1.1', [header]));

      expect({ status: reply.status, contentType: reply.headers['content-type'] }).toEqual({
        status: 400,
        contentType: 'application/json; charset=utf-8',
      });
      expect(JSON.parse(reply.body)).toEqual({
        error: { code: 'BAD_REQUEST', message: expect.any(String), requestId: reply.headers['x-request-id'] },
      });
    });

    it('when a write with such a header comes on a connection the gateway reuses, then 400 JSON, not a 502', async () => {
      const port = Number(new URL(stack.url).port);
      // nginx keeps its connections to the BFF alive: these earlier answers leave one open for the write
      for (let i = 0; i < 3; i += 1) expect((await call(stack.url, 'GET', '/api/products')).status).toBe(200);

      const reply = await exchange(
        port,
        rawRequest(
          'POST /api/auth/login HTTP/1.1',
          ['If-Match: "\x7f"', 'Content-Type: application/json', 'Content-Length: 2'],
          '{}',
        ),
      );

      expect({ status: reply.status, code: JSON.parse(reply.body).error?.code }).toEqual({
        status: 400,
        code: 'BAD_REQUEST',
      });
    });
  });

  describe('bodies that are not the JSON a route expects', () => {
    it('when the JSON is malformed, then 400 VALIDATION_FAILED', async () => {
      expectJsonError(await rawPost('/api/auth/login', '{"email":', {}), 400, 'VALIDATION_FAILED');
    });

    it('when the body is JSON sent as text/plain, then 400 VALIDATION_FAILED (not parsed, so missing)', async () => {
      const reply = await rawPost('/api/auth/login', '{"email":"a@example.com","password":"x"}', {
        'content-type': 'text/plain',
      });

      expectJsonError(reply, 400, 'VALIDATION_FAILED');
    });

    it('when the JSON body is larger than 100 kB, then 413 PAYLOAD_TOO_LARGE', async () => {
      const reply = await rawPost('/api/auth/login', JSON.stringify({ email: 'a'.repeat(200_000) }), {});

      expectJsonError(reply, 413, 'PAYLOAD_TOO_LARGE');
    });
  });
});
