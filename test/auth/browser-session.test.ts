/**
 * Browser sessions through the gateway: the refresh token only in an HttpOnly cookie scoped to the session
 * routes, the double-submit CSRF token on every cookie-authenticated call, Origin / Sec-Fetch-Site checks,
 * rotation with reuse detection, suspension, and sign-out revoking the login's access tokens at once.
 */
import { freePort } from '../support/gateway';
import {
  call,
  createUserWithToken,
  eventually,
  startStack,
  uniqueEmail,
  type TestStack,
} from '../support/stack';

const PASSWORD = 'Passw0rd!';
/** The gateway caches a revocation check for at most a second per worker (docs/ARCHITECTURE.md). */
const REVOCATION_DEADLINE_MS = 2_000;

interface Cookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

function cookiesOf(headers: Headers): Record<string, Cookie> {
  const cookies: Record<string, Cookie> = {};
  for (const line of headers.getSetCookie()) {
    const [pair = '', ...rest] = line.split(';').map((part) => part.trim());
    const at = pair.indexOf('=');
    const attributes: Record<string, string | true> = {};
    for (const attribute of rest) {
      const eq = attribute.indexOf('=');
      if (eq === -1) attributes[attribute.toLowerCase()] = true;
      else attributes[attribute.slice(0, eq).toLowerCase()] = attribute.slice(eq + 1);
    }
    cookies[pair.slice(0, at)] = { name: pair.slice(0, at), value: pair.slice(at + 1), attributes };
  }
  return cookies;
}

