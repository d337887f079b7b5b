/**
 * Admin user management through nginx and the BFF: search, filters, keyset pages, detail with order totals,
 * role changes, suspension (which ends every login) and the audit trail.
 */
import { insertProducts } from '../support/products';
import {
  call,
  createUserWithToken,
  eventually,
  startStack,
  uniqueEmail,
  type TestStack,
} from '../support/stack';
import { insertOrder, insertUser } from '../stats/order-fixtures';

describe('admin users', () => {
  let stack: TestStack;
  let admin: { userId: number; token: string };
  let user: { userId: number; token: string };

  beforeAll(async () => {
    stack = await startStack({ label: 'admin_users' });
    admin = await createUserWithToken(stack, 'admin');
    user = await createUserWithToken(stack, 'user');
  });
  afterAll(async () => {
    await stack?.close();
  });

  const get = (path: string, token = admin.token) => call(stack.url, 'GET', path, { token });
  const auditRows = (entityId: number) =>
    stack.database
      .db('audit_log')
      .where({ entity_type: 'user', entity_id: String(entityId) })
      .orderBy('id')
      .select('actor_user_id', 'action', 'before', 'after', 'request_id');
  const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

  it('when there is no token or not an admin one, then the gateway answers 401 or 403', async () => {
    expect((await call(stack.url, 'GET', '/api/admin/users')).status).toBe(401);
    const forbidden = await get('/api/admin/users', user.token);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('FORBIDDEN');
  });

  it('when searching by a prefix, then email, phone and name match and % and _ are taken literally', async () => {
    const tag = `srch${Date.now().toString(36)}`;
    const byEmail = await insertUser(stack.database.db, { email: `${tag}_x@example.com` });
    const decoy = await insertUser(stack.database.db, { email: `${tag}yx@example.com` });
    const byName = await insertUser(stack.database.db, { name: `${tag} Kim` });
    const byPhone = await insertUser(stack.database.db, { phone: '+821077665544' });

    const found = await get(`/api/admin/users?q=${tag}`);
    expect(found.status).toBe(200);
    expect(found.body.items.map((item: any) => item.id)).toEqual([byName, decoy, byEmail]);
    expect(found.body.items[2]).toEqual({
      id: byEmail,
      email: `${tag}_x@example.com`,
      name: null,
      phone: null,
      phoneVerified: false,
      role: 'user',
      status: 'active',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      links: { self: `/api/admin/users/${byEmail}` },
    });
    expect((await get(`/api/admin/users?q=${tag}_`)).body.items.map((item: any) => item.id)).toEqual([
      byEmail,
    ]);
    expect((await get(`/api/admin/users?q=${tag}%25`)).body.items).toEqual([]);
    expect((await get('/api/admin/users?q=%2B82107766')).body.items.map((item: any) => item.id)).toEqual([
      byPhone,
    ]);
  });

  it('when filtering by role, status and signup days, then only matching users come back', async () => {
    const tag = `flt${Date.now().toString(36)}`;
    // 2026-03-01T15:00Z is already 2026-03-02 in Seoul.
    const early = await insertUser(stack.database.db, {
      name: `${tag} early`,
      created_at: new Date('2026-03-01T14:59:59Z'),
    });
    const late = await insertUser(stack.database.db, {
      name: `${tag} late`,
      created_at: new Date('2026-03-01T15:00:00Z'),
      status: 'suspended',
    });
    const boss = await insertUser(stack.database.db, {
      name: `${tag} boss`,
      role: 'admin',
      created_at: new Date('2026-03-05T00:00:00Z'),
    });

    const ids = async (query: string) =>
      (await get(`/api/admin/users?q=${tag}&${query}`)).body.items.map((item: any) => item.id);
    expect(await ids('from=2026-03-02&to=2026-03-02')).toEqual([late]);
    expect(await ids('to=2026-03-01')).toEqual([early]);
    expect(await ids('from=2026-03-01T14:59:59Z&to=2026-03-01T15:00:00Z')).toEqual([late, early]);
    expect(await ids('role=admin')).toEqual([boss]);
    expect(await ids('status=suspended')).toEqual([late]);
    expect(await ids('status=active&role=user')).toEqual([early]);

    const backwards = await get('/api/admin/users?from=2026-03-05&to=2026-03-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.code).toBe('INVALID_DATE_RANGE');
    expect((await get('/api/admin/users?from=2026-02-30')).status).toBe(400);
    expect((await get('/api/admin/users?role=root')).status).toBe(400);
  });

  it('when paging with a cursor, then every user comes once, newest first, and the last page has no cursor', async () => {
    const tag = `pg${Date.now().toString(36)}`;
    const created: number[] = [];
    for (let index = 0; index < 5; index += 1)
      created.push(await insertUser(stack.database.db, { name: `${tag} ${index}` }));

    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: any = await get(`/api/admin/users?q=${tag}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((item: any) => item.id));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...created].reverse());

    const bad = await get('/api/admin/users?cursor=bm90LWEtY3Vyc29y');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_CURSOR');
    expect((await get('/api/admin/users?limit=101')).status).toBe(400);
  });

  it('when reading a user, then the order totals count paid orders and subtract refunded ones', async () => {
    const customer = await insertUser(stack.database.db, { name: 'Big Spender' });
    const [productId] = await insertProducts(stack.database.db, [{ price: 10_000, stock: 100 }]);
    const items = (quantity: number) => [{ productId: productId!, quantity, unitPrice: 10_000 }];
    await insertOrder(stack.database.db, {
      userId: customer,
      status: 'CONFIRMED',
      items: items(3),
      confirmedAt: new Date('2026-03-01T01:00:00Z'),
    });
    await insertOrder(stack.database.db, {
      userId: customer,
      status: 'CANCELLED',
      items: items(1),
      confirmedAt: new Date('2026-03-02T01:00:00Z'),
      cancelledAt: new Date('2026-03-03T01:00:00Z'),
    });
    await insertOrder(stack.database.db, { userId: customer, status: 'REJECTED', items: items(9) });

    const detail = await get(`/api/admin/users/${customer}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toEqual({
      user: expect.objectContaining({ id: customer, name: 'Big Spender', role: 'user', status: 'active' }),
      orders: {
        placed: 3,
        confirmed: 2,
        refunded: 1,
        grossSpent: 40_000,
        refundedAmount: 10_000,
        totalSpent: 30_000,
        lastOrderAt: expect.any(String),
      },
      activeSessions: 0,
      links: { orders: `/api/admin/orders?userId=${customer}` },
    });
    expect((await get('/api/admin/users/999999999')).status).toBe(404);
  });

  it('when an admin changes a role, then it is saved and audited with actor, before, after and request id', async () => {
    const target = await insertUser(stack.database.db);
    const promoted = await call(stack.url, 'PATCH', `/api/admin/users/${target}`, {
      token: admin.token,
      body: { role: 'admin' },
      headers: { 'x-request-id': 'admin-role-change-1' },
    });
    expect(promoted.status).toBe(200);
    expect(promoted.body.user).toMatchObject({ id: target, role: 'admin' });

    const same = await call(stack.url, 'PATCH', `/api/admin/users/${target}`, {
      token: admin.token,
      body: { role: 'admin' },
    });
    expect(same.status).toBe(200);
    const rows = await auditRows(target);
    expect(rows).toHaveLength(1);
    expect({ ...rows[0], before: json(rows[0].before), after: json(rows[0].after) }).toEqual({
      actor_user_id: admin.userId,
      action: 'user.role.change',
      before: { role: 'user' },
      after: { role: 'admin' },
      request_id: 'admin-role-change-1',
    });

    const unknownField = await call(stack.url, 'PATCH', `/api/admin/users/${target}`, {
      token: admin.token,
      body: { role: 'admin', status: 'suspended' },
    });
    expect(unknownField.status).toBe(400);
  });

  it('when an admin is suspended or demoted, then their still-valid token is revoked at once', async () => {
    const suspended = await createUserWithToken(stack, 'admin');
    const demoted = await createUserWithToken(stack, 'admin');
    expect((await get('/api/admin/users?limit=1', suspended.token)).status).toBe(200);
    expect(
      (await call(stack.url, 'POST', `/api/admin/users/${suspended.userId}/suspend`, { token: admin.token }))
        .status,
    ).toBe(200);
    expect(
      (
        await call(stack.url, 'PATCH', `/api/admin/users/${demoted.userId}`, {
          token: admin.token,
          body: { role: 'user' },
        })
      ).status,
    ).toBe(200);
    // The BFF's admin guard refuses them at once (403); within a second (the gateway's per-worker cache) the
    // gateway refuses them itself: the per-user revocation record.
    for (const token of [suspended.token, demoted.token]) {
      const response = await eventually(
        async () => {
          const answer = await get('/api/admin/users?limit=1', token);
          if (answer.status === 403) return undefined;
          return answer;
        },
        1000,
        'the gateway refusing the revoked token',
      );
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('TOKEN_REVOKED');
      const dashboard = await call(stack.url, 'GET', '/admin/queues/api/queues', { token });
      expect(dashboard.status).toBe(401);
    }
    // The suspended admin cannot reactivate themself either.
    expect(
      (
        await call(stack.url, 'POST', `/api/admin/users/${suspended.userId}/reactivate`, {
          token: suspended.token,
        })
      ).status,
    ).toBe(401);
  });

  it('when a role change has no role, then 400', async () => {
    const response = await call(stack.url, 'PATCH', `/api/admin/users/${user.userId}`, {
      token: admin.token,
      body: {},
    });
    expect(response.status).toBe(400);
  });

  it('when an admin demotes or suspends themself, then 409 with a code that says so', async () => {
    const demote = await call(stack.url, 'PATCH', `/api/admin/users/${admin.userId}`, {
      token: admin.token,
      body: { role: 'user' },
    });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('CANNOT_DEMOTE_SELF');
    const suspend = await call(stack.url, 'POST', `/api/admin/users/${admin.userId}/suspend`, {
      token: admin.token,
    });
    expect(suspend.status).toBe(409);
    expect(suspend.body.error.code).toBe('CANNOT_SUSPEND_SELF');
    const me = await stack.database.db('users').where({ id: admin.userId }).first('role', 'status');
    expect(me).toEqual({ role: 'admin', status: 'active' });
  });

  it('when a user is suspended, then every refresh token is revoked at once, login is refused, and reactivation restores it', async () => {
    const email = uniqueEmail('suspend');
    const password = 'Secret123!';
    const signup = await call(stack.url, 'POST', '/api/auth/signup', { body: { email, password } });
    expect(signup.status).toBe(201);
    const targetId = signup.body.user.id as number;
    const logins = [];
    for (let index = 0; index < 2; index += 1)
      logins.push((await call(stack.url, 'POST', '/api/auth/login', { body: { email, password } })).body);
    expect((await get(`/api/admin/users/${targetId}`)).body.activeSessions).toBe(2);

    const suspended = await call(stack.url, 'POST', `/api/admin/users/${targetId}/suspend`, {
      token: admin.token,
    });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toEqual({
      user: expect.objectContaining({ id: targetId, status: 'suspended' }),
      revokedSessions: 2,
    });
    expect(
      await stack.database
        .db('refresh_tokens')
        .where({ user_id: targetId })
        .whereNull('revoked_at')
        .count({ n: '*' }),
    ).toEqual([{ n: 0 }]);
    const refresh = await call(stack.url, 'POST', '/api/auth/refresh', {
      body: { refreshToken: logins[0].refreshToken },
    });
    expect(refresh.status).toBe(401);
    const login = await call(stack.url, 'POST', '/api/auth/login', { body: { email, password } });
    expect(login.status).toBe(403);
    expect(login.body.error.code).toBe('ACCOUNT_SUSPENDED');

    const again = await call(stack.url, 'POST', `/api/admin/users/${targetId}/suspend`, {
      token: admin.token,
    });
    expect(again.body.revokedSessions).toBe(0);

    const reactivated = await call(stack.url, 'POST', `/api/admin/users/${targetId}/reactivate`, {
      token: admin.token,
    });
    expect(reactivated.status).toBe(200);
    expect(reactivated.body.user.status).toBe('active');
    expect((await call(stack.url, 'POST', '/api/auth/login', { body: { email, password } })).status).toBe(
      200,
    );

    const rows = await auditRows(targetId);
    expect(
      rows.map((row: any) => [row.action, json(row.before), json(row.after), row.actor_user_id]),
    ).toEqual([
      ['user.suspend', { status: 'active' }, { status: 'suspended', revokedSessions: 2 }, admin.userId],
      ['user.reactivate', { status: 'suspended' }, { status: 'active' }, admin.userId],
    ]);
    expect(rows.every((row: any) => typeof row.request_id === 'string' && row.request_id.length > 0)).toBe(
      true,
    );
  });
});
