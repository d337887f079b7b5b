/**
 * Suspension, demotion and logout act at once, through the real gateway: the BFF writes a revocation record
 * in Redis (per user, per login) and the gateway's Lua consults it on every token-checked request, cached
 * per nginx worker for at most a second. Redis out of reach: token-checked routes fail closed (503).
 */
import { createPublicKey } from 'node:crypto';
import { Redis } from 'ioredis';
import { revocationTtlSeconds, revokedUserKey, sessionRevocations } from '../../shared/session-revocation';
import { startTestGateway, type TestGateway } from '../support/gateway';
import {
  call,
  createUserWithToken,
  eventually,
  startStack,
  uniqueEmail,
  type TestStack,
} from '../support/stack';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

/** The gateway answers within a second of the admin's action (its per-worker cache lives at most 1 s). */
const REVOCATION_DEADLINE_MS = 1000;

describe('suspension, demotion and logout end access tokens at once', () => {
  let stack: TestStack;
  let admin: { userId: number; token: string };

  beforeAll(async () => {
    stack = await startStack({ label: 'revocation' });
    admin = await createUserWithToken(stack, 'admin');
  });
  afterAll(async () => {
    await stack?.close();
  });

  const password = 'Passw0rd!';

  async function signup(): Promise<{ email: string; userId: number }> {
    const email = uniqueEmail('revoked');
    const response = await call(stack.url, 'POST', '/api/auth/signup', { body: { email, password } });
    expect(response.status).toBe(201);
    return { email, userId: response.body.user.id as number };
  }

  async function login(email: string): Promise<{ accessToken: string; refreshToken: string }> {
    const response = await call(stack.url, 'POST', '/api/auth/login', { body: { email, password } });
    expect(response.status).toBe(200);
    return response.body;
  }

  const me = (token: string) => call(stack.url, 'GET', '/api/users/me', { token });

  /** Polls until `token` is refused as revoked on /api/users/me, bounded by the one-second promise. */
  async function expectRevokedWithinDeadline(token: string): Promise<void> {
    await eventually(
      async () => ((await me(token)).status === 401 ? true : undefined),
      REVOCATION_DEADLINE_MS,
      'the revoked token refused',
    );
    expectRevoked(await me(token));
  }

  function expectRevoked(response: Awaited<ReturnType<typeof call>>): void {
    expect({ status: response.status, body: response.body }).toEqual({
      status: 401,
      body: { error: { code: 'TOKEN_REVOKED', message: expect.any(String), requestId: expect.any(String) } },
    });
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="voltmall", error="invalid_token", error_description="token revoked"',
    );
  }

  it('when an admin suspends a user, then within a second that user’s access token is refused on every customer route', async () => {
    const { email, userId } = await signup();
    const { accessToken } = await login(email);
    expect((await me(accessToken)).status).toBe(200);

    const suspended = await call(stack.url, 'POST', `/api/admin/users/${userId}/suspend`, {
      token: admin.token,
    });
    expect(suspended.status).toBe(200);

    await expectRevokedWithinDeadline(accessToken);
    const token = accessToken;
    expectRevoked(
      await call(stack.url, 'POST', '/api/cart/items', { token, body: { productId: 1, quantity: 1 } }),
    );
    expectRevoked(await call(stack.url, 'GET', '/api/cart', { token }));
    expectRevoked(
      await call(stack.url, 'POST', '/api/orders', {
        token,
        headers: { 'idempotency-key': `revoked-${userId}` },
        body: { items: [{ productId: 1, quantity: 1 }] },
      }),
    );
    expectRevoked(await call(stack.url, 'GET', '/api/orders', { token }));
    expectRevoked(
      await call(stack.url, 'POST', '/api/auth/sms/send', { token, body: { phone: '+821012345678' } }),
    );
  });

  it('when a suspended user is reactivated, then a new login works at once while the old token stays refused', async () => {
    const { email, userId } = await signup();
    const before = await login(email);
    expect(
      (await call(stack.url, 'POST', `/api/admin/users/${userId}/suspend`, { token: admin.token })).status,
    ).toBe(200);
    await expectRevokedWithinDeadline(before.accessToken);

    expect(
      (await call(stack.url, 'POST', `/api/admin/users/${userId}/reactivate`, { token: admin.token })).status,
    ).toBe(200);
    // Logged in within the same second as the suspension: the token must still count as issued after it.
    const after = await login(email);

    const response = await me(after.accessToken);
    expect(response.status).toBe(200);
    expect(response.body.user).toMatchObject({ id: userId, email });
    expectRevoked(await me(before.accessToken));
  });

  it('when a user logs out, then that login’s access token is refused while another login’s still works', async () => {
    const { email } = await signup();
    const phone = await login(email);
    const laptop = await login(email);
    expect((await me(phone.accessToken)).status).toBe(200);

    const logout = await call(stack.url, 'POST', '/api/auth/logout', {
      body: { refreshToken: phone.refreshToken },
    });
    expect(logout.status).toBe(204);

    await expectRevokedWithinDeadline(phone.accessToken);
    expect((await me(laptop.accessToken)).status).toBe(200);
  });

  it('when a refreshed login’s spent refresh token is presented again, then every access token of that login is refused', async () => {
    const { email } = await signup();
    const first = await login(email);
    const other = await login(email);
    const rotated = await call(stack.url, 'POST', '/api/auth/refresh', {
      body: { refreshToken: first.refreshToken },
    });
    expect(rotated.status).toBe(200);
    expect((await me(rotated.body.accessToken)).status).toBe(200);

    const reuse = await call(stack.url, 'POST', '/api/auth/refresh', {
      body: { refreshToken: first.refreshToken },
    });
    expect(reuse.status).toBe(401);

    await expectRevokedWithinDeadline(rotated.body.accessToken);
    expectRevoked(await me(first.accessToken));
    expect((await me(other.accessToken)).status).toBe(200);
  });

  it('when an admin is demoted, then their admin-role token is refused at once on admin and customer routes', async () => {
    const demoted = await createUserWithToken(stack, 'admin');
    expect((await call(stack.url, 'GET', '/api/admin/users?limit=1', { token: demoted.token })).status).toBe(
      200,
    );

    const change = await call(stack.url, 'PATCH', `/api/admin/users/${demoted.userId}`, {
      token: admin.token,
      body: { role: 'user' },
    });
    expect(change.status).toBe(200);

    await expectRevokedWithinDeadline(demoted.token);
    expectRevoked(await call(stack.url, 'GET', '/api/admin/users?limit=1', { token: demoted.token }));
    expectRevoked(await call(stack.url, 'GET', '/admin/queues/api/queues', { token: demoted.token }));
  });

  /** Polls until the BFF's statement that reads the account row for share is running (waiting for its lock). */
  async function untilTheAccountRowIsAwaited(): Promise<void> {
    await eventually(
      async () => {
        const [rows] = (await stack.database.db.raw(
          `SELECT COUNT(*) AS waiting FROM information_schema.processlist
            WHERE db = DATABASE() AND command = 'Query' AND info LIKE 'select %from \`users\`% lock in share mode'`,
        )) as [{ waiting: number | string }[]];
        return Number(rows[0]?.waiting) > 0 ? true : undefined;
      },
      // A login first checks the password (scrypt): slow on a busy machine, so the bound is generous.
      30_000,
      'the account row awaited by the BFF',
    );
  }

  it('when a login is in flight while a suspension commits, then the login is refused instead of getting a session the suspension missed', async () => {
    const { email, userId } = await signup();
    // The admin's suspension, held open: the account row locked and marked suspended, nothing committed yet.
    const suspension = await stack.database.db.transaction();
    try {
      await suspension('users').where({ id: userId }).forUpdate().first();
      await suspension('users').where({ id: userId }).update({ status: 'suspended' });
      const login = call(stack.url, 'POST', '/api/auth/login', { body: { email, password } });
      await untilTheAccountRowIsAwaited();
      await suspension.commit();

      const response = await login;
      expect({ status: response.status, code: response.body.error?.code }).toEqual({
        status: 403,
        code: 'ACCOUNT_SUSPENDED',
      });
      expect(await stack.database.db('refresh_tokens').where({ user_id: userId }).count({ n: '*' })).toEqual([
        { n: 0 },
      ]);
    } finally {
      if (!suspension.isCompleted()) await suspension.rollback();
    }
  });

  it('when a refresh is in flight while a role change commits, then the new token carries the new role', async () => {
    const { email, userId } = await signup();
    await stack.database.db('users').where({ id: userId }).update({ role: 'admin' });
    const { refreshToken } = await login(email);
    const change = await stack.database.db.transaction();
    try {
      await change('users').where({ id: userId }).forUpdate().first();
      await change('users').where({ id: userId }).update({ role: 'user' });
      const refresh = call(stack.url, 'POST', '/api/auth/refresh', { body: { refreshToken } });
      await untilTheAccountRowIsAwaited();
      await change.commit();

      const response = await refresh;
      expect(response.status).toBe(200);
      const claims = JSON.parse(
        Buffer.from(String(response.body.accessToken).split('.')[1]!, 'base64url').toString('utf8'),
      ) as { role: string };
      expect(claims.role).toBe('user');
    } finally {
      if (!change.isCompleted()) await change.rollback();
    }
  });

  it('when a later revocation carries an earlier cutoff (a BFF whose clock lags), then the cutoff stays and the TTL is renewed', async () => {
    const redis = new Redis(stack.bff.config.REDIS_URL);
    try {
      const revocations = sessionRevocations({ redis, config: stack.bff.config });
      const key = revokedUserKey(stack.bff.config.REDIS_PREFIX, 999_001);
      const ttl = revocationTtlSeconds(stack.bff.config.ACCESS_TOKEN_TTL_SECONDS);

      await revocations.revokeUser(999_001, 2_000_000_000_500);
      await redis.expire(key, 5);
      await revocations.revokeUser(999_001, 2_000_000_000_000);

      expect(await redis.get(key)).toBe('2000000000500');
      expect(await redis.ttl(key)).toBeGreaterThan(ttl - 5);
    } finally {
      await redis.quit();
    }
  });

  describe('when Redis cannot be reached', () => {
    let proxy: TcpProxy;
    let gateway: TestGateway;

    beforeAll(async () => {
      const redisUrl = new URL(stack.bff.config.REDIS_URL);
      proxy = await startTcpProxy({ host: redisUrl.hostname, port: Number(redisUrl.port || 6379) });
      redisUrl.hostname = '127.0.0.1';
      redisUrl.port = String(proxy.port);
      gateway = await startTestGateway({
        upstreamPort: stack.bff.port,
        gatewaySecret: stack.bff.config.GATEWAY_SECRET,
        publicKeys: [
          {
            kid: stack.bff.config.JWT_KID,
            pem: createPublicKey(stack.bff.config.JWT_PRIVATE_KEY)
              .export({ format: 'pem', type: 'spki' })
              .toString(),
          },
        ],
        issuer: stack.bff.config.JWT_ISSUER,
        audience: stack.bff.config.JWT_AUDIENCE,
        redis: { url: redisUrl.toString(), prefix: stack.env.REDIS_PREFIX! },
      });
    });
    afterAll(async () => {
      await gateway?.stop();
      await proxy?.close();
    });

    it('then token-checked routes answer 503 SERVICE_UNAVAILABLE with Retry-After, public routes still answer, and service resumes when it is back', async () => {
      const { token } = await createUserWithToken(stack, 'user');
      expect((await call(gateway.url, 'GET', '/api/users/me', { token })).status).toBe(200);
      await proxy.cut();

      // The per-worker cache may still hold this login for up to a second.
      const refused = await eventually(
        async () => {
          const response = await call(gateway.url, 'GET', '/api/users/me', { token });
          return response.status === 200 ? undefined : response;
        },
        5000,
        'the gateway failing closed',
      );
      expect({ status: refused.status, body: refused.body }).toEqual({
        status: 503,
        body: {
          error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String), requestId: expect.any(String) },
        },
      });
      expect(refused.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
      expect((await call(gateway.url, 'POST', '/api/cart/items', { token, body: {} })).status).toBe(503);
      expect((await call(gateway.url, 'GET', '/api/products')).status).toBe(200);
      expect((await call(gateway.url, 'GET', '/api/cart', { headers: {} })).status).not.toBe(503);

      await proxy.restore();
      await eventually(
        async () =>
          (await call(gateway.url, 'GET', '/api/users/me', { token })).status === 200 ? true : undefined,
        5000,
        'the gateway serving again',
      );
    });
  });
});
