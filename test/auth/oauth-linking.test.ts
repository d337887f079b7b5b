/**
 * External logins never take over an account (issue #14): an external identity is linked to an existing
 * account only from a session signed in to it, never by matching e-mail; the provider's error text is not
 * echoed; OAuth start is rate-limited at the gateway. Everything goes through nginx to the real BFF, against
 * the fake OpenID Connect provider.
 */
import { createPublicKey } from 'node:crypto';
import { startOidcProvider, type OidcUser } from '../../fakes/oidc-provider';
import type { StartedFake } from '../../fakes/fake-server';
import { DEMO_ACCOUNTS, ensureDemoAccounts } from '../../seeds/demo-accounts';
import { appKey } from '../../shared/redis';
import { freePort, startTestGateway, type TestGateway } from '../support/gateway';
import { call, startStack, uniqueEmail, type TestStack } from '../support/stack';

const admin = DEMO_ACCOUNTS.find((account) => account.role === 'admin')!;

describe('external logins and account linking through the gateway', () => {
  let stack: TestStack;
  let oidc: StartedFake<any>;
  const bffLogLines: string[] = [];

  beforeAll(async () => {
    const gatewayPort = await freePort();
    const publicBaseUrl = `http://127.0.0.1:${gatewayPort}`;
    oidc = await startOidcProvider({
      port: 0,
      redirectUris: [`${publicBaseUrl}/api/auth/oauth/fake/callback`],
    });
    stack = await startStack({
      label: 'oauth-link',
      env: { PUBLIC_BASE_URL: publicBaseUrl, OIDC_ISSUER_URL: oidc.url },
      gateway: { listenPort: gatewayPort },
      seed: (database) =>
        ensureDemoAccounts(database.db, { nodeEnv: 'test', demoAccounts: true }, () => undefined).then(
          () => undefined,
        ),
      bffLogLines,
    });
  });
  afterAll(async () => {
    await stack?.close();
    await oidc?.close();
  });

  async function actAs(user: OidcUser): Promise<void> {
    const response = await fetch(`${oidc.url}/__control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, deny: false }),
    });
    expect(response.status).toBe(200);
  }

  async function signupAndLogin(): Promise<{ email: string; userId: number; accessToken: string }> {
    const email = uniqueEmail('pw');
    const password = 'Passw0rd!';
    const signup = await call(stack.url, 'POST', '/api/auth/signup', { body: { email, password } });
    expect(signup.status).toBe(201);
    const login = await call(stack.url, 'POST', '/api/auth/login', { body: { email, password } });
    expect(login.status).toBe(200);
    return { email, userId: signup.body.user.id as number, accessToken: login.body.accessToken as string };
  }

  async function login(email: string, password: string): Promise<string> {
    const response = await call(stack.url, 'POST', '/api/auth/login', { body: { email, password } });
    expect(response.status).toBe(200);
    return response.body.accessToken as string;
  }

  /** The cookie pair a browser would send back on the callback (none when the start set none). */
  function cookieOf(headers: Headers): string | undefined {
    const cookies = headers.getSetCookie().map((cookie) => cookie.split(';')[0]!);
    return cookies.length > 0 ? cookies.join('; ') : undefined;
  }

  /** Starts a login (GET start) or a link (POST link with the user's token): the authorization URL. */
  async function begin(linkToken?: string): Promise<{ authorizeUrl: URL; cookie: string | undefined }> {
    if (linkToken === undefined) {
      const start = await call(stack.url, 'GET', '/api/auth/oauth/fake/start');
      expect(start.status).toBe(302);
      return { authorizeUrl: new URL(start.headers.get('location')!), cookie: cookieOf(start.headers) };
    }
    const link = await call(stack.url, 'POST', '/api/auth/oauth/fake/link', { token: linkToken });
    expect(link.status).toBe(200);
    return { authorizeUrl: new URL(link.body.authorizationUrl), cookie: cookieOf(link.headers) };
  }

  /** The provider approves at once and sends the browser back: the callback path and query. */
  async function authorize(authorizeUrl: URL): Promise<string> {
    const authorization = await fetch(authorizeUrl, { redirect: 'manual' });
    expect(authorization.status).toBe(302);
    const callback = new URL(authorization.headers.get('location')!);
    return `${callback.pathname}${callback.search}`;
  }

  function finish(callbackPath: string, cookie: string | undefined) {
    return call(stack.url, 'GET', callbackPath, cookie ? { headers: { cookie } } : {});
  }

  /** A whole external login (or link, with a token) as the provider's current user. */
  async function runFlow(linkToken?: string) {
    const { authorizeUrl, cookie } = await begin(linkToken);
    return finish(await authorize(authorizeUrl), cookie);
  }

  const identitiesOf = (subject: string) =>
    stack.database.db('user_identities').where({ provider: 'fake', subject }).select('user_id');

  async function meOf(accessToken: string): Promise<{ id: number; email: string; role: string }> {
    const me = await call(stack.url, 'GET', '/api/users/me', { token: accessToken });
    expect(me.status).toBe(200);
    return me.body.user;
  }

  describe('no takeover by e-mail', () => {
    it('when an external login vouches for the e-mail of a password account, then 409 ACCOUNT_EXISTS, no tokens and nothing linked', async () => {
      const { email } = await signupAndLogin();
      const subject = `sub-takeover-${email}`;
      await actAs({ sub: subject, email, email_verified: true });

      const result = await runFlow();

      expect(result.status).toBe(409);
      expect(result.body.error.code).toBe('ACCOUNT_EXISTS');
      expect(result.body.error.message).toMatch(/sign in .*link/i);
      expect(result.body.accessToken).toBeUndefined();
      expect(await identitiesOf(subject)).toEqual([]);
    });

    it("when an external login vouches for the seeded admin's e-mail (in any case), then it is refused and nothing is linked", async () => {
      for (const email of [admin.email, admin.email.toUpperCase()]) {
        const subject = `sub-admin-${email}`;
        await actAs({ sub: subject, email, email_verified: true });

        const result = await runFlow();

        expect(result.status).toBe(409);
        expect(result.body.error.code).toBe('ACCOUNT_EXISTS');
        expect(result.body.accessToken).toBeUndefined();
        expect(await identitiesOf(subject)).toEqual([]);
      }
    });

    it('when a first external login has a new verified e-mail, then an account is created and the identity linked to it', async () => {
      const email = uniqueEmail('fresh');
      const subject = `sub-fresh-${email}`;
      await actAs({ sub: subject, email, email_verified: true, name: 'Fresh User' });

      const result = await runFlow();

      expect(result.status).toBe(200);
      const me = await meOf(result.body.accessToken);
      expect(me).toMatchObject({ email, role: 'user' });
      expect(await identitiesOf(subject)).toEqual([{ user_id: me.id }]);
    });
  });

  describe('linking from a signed-in session', () => {
    it('when a signed-in user links the provider, then the identity is theirs and a later external login signs into that account', async () => {
      const { userId, accessToken } = await signupAndLogin();
      const subject = `sub-link-${userId}`;
      // The provider's e-mail need not match the account's: the session, not the address, decides.
      await actAs({ sub: subject, email: uniqueEmail('elsewhere'), email_verified: true });

      const linked = await runFlow(accessToken);

      expect(linked.status).toBe(200);
      expect(linked.body.linked).toEqual({ provider: 'fake', userId });
      expect((await meOf(linked.body.accessToken)).id).toBe(userId);
      expect(await identitiesOf(subject)).toEqual([{ user_id: userId }]);

      const externalLogin = await runFlow();
      expect(externalLogin.status).toBe(200);
      expect((await meOf(externalLogin.body.accessToken)).id).toBe(userId);
    });

    it('when the admin links the provider explicitly, then the external login reaches the admin account', async () => {
      const adminToken = await login(admin.email, admin.password);
      const adminId = (await meOf(adminToken)).id;
      const subject = 'sub-admin-explicit';
      await actAs({ sub: subject, email: admin.email, email_verified: true });

      expect((await runFlow(adminToken)).status).toBe(200);
      const externalLogin = await runFlow();

      expect(externalLogin.status).toBe(200);
      expect(await meOf(externalLogin.body.accessToken)).toMatchObject({ id: adminId, role: 'admin' });
    });

    it('when the same identity is linked again to the same account, then it succeeds and stays one link', async () => {
      const { userId, accessToken } = await signupAndLogin();
      const subject = `sub-relink-${userId}`;
      await actAs({ sub: subject, email: uniqueEmail('relink'), email_verified: true });

      const first = await runFlow(accessToken);
      const second = await runFlow(accessToken);

      expect([first.status, second.status]).toEqual([200, 200]);
      expect(await identitiesOf(subject)).toEqual([{ user_id: userId }]);
    });

    it('when the identity already belongs to another account, then linking answers 409 and ownership stays', async () => {
      const owner = await signupAndLogin();
      const other = await signupAndLogin();
      const subject = `sub-owned-${owner.userId}`;
      await actAs({ sub: subject, email: uniqueEmail('owned'), email_verified: true });
      expect((await runFlow(owner.accessToken)).status).toBe(200);

      const stolen = await runFlow(other.accessToken);

      expect(stolen.status).toBe(409);
      expect(stolen.body.error.code).toBe('IDENTITY_LINKED_ELSEWHERE');
      expect(stolen.body.accessToken).toBeUndefined();
      expect(await identitiesOf(subject)).toEqual([{ user_id: owner.userId }]);
    });

    it('when link is called without a valid token (any spelling of the path), then the gateway answers 401', async () => {
      for (const pathname of [
        '/api/auth/oauth/fake/link',
        '/api/auth/oauth/fake/link/',
        '/api/auth/OAuth/fake/LINK',
      ]) {
        const response = await call(stack.url, 'POST', pathname, { token: 'not-a-token' });
        expect(response.status).toBe(401);
        expect(response.body.error.code).toMatch(/^(UNAUTHORIZED|INVALID_TOKEN)$/);
      }
      expect((await call(stack.url, 'POST', '/api/auth/oauth/fake/link')).status).toBe(401);
    });

    it('when a link callback is replayed, then the replay is refused and nothing changes', async () => {
      const { userId, accessToken } = await signupAndLogin();
      const subject = `sub-replay-${userId}`;
      await actAs({ sub: subject, email: uniqueEmail('replay'), email_verified: true });
      const { authorizeUrl, cookie } = await begin(accessToken);
      const callbackPath = await authorize(authorizeUrl);

      const first = await finish(callbackPath, cookie);
      const replay = await finish(callbackPath, cookie);

      expect(first.status).toBe(200);
      expect(replay.status).toBe(400);
      expect(replay.body.error.code).toBe('OAUTH_STATE_INVALID');
      expect(await identitiesOf(subject)).toEqual([{ user_id: userId }]);
    });

    it('when a link started by one account is finished in another browser, then it is refused and nothing is linked', async () => {
      // An attacker starts a link to their own account and sends the victim the authorization URL.
      const attacker = await signupAndLogin();
      const subject = `sub-victim-${attacker.userId}`;
      await actAs({ sub: subject, email: uniqueEmail('victim'), email_verified: true });
      const { authorizeUrl, cookie } = await begin(attacker.accessToken);
      expect(cookie).toBeDefined();

      const inVictimsBrowser = await finish(await authorize(authorizeUrl), undefined);

      expect(inVictimsBrowser.status).toBe(400);
      expect(inVictimsBrowser.body.error.code).toBe('OAUTH_STATE_INVALID');
      expect(await identitiesOf(subject)).toEqual([]);
    });
  });

  describe('providers and provider errors', () => {
    it('when the provider is not configured, then start and link answer 404', async () => {
      const { accessToken } = await signupAndLogin();

      const start = await call(stack.url, 'GET', '/api/auth/oauth/nope/start');
      const link = await call(stack.url, 'POST', '/api/auth/oauth/nope/link', { token: accessToken });

      expect([start.status, link.status]).toEqual([404, 404]);
      expect([start.body.error.code, link.body.error.code]).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    });

    it("when the provider sends back an error, then the answer is a fixed message and only the provider's sanitized code is logged", async () => {
      const { authorizeUrl, cookie } = await begin();
      const state = authorizeUrl.searchParams.get('state')!;
      const providerError = 'access_denied <img src=x onerror=alert(1)> call +82-10-PHISH';
      const query = new URLSearchParams({
        state,
        error: providerError,
        error_description: 'Your account is locked, call +82-10-PHISH',
      });

      const result = await finish(`/api/auth/oauth/fake/callback?${query}`, cookie);

      expect(result.status).toBe(401);
      expect(result.body.error.code).toBe('OAUTH_FAILED');
      const text = JSON.stringify(result.body);
      for (const echoed of ['access_denied', 'PHISH', '<img', 'locked']) expect(text).not.toContain(echoed);
      const logged = bffLogLines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((line) => line.providerError !== undefined);
      expect(logged).toMatchObject({ level: 30, providerError: 'access_denied' });
    });

    it('when a login is started, then its pending state expires within ten minutes and is small', async () => {
      const { authorizeUrl } = await begin();
      const key = appKey(stack.env.REDIS_PREFIX!, 'oauth', 'state', authorizeUrl.searchParams.get('state')!);
      const redis = stack.bff.ctx.redis;

      const ttl = await redis.ttl(key);
      const size = await redis.strlen(key);

      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(600);
      expect(size).toBeGreaterThan(0);
      expect(size).toBeLessThan(512);
    });
  });

  describe('rate limit on OAuth start', () => {
    let limited: TestGateway;

    beforeAll(async () => {
      const config = stack.bff.config;
      const publicKey = createPublicKey(config.JWT_PRIVATE_KEY).export({ format: 'pem', type: 'spki' });
      // A second gateway, with a budget of one a minute, in front of the same BFF.
      limited = await startTestGateway({
        upstreamPort: stack.bff.port,
        gatewaySecret: config.GATEWAY_SECRET,
        publicKeys: [{ kid: config.JWT_KID, pem: publicKey.toString() }],
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
        rateLimits: { authPerMinute: 1, burst: 1 },
      });
    });
    afterAll(async () => {
      await limited?.stop();
    });

    const pendingStates = async () =>
      (await stack.bff.ctx.redis.keys(appKey(stack.env.REDIS_PREFIX!, 'oauth', 'state', '*'))).length;

    it('when OAuth start and link are called past the limit (any spelling), then 429 RATE_LIMITED JSON with Retry-After and no state is stored', async () => {
      const { accessToken } = await signupAndLogin();
      const before = await pendingStates();
      const start = (pathname = '/api/auth/oauth/fake/start') => call(limited.url, 'GET', pathname);

      const allowed = [await start(), await start()];
      const refused = [
        await start(),
        await start('/api/auth/OAUTH/fake/Start/'),
        await call(limited.url, 'POST', '/api/auth/oauth/fake/link', { token: accessToken }),
        await call(limited.url, 'POST', '/api/auth/oauth/fake/LINK/', { token: accessToken }),
      ];

      expect(allowed.map((reply) => reply.status)).toEqual([302, 302]);
      for (const reply of refused) {
        expect(reply.status).toBe(429);
        expect(reply.body.error).toMatchObject({ code: 'RATE_LIMITED', requestId: expect.any(String) });
        expect(reply.headers.get('retry-after')).toBe('60');
      }
      expect(await pendingStates()).toBe(before + 2);
    });
  });
});
