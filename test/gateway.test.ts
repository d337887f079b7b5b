/**
 * The nginx + Lua gateway, for real: nginx in front of a recording upstream stub.
 * Every request carries a unique probe in its query string, so "did it reach the upstream?"
 * is answered exactly, whatever ran before.
 */
import { generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportSPKI, SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import { Redis } from 'ioredis';
import { revokedLoginKey, revokedUserKey } from '../shared/session-revocation';
import { freePort, startTestGateway, type TestGateway } from './support/gateway';

const ISSUER = 'voltmall-test';
const AUDIENCE = 'voltmall-api-test';
const LEEWAY_SECONDS = 30;

interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

interface Upstream {
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

interface ErrorBody {
  error: { code: string; message: string; requestId: string };
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** What the upstream received for this very request, if it got there. */
  upstream: RecordedRequest | undefined;
}

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  pem: string;
}

/** A stub BFF: records every request, answers 200 JSON. */
async function startUpstream(): Promise<Upstream> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (new URL(req.url ?? '/', 'http://stub').pathname.endsWith('/events')) {
      // server-sent events: one event now, then the stream stays open
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('data: {"status":"PENDING"}\n\n');
      return;
    }
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function createSigningKey(kid: string): Promise<SigningKey> {
  // Node's KeyObjects (jose 6 generates CryptoKeys): signRaw signs with node:crypto directly.
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { kid, privateKey, pem: await exportSPKI(publicKey) };
}

const now = () => Math.floor(Date.now() / 1000);

async function mint(
  key: SigningKey,
  claims: JWTPayload & { role?: string } = {},
  header: { kid?: string } = {},
): Promise<string> {
  return new SignJWT({
    sub: 'user-42',
    role: 'user',
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now(),
    sid: 'login-42',
    exp: now() + 300,
    ...claims,
  })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, ...header })
    .sign(key.privateKey);
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** Signs arbitrary header/payload text, for payloads jose would refuse to produce. */
function signRaw(key: SigningKey, header: object, payloadText: string): string {
  const input = `${base64url(JSON.stringify(header))}.${base64url(payloadText)}`;
  return `${input}.${base64url(sign(null, Buffer.from(input), key.privateKey))}`;
}

function send(
  baseUrl: string,
  upstream: Upstream | undefined,
  method: string,
  pathname: string,
  options: { token?: string; headers?: Record<string, string | string[]>; body?: string } = {},
): Promise<Reply> {
  const probe = randomUUID();
  const url = new URL(`${baseUrl}${pathname}`);
  url.searchParams.set('probe', probe);
  const headers: Record<string, string | string[]> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  return new Promise((resolve, reject) => {
    // agent: false: one connection per request, nothing pooled across tests
    const req = request(url, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          upstream: upstream?.requests.find((recorded) => recorded.url.includes(probe)),
        }),
      );
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function expectJsonError(reply: Reply, status: number, code: string): ErrorBody {
  expect({ status: reply.status, contentType: reply.headers['content-type'] }).toEqual({
    status,
    contentType: 'application/json',
  });
  expect(reply.text.endsWith('}\n')).toBe(true); // the shell prompt after `curl` starts on its own line
  const body = JSON.parse(reply.text) as ErrorBody;
  expect(body.error).toEqual({ code, message: expect.any(String), requestId: reply.headers['x-request-id'] });
  return body;
}

function expectRejectedToken(reply: Reply, code = 'INVALID_TOKEN'): void {
  expectJsonError(reply, 401, code);
  expect(reply.headers['www-authenticate']).toMatch(
    /^Bearer .*error="invalid_token", error_description="[^"]+"/,
  );
  expect(reply.upstream).toBeUndefined();
}

