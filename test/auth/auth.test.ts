import { startOidcProvider } from '../../fakes/oidc-provider';
import { startSmsProvider } from '../../fakes/sms-provider';
import type { StartedFake } from '../../fakes/fake-server';
import { freePort } from '../support/gateway';
import { call, startStack, uniqueEmail, type TestStack } from '../support/stack';

type Fake = StartedFake<any>;

describe('users and auth through the gateway', () => {
  let stack: TestStack;
  let sms: Fake;
  let oidc: Fake;

  beforeAll(async () => {
    const gatewayPort = await freePort();
    const publicBaseUrl = `http://127.0.0.1:${gatewayPort}`;
    sms = await startSmsProvider({ port: 0 });
    oidc = await startOidcProvider({
      port: 0,
      redirectUris: [`${publicBaseUrl}/api/auth/oauth/fake/callback`],
    });
    stack = await startStack({
      label: 'auth',
      workerDomains: ['notifications'],
      env: { PUBLIC_BASE_URL: publicBaseUrl, SOLAPI_BASE_URL: sms.url, OIDC_ISSUER_URL: oidc.url },
      gateway: { listenPort: gatewayPort },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await sms?.close();
    await oidc?.close();
  });

  async function signupAndLogin(password = 'Passw0rd!', extra: Record<string, string> = {}) {
    const email = uniqueEmail();
    const signup = await call(stack.url, 'POST', '/api/auth/signup', { body: { email, password, ...extra } });
    expect(signup.status).toBe(201);
    const login = await call(stack.url, 'POST', '/api/auth/login', { body: { email, password } });
    expect(login.status).toBe(200);
    return { email, userId: signup.body.user.id as number, tokens: login.body };
  }

  describe('signup and login', () => {
    it('when a user signs up and logs in, then the token opens /api/users/me through nginx', async () => {
      const { email, tokens } = await signupAndLogin('Passw0rd!', {
        name: 'Kim Min-su',
        phone: '+821011112222',
      });
      expect(tokens).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        expiresIn: 900,
        tokenType: 'Bearer',
      });
      const me = await call(stack.url, 'GET', '/api/users/me', { token: tokens.accessToken });
      expect(me.status).toBe(200);
      expect(me.body.user).toMatchObject({
        email,
        name: 'Kim Min-su',
        phone: '+821011112222',
        role: 'user',
        phoneVerified: false,
      });
      expect(me.body.user).not.toHaveProperty('passwordHash');
    });

    it('when the password is stored, then it is a scrypt hash, never the password', async () => {
      const { email } = await signupAndLogin('An0ther-secret');
      const row = await stack.database.db('users').where({ email }).first('password_hash');
      expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
      expect(row.password_hash).not.toContain('An0ther-secret');
    });

    it('when the email is taken, then signup answers 409', async () => {
      const { email } = await signupAndLogin();
      const again = await call(stack.url, 'POST', '/api/auth/signup', {
        body: { email: email.toUpperCase(), password: 'Passw0rd!' },
      });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('CONFLICT');
    });

    it.each([
      [{ email: 'not-an-email', password: 'Passw0rd!' }, 'email'],
      [{ email: uniqueEmail(), password: 'short1' }, 'password'],
      [{ email: uniqueEmail(), password: 'lettersonly' }, 'password'],
      [{ email: uniqueEmail(), password: 'Passw0rd!', phone: '010-1234' }, 'phone'],
      [{ email: uniqueEmail(), password: 'Passw0rd!', role: 'admin' }, ''],
      [{ email: uniqueEmail(), password: 'x'.repeat(129) + '1' }, 'password'],
    ])('when signup gets %j, then 400 names the field', async (body, field) => {
      const response = await call(stack.url, 'POST', '/api/auth/signup', { body });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      expect(response.body.error.requestId).toEqual(expect.any(String));
      if (field) expect(response.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    });

    it('when the body is not JSON, then 400 JSON', async () => {
      const response = await fetch(`${stack.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"email":',
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    });

    it('when the BFF or the gateway answers JSON, then the body ends with one newline (curl leaves the prompt on its own line)', async () => {
      const email = uniqueEmail();
      const fromBff = await fetch(`${stack.url}/api/auth/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'Passw0rd!' }),
      });
      const fromGateway = await fetch(`${stack.url}/api/users/me`);
      const replies = [
        { status: fromBff.status, text: await fromBff.text() },
        { status: fromGateway.status, text: await fromGateway.text() },
      ];
      expect(replies.map(({ status, text }) => ({ status, ending: text.slice(-2) }))).toEqual([
        { status: 201, ending: '}\n' },
        { status: 401, ending: '}\n' },
      ]);
    });

    it('when the password is wrong or the email unknown, then both answer the same 401', async () => {
      const { email } = await signupAndLogin();
      const wrong = await call(stack.url, 'POST', '/api/auth/login', {
        body: { email, password: 'Wrong-pass1' },
      });
      const unknown = await call(stack.url, 'POST', '/api/auth/login', {
        body: { email: uniqueEmail(), password: 'Wrong-pass1' },
      });
      expect([wrong.status, unknown.status]).toEqual([401, 401]);
      expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
      expect(unknown.body.error.message).toBe(wrong.body.error.message);
    });

    it('when /api/users/me is called without a token, then the gateway answers 401', async () => {
      const response = await call(stack.url, 'GET', '/api/users/me');
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });
  });

  describe('refresh tokens', () => {
    it('when a refresh token is used, then a new pair comes back and the old token is spent', async () => {
      const { tokens } = await signupAndLogin();
      const refreshed = await call(stack.url, 'POST', '/api/auth/refresh', {
        body: { refreshToken: tokens.refreshToken },
      });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.refreshToken).not.toBe(tokens.refreshToken);
      const me = await call(stack.url, 'GET', '/api/users/me', { token: refreshed.body.accessToken });
      expect(me.status).toBe(200);
    });

    it('when a spent refresh token is reused, then the whole family is revoked', async () => {
      const { tokens } = await signupAndLogin();
      const first = await call(stack.url, 'POST', '/api/auth/refresh', {
        body: { refreshToken: tokens.refreshToken },
      });
      expect(first.status).toBe(200);

      const reuse = await call(stack.url, 'POST', '/api/auth/refresh', {
        body: { refreshToken: tokens.refreshToken },
      });
      expect(reuse.status).toBe(401);
      expect(reuse.body.error.code).toBe('INVALID_REFRESH_TOKEN');

      const descendant = await call(stack.url, 'POST', '/api/auth/refresh', {
        body: { refreshToken: first.body.refreshToken },
      });
      expect(descendant.status).toBe(401);
    });

    it('when two logins exist and one family is revoked, then the other still refreshes', async () => {
      const { email, tokens } = await signupAndLogin();
      const second = await call(stack.url, 'POST', '/api/auth/login', {
        body: { email, password: 'Passw0rd!' },
      });
      await call(stack.url, 'POST', '/api/auth/logout', { body: { refreshToken: tokens.refreshToken } });
      const other = await call(stack.url, 'POST', '/api/auth/refresh', {
        body: { refreshToken: second.body.refreshToken },
      });
      expect(other.status).toBe(200);
    });

    it('when a user logs out, then the refresh token no longer works and logout again is a no-op', async () => {
      const { tokens } = await signupAndLogin();
      const logout = await call(stack.url, 'POST', '/api/auth/logout', {
        body: { refreshToken: tokens.refreshToken },
      });
      expect(logout.status).toBe(204);
      expect(
        (await call(stack.url, 'POST', '/api/auth/logout', { body: { refreshToken: tokens.refreshToken } }))
          .status,
      ).toBe(204);
      const refresh = await call(stack.url, 'POST', '/api/auth/refresh', {
        body: { refreshToken: tokens.refreshToken },
      });
      expect(refresh.status).toBe(401);
    });

    it('when the refresh token is malformed, then 400', async () => {
      const response = await call(stack.url, 'POST', '/api/auth/refresh', {
        body: { refreshToken: "' OR 1=1 --" },
      });
      expect(response.status).toBe(400);
    });

    it('when a user is suspended, then login and refresh are refused with 403', async () => {
      const { email, tokens } = await signupAndLogin();
      await stack.database.db('users').where({ email }).update({ status: 'suspended' });
      const login = await call(stack.url, 'POST', '/api/auth/login', {
        body: { email, password: 'Passw0rd!' },
      });
      expect(login.status).toBe(403);
      expect(login.body.error.code).toBe('ACCOUNT_SUSPENDED');
      const refresh = await call(stack.url, 'POST', '/api/auth/refresh', {
        body: { refreshToken: tokens.refreshToken },
      });
      expect(refresh.status).toBe(403);
    });
  });

  describe('SMS verification', () => {
    async function waitForSms(
      to: string,
      count: number,
    ): Promise<{ text: string; requestId: string | null }[]> {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const response = await fetch(`${sms.url}/__messages?to=${encodeURIComponent(to)}`);
        const { messages } = (await response.json()) as {
          messages: { text: string; requestId: string | null }[];
        };
        if (messages.length >= count) return messages;
        if (Date.now() > deadline) throw new Error(`no SMS to ${to} within 15 s`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }

    it('when a code is sent and verified, then it went through the worker to the provider and the phone is verified', async () => {
      const phone = `+8210${Math.floor(10_000_000 + Math.random() * 89_999_999)}`;
      const { tokens } = await signupAndLogin('Passw0rd!', { phone });
      const send = await call(stack.url, 'POST', '/api/auth/sms/send', {
        token: tokens.accessToken,
        body: {},
        headers: { 'x-request-id': 'sms-flow-request-1' },
      });
      expect(send.status).toBe(202);
      expect(send.body).toEqual({ expiresIn: 180, resendIn: 60 });

      const [message] = await waitForSms(phone, 1);
      expect(message!.requestId).toBe('sms-flow-request-1');
      const code = /(\d{6})/.exec(message!.text)![1];

      const verify = await call(stack.url, 'POST', '/api/auth/sms/verify', {
        token: tokens.accessToken,
        body: { code },
      });
      expect(verify.status).toBe(200);
      expect(verify.body).toEqual({ verified: true, phone });
      const me = await call(stack.url, 'GET', '/api/users/me', { token: tokens.accessToken });
      expect(me.body.user.phoneVerified).toBe(true);

      const resend = await call(stack.url, 'POST', '/api/auth/sms/send', {
        token: tokens.accessToken,
        body: {},
      });
      expect(resend.status).toBe(429);
      expect(resend.headers.get('retry-after')).toMatch(/^\d+$/);
    });

    it('when wrong codes exhaust the attempts, then even the right code is refused', async () => {
      const phone = `+8210${Math.floor(10_000_000 + Math.random() * 89_999_999)}`;
      const { tokens } = await signupAndLogin('Passw0rd!', { phone });
      await call(stack.url, 'POST', '/api/auth/sms/send', { token: tokens.accessToken, body: {} });
      const [message] = await waitForSms(phone, 1);
      const code = /(\d{6})/.exec(message!.text)![1]!;
      const wrong = code === '000000' ? '111111' : '000000';
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 5; attempt += 1) {
        statuses.push(
          (
            await call(stack.url, 'POST', '/api/auth/sms/verify', {
              token: tokens.accessToken,
              body: { code: wrong },
            })
          ).status,
        );
      }
      expect(statuses).toEqual([422, 422, 422, 422, 422]);
      const right = await call(stack.url, 'POST', '/api/auth/sms/verify', {
        token: tokens.accessToken,
        body: { code },
      });
      expect(right.status).toBe(429);
      const after = await call(stack.url, 'POST', '/api/auth/sms/verify', {
        token: tokens.accessToken,
        body: { code },
      });
      expect(after.status).toBe(422);
    });

    it('when the code has expired, then verifying is refused', async () => {
      const phone = `+8210${Math.floor(10_000_000 + Math.random() * 89_999_999)}`;
      const { tokens, userId } = await signupAndLogin('Passw0rd!', { phone });
      await call(stack.url, 'POST', '/api/auth/sms/send', { token: tokens.accessToken, body: {} });
      const [message] = await waitForSms(phone, 1);
      const code = /(\d{6})/.exec(message!.text)![1];
      // Expiry is Redis's TTL; make it lapse now instead of waiting three minutes.
      await stack.bff.ctx.redis.pexpire(`${stack.env.REDIS_PREFIX}:sms:code:${userId}`, 1);
      while ((await stack.bff.ctx.redis.exists(`${stack.env.REDIS_PREFIX}:sms:code:${userId}`)) === 1) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const verify = await call(stack.url, 'POST', '/api/auth/sms/verify', {
        token: tokens.accessToken,
        body: { code },
      });
      expect(verify.status).toBe(422);
      expect(verify.body.error.code).toBe('SMS_CODE_INVALID');
    });

    it('when SMS routes are called without a token, then 401', async () => {
      expect((await call(stack.url, 'POST', '/api/auth/sms/send', { body: {} })).status).toBe(401);
      expect(
        (await call(stack.url, 'POST', '/api/auth/sms/verify', { body: { code: '123456' } })).status,
      ).toBe(401);
    });
  });

  // Linking, takeover attempts, provider errors and the start rate limit: oauth-linking.test.ts.
  describe('OAuth2 / OpenID Connect', () => {
    /** The binding cookie the start set, as the same browser sends it back on the callback. */
    const cookieOf = (headers: Headers) => ({ cookie: headers.getSetCookie()[0]!.split(';')[0]! });

    async function runOAuthFlow(): Promise<{ status: number; body: any }> {
      const start = await call(stack.url, 'GET', '/api/auth/oauth/fake/start');
      expect(start.status).toBe(302);
      const authorizeUrl = new URL(start.headers.get('location')!);
      expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorizeUrl.searchParams.get('nonce')).toEqual(expect.any(String));
      const authorize = await fetch(authorizeUrl, { redirect: 'manual' });
      expect(authorize.status).toBe(302);
      const callback = new URL(authorize.headers.get('location')!);
      return call(stack.url, 'GET', `${callback.pathname}${callback.search}`, {
        headers: cookieOf(start.headers),
      });
    }

    it('when a new user logs in with the provider, then an account is created and tokens returned', async () => {
      const email = uniqueEmail('oidc');
      await fetch(`${oidc.url}/__control`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          user: { sub: `sub-${email}`, email, email_verified: true, name: 'Oidc User' },
        }),
      });
      const result = await runOAuthFlow();
      expect(result.status).toBe(200);
      const me = await call(stack.url, 'GET', '/api/users/me', { token: result.body.accessToken });
      expect(me.body.user).toMatchObject({ email, name: 'Oidc User' });

      const again = await runOAuthFlow();
      const meAgain = await call(stack.url, 'GET', '/api/users/me', { token: again.body.accessToken });
      expect(meAgain.body.user.id).toBe(me.body.user.id);
    });

    it('when the state does not match a started login, then the callback is refused', async () => {
      const response = await call(
        stack.url,
        'GET',
        '/api/auth/oauth/fake/callback?state=forged-state-value-123&code=abc',
      );
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('OAUTH_STATE_INVALID');
    });

    it('when the callback is replayed, then the second one is refused', async () => {
      const start = await call(stack.url, 'GET', '/api/auth/oauth/fake/start');
      const authorize = await fetch(start.headers.get('location')!, { redirect: 'manual' });
      const callback = new URL(authorize.headers.get('location')!);
      const headers = cookieOf(start.headers);
      const first = await call(stack.url, 'GET', `${callback.pathname}${callback.search}`, { headers });
      expect(first.status).toBe(200);
      const replay = await call(stack.url, 'GET', `${callback.pathname}${callback.search}`, { headers });
      expect(replay.status).toBe(400);
    });
  });
});
