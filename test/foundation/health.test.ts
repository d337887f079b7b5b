import { startTestBff, type TestBff } from '../support/bff';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { deleteRedisPrefix, testRedisPrefix } from '../support/redis';

describe('health endpoints', () => {
  let database: TestDatabase;
  let bff: TestBff;
  const prefix = testRedisPrefix('health');

  beforeAll(async () => {
    database = await createTestDatabase('health', { migrate: false });
    bff = await startTestBff({ DATABASE_URL: database.url, REDIS_PREFIX: prefix });
  });
  afterAll(async () => {
    await bff.close();
    await database.drop();
    await deleteRedisPrefix(process.env.REDIS_URL!, prefix);
  });

  it('when /healthz is called, then it answers 200 and echoes the request id', async () => {
    const response = await fetch(`${bff.url}/healthz`, { headers: { 'x-request-id': 'health-check-0001' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('health-check-0001');
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('when MySQL and Redis answer, then /readyz is 200', async () => {
    const response = await fetch(`${bff.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ready: true,
      checks: { mysql: { ok: true }, redis: { ok: true }, eventLoop: { ok: true } },
    });
  });

  it('when Redis is unreachable, then /readyz is 503 naming Redis', async () => {
    const broken = await startTestBff({
      DATABASE_URL: database.url,
      REDIS_PREFIX: prefix,
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    try {
      const response = await fetch(`${broken.url}/readyz`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as {
        ready: boolean;
        checks: { mysql: { ok: boolean }; redis: { ok: boolean } };
      };
      expect(body.ready).toBe(false);
      expect(body.checks.mysql.ok).toBe(true);
      expect(body.checks.redis.ok).toBe(false);
    } finally {
      await broken.close();
    }
  });

  it('when the event loop lags beyond READY_MAX_EVENT_LOOP_LAG_MS, then /readyz is 503 naming the event loop, and 200 again once it runs freely', async () => {
    const lagging = await startTestBff({
      DATABASE_URL: database.url,
      REDIS_PREFIX: prefix,
      READY_MAX_EVENT_LOOP_LAG_MS: '300',
    });
    try {
      // The BFF runs in this process: a synchronous loop here is a real stall of its event loop.
      const until = Date.now() + 1_000;
      while (Date.now() < until) {
        // spin
      }
      const stalled = await fetch(`${lagging.url}/readyz`);
      expect(stalled.status).toBe(503);
      const body = (await stalled.json()) as {
        ready: boolean;
        checks: Record<string, { ok: boolean; error?: string }>;
      };
      expect(body.ready).toBe(false);
      expect(body.checks.eventLoop).toEqual({
        ok: false,
        error: expect.stringMatching(/^event loop lagging \d+ ms \(limit 300 ms\)$/),
      });
      expect(body.checks.mysql).toEqual({ ok: true });
      expect(body.checks.redis).toEqual({ ok: true });

      const deadline = Date.now() + 15_000;
      let status = stalled.status;
      while (status !== 200 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = (await fetch(`${lagging.url}/readyz`)).status;
      }
      expect(status).toBe(200);
    } finally {
      await lagging.close();
    }
  });

  it('when a request skips the gateway secret, then it is refused with 401 JSON', async () => {
    const response = await fetch(`${bff.url}/api/users/me`, {
      headers: { 'x-user-id': '1', 'x-user-role': 'admin' },
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe('UNAUTHORIZED');
    expect(body.error.requestId).toEqual(expect.any(String));
  });

  it('when the gateway secret is right but the route is unknown, then 404 JSON', async () => {
    const response = await fetch(`${bff.url}/api/nowhere`, {
      headers: { 'x-gateway-secret': bff.config.GATEWAY_SECRET },
    });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });
});