describe('gateway (nginx + Lua) in front of the BFF', () => {
  let upstream: Upstream;
  let gateway: TestGateway;
  let k1: SigningKey;
  let k2: SigningKey;
  let unconfigured: SigningKey;
  const gatewaySecret = randomBytes(24).toString('hex');
  const call = (
    method: string,
    pathname: string,
    options?: { token?: string; headers?: Record<string, string | string[]>; body?: string },
  ) => send(gateway.url, upstream, method, pathname, options);

  beforeAll(async () => {
    [k1, k2, unconfigured] = await Promise.all([
      createSigningKey('k1'),
      createSigningKey('k2'),
      createSigningKey('k3'),
    ]);
    upstream = await startUpstream();
    gateway = await startTestGateway({
      upstreamPort: upstream.port,
      gatewaySecret,
      publicKeys: [
        { kid: k1.kid, pem: k1.pem },
        { kid: k2.kid, pem: k2.pem },
      ],
      issuer: ISSUER,
      audience: AUDIENCE,
      leewaySeconds: LEEWAY_SECONDS,
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  describe('rejected tokens', () => {
    it('when a required route is called without a token, then 401 UNAUTHORIZED with a Bearer realm challenge and no upstream call', async () => {
      const reply = await call('GET', '/api/orders');

      expectJsonError(reply, 401, 'UNAUTHORIZED');
      expect(reply.headers['www-authenticate']).toBe('Bearer realm="voltmall"');
      expect(reply.upstream).toBeUndefined();
    });

    it.each([
      ['one segment', 'abc'],
      ['two segments', 'abc.def'],
      ['four segments', 'a.b.c.d'],
      ['empty segments', '..'],
      ['bad base64', '!!!.@@@.###'],
      ['base64 padding', 'eyJhbGciOiJFZERTQSJ9=.e30=.AAAA'],
      ['a header that is not JSON', `${base64url('not json')}.${base64url('{}')}.${base64url('sig')}`],
    ])(
      'when the token is malformed (%s), then 401 INVALID_TOKEN and no upstream call',
      async (_case, token) => {
        expectRejectedToken(await call('GET', '/api/orders', { token }));
      },
    );

    it('when the Authorization header has no token after Bearer, then 401 INVALID_TOKEN', async () => {
      expectRejectedToken(await call('GET', '/api/orders', { headers: { authorization: 'Bearer ' } }));
    });

    it('when the Authorization scheme is not Bearer, then 401 INVALID_TOKEN', async () => {
      const token = await mint(k1);
      expectRejectedToken(await call('GET', '/api/orders', { headers: { authorization: `Basic ${token}` } }));
    });

    it('when two Authorization headers are sent, then a JSON error and no upstream call', async () => {
      const token = await mint(k1);
      const reply = await call('GET', '/api/orders', {
        headers: { authorization: [`Bearer ${token}`, `Bearer ${token}`] },
      });
      // nginx 1.22 refuses a duplicate Authorization line itself (400); gateway.lua would 401 it
      expect([400, 401]).toContain(reply.status);
      expectJsonError(reply, reply.status, reply.status === 400 ? 'BAD_REQUEST' : 'INVALID_TOKEN');
      expect(reply.upstream).toBeUndefined();
    });

    it('when the token is larger than 8 KB, then 401 INVALID_TOKEN "token too large"', async () => {
      const token = await mint(k1, { padding: 'x'.repeat(9000) });

      const reply = await call('GET', '/api/orders', { token });

      expectRejectedToken(reply);
      expect(reply.headers['www-authenticate']).toContain('error_description="token too large"');
    });

    it('when a 100 KB Authorization header is sent, then nginx refuses it with a JSON error and no upstream call', async () => {
      const reply = await call('GET', '/api/orders', { token: 'a'.repeat(100 * 1024) });

      expect([400, 431]).toContain(reply.status);
      expectJsonError(reply, reply.status, reply.status === 431 ? 'HEADER_TOO_LARGE' : 'BAD_REQUEST');
      expect(reply.upstream).toBeUndefined();
    });

    it('when the payload is validly signed but not JSON, then 401 INVALID_TOKEN', async () => {
      const token = signRaw(k1, { alg: 'EdDSA', kid: k1.kid }, 'this is not json');
      expectRejectedToken(await call('GET', '/api/orders', { token }));
    });

    it('when the payload is tampered with (role raised to admin), then 401 INVALID_TOKEN', async () => {
      const [header, payload, signature] = (await mint(k1)).split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      const forged = base64url(JSON.stringify({ ...claims, role: 'admin' }));

      expectRejectedToken(await call('GET', '/api/orders', { token: `${header}.${forged}.${signature}` }));
    });

    it('when the signature is tampered with, then 401 INVALID_TOKEN', async () => {
      const [header, payload, signature] = (await mint(k1)).split('.') as [string, string, string];
      const bytes = Buffer.from(signature, 'base64url');
      bytes[0] = (bytes[0] ?? 0) ^ 0x01;

      const reply = await call('GET', '/api/orders', { token: `${header}.${payload}.${base64url(bytes)}` });

      expectRejectedToken(reply);
      expect(reply.headers['www-authenticate']).toContain('error_description="invalid signature"');
    });

    it('when the token expired beyond the leeway, then 401 TOKEN_EXPIRED with error_description "token expired"', async () => {
      const token = await mint(k1, { iat: now() - 600, exp: now() - LEEWAY_SECONDS - 60 });

      const reply = await call('GET', '/api/orders', { token });

      expectRejectedToken(reply, 'TOKEN_EXPIRED');
      expect(reply.headers['www-authenticate']).toBe(
        'Bearer realm="voltmall", error="invalid_token", error_description="token expired"',
      );
    });

    it('when the token is not valid yet (nbf beyond the leeway), then 401 INVALID_TOKEN', async () => {
      const token = await mint(k1, { nbf: now() + LEEWAY_SECONDS + 60 });
      expectRejectedToken(await call('GET', '/api/orders', { token }));
    });

    it.each<[string, () => Promise<string>]>([
      ['the issuer is wrong', () => mint(k1, { iss: 'someone-else' })],
      ['the audience is wrong', () => mint(k1, { aud: 'another-api' })],
      ['the audience array lacks ours', () => mint(k1, { aud: ['another-api', 'third-api'] })],
      [
        'exp is missing',
        async () =>
          signRaw(
            k1,
            { alg: 'EdDSA', kid: k1.kid },
            JSON.stringify({ sub: 'u1', role: 'user', iss: ISSUER, aud: AUDIENCE }),
          ),
      ],
      ['exp is a string', () => mint(k1, { exp: String(now() + 300) as unknown as number })],
      ['sub is empty', () => mint(k1, { sub: '' })],
      ['sub has a line break', () => mint(k1, { sub: 'u1\r\nX-User-Role: admin' })],
      ['role is unknown', () => mint(k1, { role: 'superuser' })],
      [
        'alg is none',
        async () =>
          new UnsecuredJWT({
            sub: 'u1',
            role: 'admin',
            iss: ISSUER,
            aud: AUDIENCE,
            exp: now() + 300,
          }).encode(),
      ],
      [
        'alg is none with a kid and our signature',
        async () => {
          const [, payload, signature] = (await mint(k1)).split('.');
          return `${base64url(JSON.stringify({ alg: 'none', kid: k1.kid }))}.${payload}.${signature}`;
        },
      ],
      [
        'HS256 signed with the public key PEM as the secret',
        () =>
          new SignJWT({ sub: 'u1', role: 'admin', iss: ISSUER, aud: AUDIENCE, exp: now() + 300 })
            .setProtectedHeader({ alg: 'HS256', kid: k1.kid })
            .sign(new TextEncoder().encode(k1.pem)),
      ],
      [
        'RS256 is claimed in the header',
        async () =>
          signRaw(
            k1,
            { alg: 'RS256', kid: k1.kid },
            JSON.stringify({ sub: 'u1', role: 'user', iss: ISSUER, aud: AUDIENCE, exp: now() + 300 }),
          ),
      ],
      ['the kid is unknown', () => mint(unconfigured)],
      [
        'the kid is missing',
        async () =>
          signRaw(
            k1,
            { alg: 'EdDSA' },
            JSON.stringify({ sub: 'u1', role: 'user', iss: ISSUER, aud: AUDIENCE, exp: now() + 300 }),
          ),
      ],
      ['a known kid names a key that did not sign it', () => mint(unconfigured, {}, { kid: k1.kid })],
      ['iat is more than a minute in the future', () => mint(k1, { iat: now() + 61 + 5 })],
      ['iat is missing', () => mint(k1, { iat: undefined })],
      ['iat is a string', () => mint(k1, { iat: String(now()) as unknown as number })],
      ['sid (the login id) is missing', () => mint(k1, { sid: undefined })],
      ['sid is not a string', () => mint(k1, { sid: 42 as unknown as string })],
      ['sid is empty', () => mint(k1, { sid: '' })],
      ['sid has a space', () => mint(k1, { sid: 'login 1' })],
      ['sid is longer than 64 bytes', () => mint(k1, { sid: 'x'.repeat(65) })],
    ])('when %s, then 401 INVALID_TOKEN and no upstream call', async (_case, makeToken) => {
      expectRejectedToken(await call('GET', '/api/orders', { token: await makeToken() }));
    });
  });

  describe('verified requests', () => {
    it('when a valid token calls a required route, then the upstream sees the verified identity, the gateway secret and the request id', async () => {
      const token = await mint(k1, { sub: 'user-7', role: 'user' });

      const reply = await call('POST', '/api/orders', {
        token,
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });

      expect(reply.status).toBe(200);
      expect(reply.upstream?.headers).toMatchObject({
        'x-user-id': 'user-7',
        'x-user-role': 'user',
        'x-gateway-secret': gatewaySecret,
        'x-request-id': reply.headers['x-request-id'],
      });
      expect(reply.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    });

    it('when the token expired but within the leeway, then it is still accepted', async () => {
      const token = await mint(k1, { exp: now() - 5 });
      expect((await call('GET', '/api/orders', { token })).status).toBe(200);
    });

    it('when iat is less than a minute in the future (clock skew), then the token is accepted', async () => {
      const token = await mint(k1, { iat: now() + 45 });
      expect((await call('GET', '/api/orders', { token })).status).toBe(200);
    });

    it('when iat carries milliseconds, then the token is accepted', async () => {
      const token = await mint(k1, { iat: Date.now() / 1000 });
      expect((await call('GET', '/api/orders', { token })).status).toBe(200);
    });

    it('when the audience is an array containing ours, then the token is accepted', async () => {
      const token = await mint(k1, { aud: ['another-api', AUDIENCE] });
      expect((await call('GET', '/api/orders', { token })).status).toBe(200);
    });

    it('when tokens are signed by either configured key (rotation), then both are accepted', async () => {
      const fromK1 = await call('GET', '/api/orders', { token: await mint(k1, { sub: 'old-key-user' }) });
      const fromK2 = await call('GET', '/api/orders', { token: await mint(k2, { sub: 'new-key-user' }) });

      expect([fromK1.status, fromK2.status]).toEqual([200, 200]);
      expect([fromK1.upstream?.headers['x-user-id'], fromK2.upstream?.headers['x-user-id']]).toEqual([
        'old-key-user',
        'new-key-user',
      ]);
    });

    it('when a verified request is proxied, then the access log line is JSON with request id, user id, status and timings', async () => {
      const requestId = `log-check-${randomUUID()}`;
      await call('GET', '/api/orders', {
        token: await mint(k1, { sub: 'logged-user' }),
        headers: { 'x-request-id': requestId },
      });

      // nginx writes the log line after the response is sent: poll for it, bounded
      let line: Record<string, unknown> | undefined;
      for (const deadline = Date.now() + 5000; !line && Date.now() < deadline;) {
        line = (await gateway.accessLog()).find((entry) => entry.requestId === requestId);
        if (!line) await new Promise((resolve) => setImmediate(resolve));
      }
      expect(line).toMatchObject({
        requestId,
        method: 'GET',
        uri: '/api/orders',
        status: 200,
        userId: 'logged-user',
        durationSec: expect.any(Number),
        upstreamTimeSec: expect.stringMatching(/^\d+\.\d+$/),
      });
    });
  });

  describe('identity headers sent by the client', () => {
    const forged = {
      'x-user-id': 'admin-1',
      'X-User-Role': 'admin',
      'x-user-email': 'boss@example.com',
      'x-gateway-secret': 'forged-secret',
      x_user_id: 'underscore-admin',
    };
    const identityHeaders = (headers: IncomingHttpHeaders | undefined) =>
      Object.fromEntries(
        Object.entries(headers ?? {}).filter(
          ([name]) => name.startsWith('x-user-') || name === 'x-gateway-secret',
        ),
      );

    it('when sent to a public route, then none reach the upstream and the real gateway secret does', async () => {
      const reply = await call('GET', '/api/products', { headers: forged });

      expect(reply.status).toBe(200);
      expect(identityHeaders(reply.upstream?.headers)).toEqual({ 'x-gateway-secret': gatewaySecret });
    });

    it('when sent to a public route with a valid token, then the token is ignored and no identity is forwarded', async () => {
      const reply = await call('POST', '/api/auth/logout', { token: await mint(k1), headers: forged });

      expect(reply.status).toBe(200);
      expect(identityHeaders(reply.upstream?.headers)).toEqual({ 'x-gateway-secret': gatewaySecret });
    });

    it('when a forged header hides behind 150 others, then it is still removed', async () => {
      const filler = Object.fromEntries(
        Array.from({ length: 150 }, (_, index) => [`x-filler-${index}`, 'f']),
      );

      const reply = await call('GET', '/api/products', { headers: { ...filler, 'x-user-role': 'admin' } });

      expect(reply.status).toBe(200);
      expect(identityHeaders(reply.upstream?.headers)).toEqual({ 'x-gateway-secret': gatewaySecret });
    });

    it('when sent to an optional route without a token, then the guest passes with its cart id and no identity', async () => {
      const reply = await call('GET', '/api/cart', { headers: { ...forged, 'x-cart-id': 'guest-cart-1' } });

      expect(reply.status).toBe(200);
      expect(identityHeaders(reply.upstream?.headers)).toEqual({ 'x-gateway-secret': gatewaySecret });
      expect(reply.upstream?.headers['x-cart-id']).toBe('guest-cart-1');
    });

    it('when sent to an optional route with a valid token, then only the verified identity is forwarded', async () => {
      const reply = await call('POST', '/api/cart/items', {
        token: await mint(k1, { sub: 'user-9' }),
        headers: forged,
      });

      expect(reply.status).toBe(200);
      expect(identityHeaders(reply.upstream?.headers)).toEqual({
        'x-user-id': 'user-9',
        'x-user-role': 'user',
        'x-gateway-secret': gatewaySecret,
      });
    });

    it('when sent to a required route with a valid token, then only the verified identity is forwarded', async () => {
      const reply = await call('GET', '/api/orders', {
        token: await mint(k1, { sub: 'user-10' }),
        headers: { ...forged, 'X-USER-ID': ['dup-1', 'dup-2'] },
      });

      expect(reply.status).toBe(200);
      expect(identityHeaders(reply.upstream?.headers)).toEqual({
        'x-user-id': 'user-10',
        'x-user-role': 'user',
        'x-gateway-secret': gatewaySecret,
      });
    });
  });

  describe('routes', () => {
    it('when an optional route gets an invalid token, then 401 (a bad token is not a guest)', async () => {
      expectRejectedToken(await call('GET', '/api/cart', { token: 'not.a.token' }));
    });

    it('when the catalogue is read without a token, then it passes; when written without one, then 401', async () => {
      const read = await call('GET', '/api/products/12?sort=price');
      const write = await call('POST', '/api/products', { body: '{}' });

      expect(read.status).toBe(200);
      expect(read.upstream?.method).toBe('GET');
      expectJsonError(write, 401, 'UNAUTHORIZED');
      expect(write.upstream).toBeUndefined();
    });

    it('when an expired token is sent to refresh, then the token is ignored and the call passes', async () => {
      const token = await mint(k1, { exp: now() - 3600 });
      const reply = await call('POST', '/api/auth/refresh', { token, body: '{}' });

      expect(reply.status).toBe(200);
      expect(reply.upstream?.headers['x-user-id']).toBeUndefined();
    });

    it.each([
      '/healthz',
      '/readyz',
      '/api/openapi.json',
      '/api/docs/index.html',
      '/api/auth/oauth/google/callback',
    ])('when public route %s is called without a token, then it reaches the upstream', async (pathname) => {
      const reply = await call('GET', pathname);
      expect(reply.status).toBe(200);
      expect(reply.upstream?.url.startsWith(pathname)).toBe(true);
    });

    it.each(['/api/auth/sms/send', '/api/auth/sms/verify'])(
      'when SMS route %s is called without a token, then 401 and no upstream call',
      async (pathname) => {
        const reply = await call('POST', pathname, { body: '{}' });
        expectJsonError(reply, 401, 'UNAUTHORIZED');
        expect(reply.upstream).toBeUndefined();
      },
    );

    it.each(['/metrics', '/', '/internal/debug', '/API/orders'])(
      'when %s is called, then 404 NOT_FOUND JSON and no upstream call',
      async (pathname) => {
        const reply = await call('GET', pathname, { token: await mint(k1, { role: 'admin' }) });
        expectJsonError(reply, 404, 'NOT_FOUND');
        expect(reply.upstream).toBeUndefined();
      },
    );
  });

  describe('server-sent events', () => {
    it('when an order event stream is opened with a token, then the first event arrives while the stream stays open', async () => {
      const token = await mint(k1, { sub: 'user-sse' });
      const url = new URL(`${gateway.url}/api/orders/42/events`);

      const firstChunk = await new Promise<{ status: number; chunk: string }>((resolve, reject) => {
        const req = request(url, { headers: { authorization: `Bearer ${token}` }, agent: false }, (res) => {
          res.setEncoding('utf8');
          res.once('data', (chunk: string) => {
            resolve({ status: res.statusCode ?? 0, chunk });
            req.destroy();
          });
        });
        req.on('error', reject);
        req.end();
      });

      expect(firstChunk).toEqual({ status: 200, chunk: 'data: {"status":"PENDING"}\n\n' });
    });

    it('when an event stream is opened without a token, then 401', async () => {
      const reply = await call('GET', '/api/orders/42/events');
      expectJsonError(reply, 401, 'UNAUTHORIZED');
      expect(reply.upstream).toBeUndefined();
    });

    it('when an admin event stream is opened by a user, then 403', async () => {
      const reply = await call('GET', '/api/admin/stats/events', { token: await mint(k1, { role: 'user' }) });
      expectJsonError(reply, 403, 'FORBIDDEN');
    });
  });

  describe('admin paths', () => {
    it.each(['/api/admin/x', '/api/Admin/users', '/admin/queues', '/admin/queues/static/main.js'])(
      'when a user calls %s, then 403 FORBIDDEN and no upstream call',
      async (pathname) => {
        const reply = await call('GET', pathname, { token: await mint(k1, { role: 'user' }) });
        expectJsonError(reply, 403, 'FORBIDDEN');
        expect(reply.upstream).toBeUndefined();
      },
    );

    it.each(['/api/admin/x', '/admin/queues', '/admin/queues/static/main.js'])(
      'when an admin calls %s, then it reaches the upstream with role admin',
      async (pathname) => {
        const reply = await call('GET', pathname, {
          token: await mint(k2, { sub: 'admin-1', role: 'admin' }),
        });
        expect(reply.status).toBe(200);
        expect(reply.upstream?.headers['x-user-role']).toBe('admin');
      },
    );

    it('when the queue dashboard is called without a token, then 401', async () => {
      const reply = await call('GET', '/admin/queues');
      expectJsonError(reply, 401, 'UNAUTHORIZED');
      expect(reply.upstream).toBeUndefined();
    });
  });

  describe('request ids', () => {
    it('when the client sends a well-formed X-Request-Id, then it is kept, forwarded and echoed', async () => {
      const reply = await call('GET', '/api/products', {
        headers: { 'x-request-id': 'client.trace_id-0001' },
      });

      expect(reply.headers['x-request-id']).toBe('client.trace_id-0001');
      expect(reply.upstream?.headers['x-request-id']).toBe('client.trace_id-0001');
    });

    it.each(['short', 'has spaces in it', 'x'.repeat(129), 'quote"inject"id'])(
      'when the client sends a malformed X-Request-Id (%s), then it is replaced by a generated one',
      async (requestId) => {
        const reply = await call('GET', '/api/products', { headers: { 'x-request-id': requestId } });

        expect(reply.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
        expect(reply.upstream?.headers['x-request-id']).toBe(reply.headers['x-request-id']);
      },
    );

    it('when the gateway itself rejects a request, then the client request id is in the header and the body', async () => {
      const reply = await call('GET', '/api/orders', { headers: { 'x-request-id': 'rejected-req-0001' } });

      expect(reply.headers['x-request-id']).toBe('rejected-req-0001');
      expect(expectJsonError(reply, 401, 'UNAUTHORIZED').error.requestId).toBe('rejected-req-0001');
    });
  });

  describe('limits', () => {
    it('when the body is larger than 1 MB, then 413 PAYLOAD_TOO_LARGE JSON and no upstream call', async () => {
      const reply = await call('POST', '/api/products', {
        headers: { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) },
      });
      expectJsonError(reply, 413, 'PAYLOAD_TOO_LARGE');
      expect(reply.upstream).toBeUndefined();
    });
  });

  describe('key rotation by reload', () => {
    let rotating: TestGateway;

    beforeAll(async () => {
      rotating = await startTestGateway({
        upstreamPort: upstream.port,
        gatewaySecret,
        publicKeys: [{ kid: k1.kid, pem: k1.pem }],
        issuer: ISSUER,
        audience: AUDIENCE,
      });
    });
    afterAll(async () => {
      await rotating?.stop();
    });

    it('when a new kid is added and nginx reloaded, then its tokens are accepted and the old kid still works', async () => {
      const newKeyToken = await mint(k2);
      const before = await send(rotating.url, upstream, 'GET', '/api/orders', { token: newKeyToken });

      await rotating.reconfigure({
        publicKeys: [
          { kid: k1.kid, pem: k1.pem },
          { kid: k2.kid, pem: k2.pem },
        ],
      });
      const after = await send(rotating.url, upstream, 'GET', '/api/orders', { token: newKeyToken });
      const oldKey = await send(rotating.url, upstream, 'GET', '/api/orders', { token: await mint(k1) });

      expect([before.status, after.status, oldKey.status]).toEqual([401, 200, 200]);
    });
  });

  describe('rate limits', () => {
    let limited: TestGateway;

    beforeAll(async () => {
      limited = await startTestGateway({
        upstreamPort: upstream.port,
        gatewaySecret,
        publicKeys: [{ kid: k1.kid, pem: k1.pem }],
        rateLimits: { authPerMinute: 1, burst: 1 },
      });
    });
    afterAll(async () => {
      await limited?.stop();
    });

    it('when login is POSTed past the limit, then 429 RATE_LIMITED JSON with Retry-After and no upstream call', async () => {
      const login = (pathname = '/api/auth/login') =>
        send(limited.url, upstream, 'POST', pathname, {
          body: '{}',
          headers: { 'content-type': 'application/json' },
        });

      const first = await login();
      const second = await login();
      const third = await login();
      // Express routes ignore case and a trailing slash: neither is a way around the limit
      const variant = await login('/api/auth/LOGIN/');

      expect([first.status, second.status]).toEqual([200, 200]);
      for (const reply of [third, variant]) {
        expectJsonError(reply, 429, 'RATE_LIMITED');
        expect(reply.headers['retry-after']).toBe('60');
        expect(reply.upstream).toBeUndefined();
      }
    });

    it('when signup has its own budget, then it is limited separately and GETs are not counted', async () => {
      const signup = (method: string) =>
        send(limited.url, upstream, method, '/api/auth/signup', {
          body: method === 'POST' ? '{}' : undefined,
        });

      const gets = [await signup('GET'), await signup('GET'), await signup('GET')];
      const posts = [await signup('POST'), await signup('POST'), await signup('POST')];

      expect(gets.map((reply) => reply.status)).toEqual([200, 200, 200]);
      expect(posts.map((reply) => reply.status)).toEqual([200, 200, 429]);
    });
  });

  describe('revocation records in Redis', () => {
    let redis: Redis;
    const prefix = () => gateway.options.redis.prefix;
    // A subject of its own per test: nothing about it is in the gateway's per-worker cache yet.
    const freshSubject = () => `revocation-${randomUUID()}`;

    beforeAll(() => {
      redis = new Redis(process.env.REDIS_URL!);
    });
    afterAll(async () => {
      await redis?.quit();
    });

    it('when the user is revoked at or after the token was issued, then 401 TOKEN_REVOKED and no upstream call', async () => {
      const sub = freshSubject();
      const issuedAtMs = Date.now() - 1000;
      const token = await mint(k1, { sub, iat: issuedAtMs / 1000 });
      await redis.set(revokedUserKey(prefix(), sub), String(issuedAtMs), 'EX', 60);

      const reply = await call('GET', '/api/orders', { token });

      expectRejectedToken(reply, 'TOKEN_REVOKED');
      expect(reply.headers['www-authenticate']).toContain('error_description="token revoked"');
    });

    it('when the token was issued after the user was revoked, then it passes', async () => {
      const sub = freshSubject();
      const issuedAtMs = Date.now();
      await redis.set(revokedUserKey(prefix(), sub), String(issuedAtMs - 1), 'EX', 60);

      const reply = await call('GET', '/api/orders', {
        token: await mint(k1, { sub, iat: issuedAtMs / 1000 }),
      });

      expect(reply.status).toBe(200);
      expect(reply.upstream?.headers['x-user-id']).toBe(sub);
    });

    it('when the login is revoked, then its tokens get 401 TOKEN_REVOKED on every checked mode while another login of the user passes', async () => {
      const sub = freshSubject();
      await redis.set(revokedLoginKey(prefix(), `${sub}-phone`), '1', 'EX', 60);
      const revoked = await mint(k1, { sub, sid: `${sub}-phone` });
      const admin = await mint(k1, { sub, sid: `${sub}-phone`, role: 'admin' });

      expectRejectedToken(await call('GET', '/api/orders', { token: revoked }), 'TOKEN_REVOKED');
      expectRejectedToken(await call('POST', '/api/cart/items', { token: revoked }), 'TOKEN_REVOKED');
      expectRejectedToken(await call('POST', '/api/products', { token: revoked }), 'TOKEN_REVOKED');
      expectRejectedToken(await call('GET', '/api/admin/users', { token: admin }), 'TOKEN_REVOKED');
      const other = await call('GET', '/api/orders', {
        token: await mint(k1, { sub, sid: `${sub}-laptop` }),
      });
      expect(other.status).toBe(200);
    });

    it('when a revocation is written after the token was used, then it is refused within a second', async () => {
      const sub = freshSubject();
      const token = await mint(k1, { sub });
      expect((await call('GET', '/api/orders', { token })).status).toBe(200);

      await redis.set(revokedLoginKey(prefix(), 'login-42'), '1', 'EX', 60);
      const deadline = Date.now() + 1000;
      let reply = await call('GET', '/api/orders', { token });
      while (reply.status === 200 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        reply = await call('GET', '/api/orders', { token });
      }
      await redis.del(revokedLoginKey(prefix(), 'login-42'));

      expectRejectedToken(reply, 'TOKEN_REVOKED');
    });
  });

  describe('revocation records in another Redis database', () => {
    let numbered: TestGateway;
    let redis: Redis;
    const prefix = `gw-db-${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      const url = new URL(process.env.REDIS_URL!);
      url.pathname = '/3';
      redis = new Redis(url.toString());
      numbered = await startTestGateway({
        upstreamPort: upstream.port,
        gatewaySecret,
        publicKeys: [{ kid: k1.kid, pem: k1.pem }],
        issuer: ISSUER,
        audience: AUDIENCE,
        redis: { url: url.toString(), prefix },
      });
    });
    afterAll(async () => {
      await numbered?.stop();
      await redis?.quit();
    });

    it('when REDIS_URL names database 3, then the gateway reads the records there (SELECT on each new connection)', async () => {
      const sub = `db3-${randomUUID()}`;
      await redis.set(revokedLoginKey(prefix, `${sub}-login`), '1', 'EX', 60);
      try {
        const revoked = await mint(k1, { sub, sid: `${sub}-login` });
        const other = await mint(k1, { sub, sid: `${sub}-other` });

        expectRejectedToken(
          await send(numbered.url, upstream, 'GET', '/api/orders', { token: revoked }),
          'TOKEN_REVOKED',
        );
        expect((await send(numbered.url, upstream, 'GET', '/api/orders', { token: other })).status).toBe(200);
      } finally {
        await redis.del(revokedLoginKey(prefix, `${sub}-login`));
      }
    });
  });

  describe('Redis unreachable', () => {
    let blind: TestGateway;

    beforeAll(async () => {
      blind = await startTestGateway({
        upstreamPort: upstream.port,
        gatewaySecret,
        publicKeys: [{ kid: k1.kid, pem: k1.pem }],
        issuer: ISSUER,
        audience: AUDIENCE,
        redis: { url: `redis://127.0.0.1:${await freePort()}`, prefix: 'nothing-listens' },
      });
    });
    afterAll(async () => {
      await blind?.stop();
    });

    it('when a token must be checked, then 503 SERVICE_UNAVAILABLE JSON with Retry-After and no upstream call (fail closed)', async () => {
      for (const [method, pathname] of [
        ['GET', '/api/orders'],
        ['GET', '/api/cart'],
        ['GET', '/api/admin/users'],
      ] as const) {
        const reply = await send(blind.url, upstream, method, pathname, {
          token: await mint(k1, { role: 'admin' }),
        });
        expectJsonError(reply, 503, 'SERVICE_UNAVAILABLE');
        expect(reply.headers['retry-after']).toBe('1');
        expect(reply.upstream).toBeUndefined();
      }
    });

    it('when a route needs no token check, then it is served as usual', async () => {
      expect((await send(blind.url, upstream, 'GET', '/api/products')).status).toBe(200);
      expect((await send(blind.url, upstream, 'GET', '/api/cart')).status).toBe(200);
      expect((await send(blind.url, upstream, 'POST', '/api/auth/logout', { body: '{}' })).status).toBe(200);
    });

    it('when a token is invalid anyway, then 401 as before, without asking Redis', async () => {
      expectRejectedToken(await send(blind.url, upstream, 'GET', '/api/orders', { token: 'a.b.c' }));
    });
  });

  describe('upstream down', () => {
    let orphan: TestGateway;

    beforeAll(async () => {
      orphan = await startTestGateway({
        upstreamPort: await freePort(), // nothing listens there
        gatewaySecret,
        publicKeys: [{ kid: k1.kid, pem: k1.pem }],
      });
    });
    afterAll(async () => {
      await orphan?.stop();
    });

    it('when the BFF is unreachable, then 502 BAD_GATEWAY JSON, never an HTML page', async () => {
      const reply = await send(orphan.url, undefined, 'GET', '/api/products');

      expectJsonError(reply, 502, 'BAD_GATEWAY');
      expect(reply.text).not.toMatch(/<html/i);
    });
  });
});
