/**
 * Bull Board behind the gateway: who gets in (token, cookie), CSRF on cookie-authenticated writes, and the
 * board's own retry, promote and clean endpoints changing real jobs.
 */
import { Queue, Worker, type Job } from 'bullmq';
import { bullPrefix, closeRedis, createRedis, type Redis } from '../../shared/redis';
import { startTestBff, type TestBff } from '../support/bff';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { deleteRedisPrefix, testRedisPrefix } from '../support/redis';
import { call, createUserWithToken, startStack, type TestStack } from '../support/stack';

describe('queue dashboard', () => {
  let stack: TestStack;
  let admin: { userId: number; token: string };
  let user: { userId: number; token: string };
  let connection: Redis;
  let notifications: Queue;

  beforeAll(async () => {
    stack = await startStack({ label: 'dashboard' });
    admin = await createUserWithToken(stack, 'admin');
    user = await createUserWithToken(stack, 'user');
    connection = createRedis(process.env.REDIS_URL!, 'worker');
    notifications = new Queue('notifications', { connection, prefix: bullPrefix(stack.env.REDIS_PREFIX!) });
  });
  afterAll(async () => {
    await notifications?.close();
    if (connection) await closeRedis(connection);
    await stack?.close();
  });

  /** Adds a job and fails it the way a worker would (no worker runs in this stack). */
  async function failedJob(id: string): Promise<Job> {
    await notifications.add('send-sms', { to: '+821012345678', text: id }, { jobId: id, attempts: 1 });
    const worker = new Worker('notifications', null, {
      connection,
      prefix: bullPrefix(stack.env.REDIS_PREFIX!),
      autorun: false,
    });
    try {
      const token = `test-${id}`;
      const job = (await worker.getNextJob(token))!;
      expect(job.id).toBe(id);
      await job.moveToFailed(new Error('provider down'), token, false);
      return job;
    } finally {
      await worker.close();
    }
  }
  const stateOf = async (id: string) => (await notifications.getJob(id))?.getState();
  const board = (method: string, path: string, options: Parameters<typeof call>[3] = {}) =>
    call(stack.url, method, `/admin/queues${path}`, options);
  const cookieOf = (token: string) => ({ cookie: `vm_admin=${token}` });

  it('when there is no token, then 401; a user token, then 403; an admin token, then the board', async () => {
    expect((await board('GET', '/')).status).toBe(401);
    expect((await board('GET', '/', { token: user.token })).status).toBe(403);
    const page = await board('GET', '/', { token: admin.token });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.body).toContain('<base href="/admin/queues/"');
    expect(page.headers.get('x-powered-by')).toBeNull();
    const script = /src="(static\/js\/main\.[^"]+\.js)"/.exec(page.body)?.[1];
    const asset = await board('GET', `/${script}`, { token: admin.token });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);

    const queues = await board('GET', '/api/queues', { token: admin.token });
    expect(queues.status).toBe(200);
    expect(queues.body.queues.map((queue: any) => queue.name).sort()).toEqual([
      'notifications',
      'orders',
      'payments',
      'stats',
      'stock',
    ]);
  });

  it('when the board is asked for more than 300 jobs per page, then it is a 400 VALIDATION_FAILED, not a read of every job', async () => {
    for (const jobsPerPage of ['301', '100000000']) {
      const page = await board(
        'GET',
        `/api/queues?activeQueue=notifications&status=completed&jobsPerPage=${jobsPerPage}`,
        {
          token: admin.token,
        },
      );
      expect({ jobsPerPage, status: page.status, code: page.body?.error?.code }).toEqual({
        jobsPerPage,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect(page.body.error.requestId).toEqual(expect.any(String));
    }
    const allowed = await board(
      'GET',
      '/api/queues?activeQueue=notifications&status=completed&jobsPerPage=300',
      {
        token: admin.token,
      },
    );
    expect(allowed.status).toBe(200);
  });

  it('when an admin opens a dashboard session, then an HttpOnly SameSite=Strict cookie scoped to the board carries the token', async () => {
    const session = await call(stack.url, 'POST', '/api/admin/dashboard-session', { token: admin.token });
    expect(session.status).toBe(201);
    expect(session.body).toEqual({ dashboard: '/admin/queues/', expiresAt: expect.any(String) });
    const cookie = session.headers.get('set-cookie')!;
    expect(cookie).toMatch(new RegExp(`^vm_admin=${admin.token.replace(/\./g, '\\.')}; `));
    expect(cookie).toMatch(/; Path=\/admin\/queues(;|$)/);
    expect(cookie).toMatch(/; HttpOnly(;|$)/);
    expect(cookie).toMatch(/; SameSite=Strict(;|$)/);
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)?.[1]);
    expect(maxAge).toBeGreaterThan(stack.bff.config.ACCESS_TOKEN_TTL_SECONDS - 60);
    expect(maxAge).toBeLessThanOrEqual(stack.bff.config.ACCESS_TOKEN_TTL_SECONDS);

    expect(
      (await call(stack.url, 'POST', '/api/admin/dashboard-session', { token: user.token })).status,
    ).toBe(403);
    const cleared = await call(stack.url, 'DELETE', '/api/admin/dashboard-session', { token: admin.token });
    expect(cleared.status).toBe(204);
    expect(cleared.headers.get('set-cookie')).toMatch(
      /^vm_admin=; Path=\/admin\/queues; Expires=Thu, 01 Jan 1970/,
    );
  });

  it('when the cookie comes without an Authorization header, then the gateway accepts it on the board only', async () => {
    expect((await board('GET', '/api/queues', { headers: cookieOf(admin.token) })).status).toBe(200);
    expect((await board('GET', '/', { headers: cookieOf(user.token) })).status).toBe(403);
    expect((await board('GET', '/', { headers: cookieOf('not-a-token') })).status).toBe(401);
    // Anywhere else the cookie is no credential at all.
    const elsewhere = await call(stack.url, 'GET', '/api/admin/users', { headers: cookieOf(admin.token) });
    expect(elsewhere.status).toBe(401);
    expect((await call(stack.url, 'GET', '/api/users/me', { headers: cookieOf(admin.token) })).status).toBe(
      401,
    );
    // A header, when present, is what counts.
    expect(
      (await board('GET', '/api/queues', { token: user.token, headers: cookieOf(admin.token) })).status,
    ).toBe(403);
  });

  it('when a write comes with the cookie, then it must prove it comes from the board itself', async () => {
    const pause = (headers: Record<string, string>) =>
      board('PUT', '/api/queues/notifications/pause', { headers: { ...cookieOf(admin.token), ...headers } });

    const bare = await pause({});
    expect(bare.status).toBe(403);
    expect(bare.body.error.code).toBe('CSRF_REJECTED');
    expect((await pause({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await pause({ 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await pause({ origin: 'http://evil.example' })).status).toBe(403);
    // Both headers must agree: a same-origin claim beside another origin is refused.
    expect((await pause({ 'sec-fetch-site': 'same-origin', origin: 'http://evil.example' })).status).toBe(
      403,
    );
    expect(await notifications.isPaused()).toBe(false);

    expect((await pause({ 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect(await notifications.isPaused()).toBe(true);
    const resume = await board('PUT', '/api/queues/notifications/resume', {
      headers: { ...cookieOf(admin.token), origin: stack.bff.config.PUBLIC_BASE_URL },
    });
    expect(resume.status).toBe(200);
    expect(await notifications.isPaused()).toBe(false);
  });

  it('when a browser loads a board page without an admin session, then it is sent to the console login with the page to come back to', async () => {
    const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
    const anonymous = await board('GET', '/queue/notifications?status=failed', { headers: html });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe(
      '/admin/login?next=%2Fadmin%2Fqueues%2Fqueue%2Fnotifications%3Fstatus%3Dfailed',
    );
    expect(anonymous.headers.get('cache-control')).toBe('no-store');
    const asUser = await board('GET', '/', { headers: { ...html, ...cookieOf(user.token) } });
    expect(asUser.status).toBe(302);
    expect(asUser.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Fqueues%2F');
    expect((await board('GET', '/', { headers: { ...html, ...cookieOf('not-a-token') } })).status).toBe(302);

    // API clients and the board's own calls keep their JSON answers.
    const api = await board('GET', '/api/queues', { headers: { accept: 'application/json' } });
    expect(api.status).toBe(401);
    expect(api.body.error.code).toBe('UNAUTHORIZED');
    expect((await board('POST', '/', { headers: html })).status).toBe(401);
    expect((await board('GET', '/', { headers: { ...html, ...cookieOf(admin.token) } })).status).toBe(200);
  });

  it('when the board page loads, then it names nothing from another origin (no external fonts or scripts)', async () => {
    const page = await board('GET', '/', { headers: cookieOf(admin.token) });
    expect(page.status).toBe(200);
    expect(page.body).not.toMatch(/googleapis|gstatic/);
    expect(page.body).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    expect(page.body).toContain('static/css/main.');
  });

  it('when an admin retries, promotes and cleans jobs through the board, then the jobs change and each action is audited', async () => {
    const suffix = Date.now().toString(36);
    await failedJob(`dash-failed-a-${suffix}`);
    await failedJob(`dash-failed-b-${suffix}`);
    await failedJob(`dash-failed-c-${suffix}`);
    expect(await stateOf(`dash-failed-a-${suffix}`)).toBe('failed');

    const retry = await board('PUT', `/api/queues/notifications/dash-failed-a-${suffix}/retry`, {
      token: admin.token,
    });
    expect(retry.status).toBe(204);
    expect(await stateOf(`dash-failed-a-${suffix}`)).toBe('waiting');

    const retryAll = await board('PUT', '/api/queues/notifications/retry/failed', { token: admin.token });
    expect(retryAll.status).toBe(200);
    expect(await stateOf(`dash-failed-b-${suffix}`)).toBe('waiting');
    expect(await stateOf(`dash-failed-c-${suffix}`)).toBe('waiting');

    await notifications.add(
      'send-sms',
      { to: '+821012345678', text: 'later' },
      {
        jobId: `dash-delayed-${suffix}`,
        delay: 3_600_000,
      },
    );
    expect(await stateOf(`dash-delayed-${suffix}`)).toBe('delayed');
    const promote = await board('PUT', `/api/queues/notifications/dash-delayed-${suffix}/promote`, {
      token: admin.token,
    });
    expect(promote.status).toBe(204);
    expect(await stateOf(`dash-delayed-${suffix}`)).toBe('waiting');

    const clean = await board('PUT', `/api/queues/notifications/dash-delayed-${suffix}/clean`, {
      token: admin.token,
    });
    expect(clean.status).toBe(204);
    expect(await notifications.getJob(`dash-delayed-${suffix}`)).toBeUndefined();

    const missing = await board('PUT', '/api/queues/notifications/no-such-job/retry', { token: admin.token });
    expect(missing.status).toBe(404);

    const audit = await stack.database
      .db('audit_log')
      .where({ action: 'queue.dashboard.write', entity_type: 'queue', entity_id: 'notifications' })
      .where('after', 'like', `%${suffix}%`)
      .orderBy('id')
      .select('actor_user_id', 'after');
    expect(
      audit.map((row: any) => [
        row.actor_user_id,
        (typeof row.after === 'string' ? JSON.parse(row.after) : row.after).path,
      ]),
    ).toEqual([
      [admin.userId, `/admin/queues/api/queues/notifications/dash-failed-a-${suffix}/retry`],
      [admin.userId, `/admin/queues/api/queues/notifications/dash-delayed-${suffix}/promote`],
      [admin.userId, `/admin/queues/api/queues/notifications/dash-delayed-${suffix}/clean`],
    ]);
  });
});

describe('queue dashboard in read-only mode', () => {
  let database: TestDatabase;
  let bff: TestBff;
  let prefix: string;

  let adminId = '';

  beforeAll(async () => {
    database = await createTestDatabase('dashboard_ro');
    prefix = testRedisPrefix('dashboard_ro');
    bff = await startTestBff({
      DATABASE_URL: database.url,
      REDIS_PREFIX: prefix,
      QUEUE_DASHBOARD_READ_ONLY: 'true',
    });
    const [id] = await database
      .db('users')
      .insert({ email: 'ro-admin@example.com', role: 'admin', status: 'active' });
    adminId = String(id);
  });
  afterAll(async () => {
    await bff?.close();
    await database?.drop();
    await deleteRedisPrefix(process.env.REDIS_URL!, prefix);
  });

  it('when QUEUE_DASHBOARD_READ_ONLY is set, then the board reads but refuses every write', async () => {
    // Straight to the BFF, as the gateway would forward an admin.
    const headers = {
      'x-gateway-secret': bff.config.GATEWAY_SECRET,
      'x-user-id': adminId,
      'x-user-role': 'admin',
      authorization: 'Bearer checked-by-the-gateway',
    };
    expect((await call(bff.url, 'GET', '/admin/queues/api/queues', { headers })).status).toBe(200);
    const pause = await call(bff.url, 'PUT', '/admin/queues/api/queues/stats/pause', { headers });
    expect(pause.status).toBe(405);
    const asUser = await call(bff.url, 'GET', '/admin/queues/api/queues', {
      headers: { ...headers, 'x-user-role': 'user' },
    });
    expect(asUser.status).toBe(403);
  });
});