describe('browser sessions through the gateway', () => {
  let stack: TestStack;
  let publicBaseUrl: string;
  let admin: { token: string };

  beforeAll(async () => {
    const gatewayPort = await freePort();
    publicBaseUrl = `http://127.0.0.1:${gatewayPort}`;
    stack = await startStack({
      label: 'browsersession',
      env: { PUBLIC_BASE_URL: publicBaseUrl, REFRESH_TOKEN_TTL_SECONDS: '86400' },
      gateway: { listenPort: gatewayPort },
    });
    admin = await createUserWithToken(stack, 'admin');
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function signUp(name?: string): Promise<string> {
    const email = uniqueEmail('browser');
    const signup = await call(stack.url, 'POST', '/api/auth/signup', {
      body: { email, password: PASSWORD, ...(name ? { name } : {}) },
    });
    expect(signup.status).toBe(201);
    return email;
  }

  /** Signs in as a browser on the shop's page would, and returns the session's cookies and body. */
  async function signIn(email: string) {
    const response = await call(stack.url, 'POST', '/api/auth/browser-session', {
      body: { email, password: PASSWORD },
      headers: { origin: publicBaseUrl, 'sec-fetch-site': 'same-origin' },
    });
    expect(response.status).toBe(200);
    const cookies = cookiesOf(response.headers);
    return { response, refresh: cookies.vm_refresh!.value, csrf: cookies.vm_csrf!.value };
  }

  const refresh = (session: { refresh?: string; csrf?: string }, headers: Record<string, string> = {}) =>
    call(stack.url, 'POST', '/api/auth/browser-session/refresh', {
      headers: {
        cookie: [
          session.refresh !== undefined ? `vm_refresh=${session.refresh}` : '',
          session.csrf !== undefined ? `vm_csrf=${session.csrf}` : '',
        ]
          .filter(Boolean)
          .join('; '),
        ...(session.csrf !== undefined ? { 'x-csrf-token': session.csrf } : {}),
        ...headers,
      },
    });

  it('when a user signs in from a browser, then the body has the access token and the user, and the refresh token is only in an HttpOnly Strict cookie scoped to the session routes', async () => {
    const email = await signUp('Kim Browser');
    const { response } = await signIn(email);
    expect(response.body).toEqual({
      accessToken: expect.any(String),
      expiresIn: expect.any(Number),
      tokenType: 'Bearer',
      user: { id: expect.any(Number), email, role: 'user', name: 'Kim Browser' },
    });
    expect(JSON.stringify(response.body)).not.toContain('refreshToken');
    expect(response.headers.get('cache-control')).toBe('no-store');

    const cookies = cookiesOf(response.headers);
    expect(cookies.vm_refresh!.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookies.vm_refresh!.attributes).toEqual({
      'max-age': '86400',
      path: '/api/auth/browser-session',
      expires: expect.any(String),
      httponly: true,
      samesite: 'Strict',
    });
    expect(cookies.vm_csrf!.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookies.vm_csrf!.attributes).toEqual({
      'max-age': '86400',
      path: '/',
      expires: expect.any(String),
      samesite: 'Strict',
    });

    const me = await call(stack.url, 'GET', '/api/users/me', { token: response.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(email);
  });

  it('when the password is wrong or the body is bad, then the same answers as /api/auth/login', async () => {
    const email = await signUp();
    const wrong = await call(stack.url, 'POST', '/api/auth/browser-session', {
      body: { email, password: 'Wr0ngpass' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    expect(wrong.headers.getSetCookie()).toEqual([]);
    const bad = await call(stack.url, 'POST', '/api/auth/browser-session', { body: { email } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', requestId: expect.any(String) });
  });

  it('when the sign-in comes from another site or origin, then 403 CSRF_FAILED and no cookie', async () => {
    const email = await signUp();
    const refusedHeaders: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'http://evil.example' },
      { origin: publicBaseUrl, 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of refusedHeaders) {
      const response = await call(stack.url, 'POST', '/api/auth/browser-session', {
        body: { email, password: PASSWORD },
        headers,
      });
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('CSRF_FAILED');
      expect(response.headers.getSetCookie()).toEqual([]);
    }
  });

  it('when the page refreshes with the cookie and the CSRF header, then a new access token and a rotated refresh cookie; the old cookie again revokes the whole login', async () => {
    const email = await signUp();
    const session = await signIn(email);
    const first = await refresh(session, { 'sec-fetch-site': 'same-origin', origin: publicBaseUrl });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      accessToken: expect.any(String),
      expiresIn: expect.any(Number),
      tokenType: 'Bearer',
      user: { id: expect.any(Number), email, role: 'user' },
    });
    const rotated = cookiesOf(first.headers);
    expect(rotated.vm_refresh!.value).not.toBe(session.refresh);
    expect(rotated.vm_refresh!.attributes.path).toBe('/api/auth/browser-session');
    expect(rotated.vm_csrf!.value).toBe(session.csrf);

    const second = await refresh({ refresh: rotated.vm_refresh!.value, csrf: session.csrf });
    expect(second.status).toBe(200);

    // The first cookie, spent, comes back: it leaked. Every token of the login dies.
    const reused = await refresh(session);
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('INVALID_REFRESH_TOKEN');
    expect(cookiesOf(reused.headers).vm_refresh!.value).toBe('');
    const afterReuse = await call(stack.url, 'GET', '/api/users/me', { token: second.body.accessToken });
    expect(afterReuse.status).toBe(401);
    expect(afterReuse.body.error.code).toBe('TOKEN_REVOKED');
  });

  it('when the CSRF header is missing or does not match, or the request is cross-origin, then 403 CSRF_FAILED and the session still works', async () => {
    const session = await signIn(await signUp());
    const noHeader = await call(stack.url, 'POST', '/api/auth/browser-session/refresh', {
      headers: { cookie: `vm_refresh=${session.refresh}; vm_csrf=${session.csrf}` },
    });
    expect(noHeader.status).toBe(403);
    expect(noHeader.body.error.code).toBe('CSRF_FAILED');
    expect((await refresh(session, { 'x-csrf-token': 'x'.repeat(43) })).status).toBe(403);
    // The header without the cookie (a script that guessed it) is no proof either.
    const noCookie = await call(stack.url, 'POST', '/api/auth/browser-session/refresh', {
      headers: { cookie: `vm_refresh=${session.refresh}`, 'x-csrf-token': session.csrf },
    });
    expect(noCookie.status).toBe(403);
    expect((await refresh(session, { 'sec-fetch-site': 'cross-site' })).body.error.code).toBe('CSRF_FAILED');
    expect((await refresh(session, { origin: 'http://127.0.0.1:1' })).body.error.code).toBe('CSRF_FAILED');

    expect((await refresh(session)).status).toBe(200);
  });

  it('when there is no refresh cookie or it is not a token, then 401 INVALID_REFRESH_TOKEN', async () => {
    const none = await refresh({});
    expect(none.status).toBe(401);
    expect(none.body.error).toMatchObject({ code: 'INVALID_REFRESH_TOKEN', requestId: expect.any(String) });
    expect((await refresh({ refresh: 'not-a-token', csrf: 'c'.repeat(43) })).status).toBe(401);
    const unknown = await refresh({ refresh: 'r'.repeat(43), csrf: 'c'.repeat(43) });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('INVALID_REFRESH_TOKEN');
  });

  it('when the user is suspended, then the refresh answers as /api/auth/refresh does (the suspension revoked both logins) and the cookie is cleared', async () => {
    const email = await signUp();
    const session = await signIn(email);
    const apiLogin = await call(stack.url, 'POST', '/api/auth/login', {
      body: { email, password: PASSWORD },
    });
    const userId = session.response.body.user.id as number;
    const suspended = await call(stack.url, 'POST', `/api/admin/users/${userId}/suspend`, {
      token: admin.token,
    });
    expect(suspended.status).toBe(200);
    const viaApi = await call(stack.url, 'POST', '/api/auth/refresh', {
      body: { refreshToken: apiLogin.body.refreshToken },
    });
    const viaBrowser = await refresh(session);
    expect(viaBrowser.status).toBe(viaApi.status);
    expect(viaBrowser.body.error.code).toBe(viaApi.body.error.code);
    expect(viaBrowser.status).toBe(401);
    expect(cookiesOf(viaBrowser.headers).vm_refresh!.value).toBe('');
    // And signing in again is the suspension's own answer.
    const again = await call(stack.url, 'POST', '/api/auth/browser-session', {
      body: { email, password: PASSWORD },
    });
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe('ACCOUNT_SUSPENDED');
  });

  it('when the page signs out, then its access token stops at the gateway at once, both cookies are cleared, the refresh cookie is dead, and signing out again is a 204', async () => {
    const session = await signIn(await signUp());
    const token = session.response.body.accessToken as string;
    const cookie = `vm_refresh=${session.refresh}; vm_csrf=${session.csrf}`;

    const forged = await call(stack.url, 'DELETE', '/api/auth/browser-session', { headers: { cookie } });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('CSRF_FAILED');
    expect((await call(stack.url, 'GET', '/api/users/me', { token })).status).toBe(200);

    const out = await call(stack.url, 'DELETE', '/api/auth/browser-session', {
      headers: { cookie, 'x-csrf-token': session.csrf, 'sec-fetch-site': 'same-origin' },
    });
    expect(out.status).toBe(204);
    const cleared = cookiesOf(out.headers);
    expect(cleared.vm_refresh).toMatchObject({
      value: '',
      attributes: { path: '/api/auth/browser-session' },
    });
    expect(cleared.vm_csrf).toMatchObject({ value: '', attributes: { path: '/' } });

    const me = await eventually(
      async () => {
        const response = await call(stack.url, 'GET', '/api/users/me', { token });
        return response.status === 401 ? response : undefined;
      },
      REVOCATION_DEADLINE_MS,
      'the signed-out token refused',
    );
    expect(me.body.error.code).toBe('TOKEN_REVOKED');
    expect((await refresh(session)).status).toBe(401);

    expect((await call(stack.url, 'DELETE', '/api/auth/browser-session')).status).toBe(204);
    expect(
      (
        await call(stack.url, 'DELETE', '/api/auth/browser-session', {
          headers: { cookie, 'x-csrf-token': session.csrf },
        })
      ).status,
    ).toBe(204);
  });

  it('when the routes are called with another case or a trailing slash, then the gateway still routes them publicly', async () => {
    const email = await signUp();
    const response = await call(stack.url, 'POST', '/api/auth/Browser-Session/', {
      body: { email, password: PASSWORD },
    });
    expect(response.status).toBe(200);
  });
});

describe('browser sessions at the gateway’s rate limits', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack({
      label: 'browsersession_rl',
      gateway: { rateLimits: { authPerMinute: 1, burst: 1 } },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('when sign-ins and refreshes come faster than the auth limit, then 429 RATE_LIMITED, each against its own budget; sign-out is not limited', async () => {
    const signIn = () =>
      call(stack.url, 'POST', '/api/auth/browser-session', {
        body: { email: 'nobody@example.com', password: 'Wr0ngpass' },
      });
    expect([(await signIn()).status, (await signIn()).status]).toEqual([401, 401]);
    const limited = await signIn();
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    // Sign-in from a browser and POST /api/auth/login share one budget.
    expect(
      (await call(stack.url, 'POST', '/api/auth/login', { body: { email: 'a@b.co', password: 'x' } })).status,
    ).toBe(429);

    const refresh = () => call(stack.url, 'POST', '/api/auth/browser-session/refresh');
    expect([(await refresh()).status, (await refresh()).status, (await refresh()).status]).toEqual([
      401, 401, 429,
    ]);
    for (let i = 0; i < 4; i += 1)
      expect((await call(stack.url, 'DELETE', '/api/auth/browser-session')).status).toBe(204);
  });
});
