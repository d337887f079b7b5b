/**
 * Kakao Login (OpenID Connect) end to end through the gateway against the Kakao fake (#17): the browser flow,
 * Kakao's e-mail rules (verified only by its UserInfo), consent denial, an expired code, a replayed state, Kakao
 * down, and linking, listing and unlinking identities.
 */
import { call, uniqueEmail } from '../support/stack';
import { useOAuthStack } from './oauth-flow';

describe('Kakao login through the gateway', () => {
  const env = useOAuthStack('kakao');

  it('when GET /api/auth/providers is called without a token, then Kakao is listed with its names and start URL', async () => {
    const response = await call(env.stack.url, 'GET', '/api/auth/providers');

    expect(response.status).toBe(200);
    expect(response.body.items).toContainEqual({
      id: 'kakao',
      name: { ko: '카카오', en: 'Kakao' },
      kind: 'oidc',
      startUrl: '/api/auth/oauth/kakao/start',
    });
    expect(response.body.items.map((item: { id: string }) => item.id)).not.toContain('naver');
    expect((await call(env.stack.url, 'GET', '/api/auth/oauth/naver/start')).status).toBe(404);
  });

  it('when a new Kakao member with a verified e-mail signs in, then the browser flow ends with tokens and an account with that e-mail and an unverified phone', async () => {
    const email = uniqueEmail('kakao');
    const subject = `kakao-${email}`;
    await env.actAs({
      sub: subject,
      nickname: '라이언',
      email,
      email_verified: true,
      phone_number: '+82 10-2345-6789',
    });

    const { authorizeUrl, cookie } = await env.begin();
    expect(authorizeUrl.pathname).toBe('/oauth/authorize');
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizeUrl.searchParams.get('nonce')).toBeTruthy();
    expect(authorizeUrl.searchParams.get('scope')).toBe('openid account_email profile_nickname');
    expect(cookie).toMatch(/^vm_oauth=/);
    const result = await env.finish(await env.authorize(authorizeUrl), cookie);

    expect(result.status).toBe(200);
    expect(result.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(result.body).sort()).toEqual([
      'accessToken',
      'expiresIn',
      'refreshToken',
      'tokenType',
    ]);
    const user = await env.me(result.body.accessToken);
    expect(user).toMatchObject({ email, name: '라이언', phone: '+821023456789', phoneVerified: false });
    expect(await env.identityRows(subject)).toEqual([{ user_id: user.id, email }]);
  });

  it('when Kakao does not verify the e-mail of an existing password account, then it is not matched: a new account without e-mail is made and the password account keeps no link', async () => {
    const owner = await env.signupAndLogin();
    const subject = `kakao-unverified-${owner.userId}`;
    await env.actAs({ sub: subject, email: owner.email, email_verified: false });

    const result = await env.signIn();

    expect(result.status).toBe(200);
    const user = await env.me(result.body.accessToken);
    expect(user.id).not.toBe(owner.userId);
    expect(user.email).toBeNull();
    expect(await env.identityRows(subject)).toEqual([{ user_id: user.id, email: owner.email }]);
  });

  it('when Kakao verifies the e-mail of an existing account, then 409 ACCOUNT_EXISTS and nothing is linked', async () => {
    const owner = await env.signupAndLogin();
    const subject = `kakao-taken-${owner.userId}`;
    await env.actAs({ sub: subject, email: owner.email, email_verified: true });

    const result = await env.signIn();

    expect(result.status).toBe(409);
    expect(result.body.error.code).toBe('ACCOUNT_EXISTS');
    expect(await env.identityRows(subject)).toEqual([]);
  });

  it('when the member gives no e-mail (no consent), then an account is still made, without e-mail', async () => {
    const subject = `kakao-noemail-${Date.now()}`;
    await env.actAs({ sub: subject, nickname: '무지' });

    const result = await env.signIn();

    expect(result.status).toBe(200);
    expect(await env.me(result.body.accessToken)).toMatchObject({ email: null, name: '무지' });
  });

  it("when the member declines consent, then 401 OAUTH_FAILED without Kakao's text, and the state is spent", async () => {
    await env.control({ deny: true });
    const { callbackPath, cookie } = await env.reachCallback();
    expect(callbackPath).toContain('error=access_denied');
    expect(callbackPath).toContain('error_description=User+denied+access');

    const result = await env.finish(callbackPath, cookie);
    await env.control({ deny: false });

    expect(result.status).toBe(401);
    expect(result.body.error.code).toBe('OAUTH_FAILED');
    expect(JSON.stringify(result.body)).not.toContain('denied');
    expect((await env.finish(callbackPath, cookie)).body.error.code).toBe('OAUTH_STATE_INVALID');
  });

  it('when the code has expired at Kakao, then 401 OAUTH_FAILED and no account', async () => {
    const subject = `kakao-expired-${Date.now()}`;
    await env.actAs({ sub: subject, email: uniqueEmail('exp'), email_verified: true });
    const { callbackPath, cookie } = await env.reachCallback();
    for (const code of env.fake.state.codes.values()) code.expiresAt = 0;

    const result = await env.finish(callbackPath, cookie);

    expect(result.status).toBe(401);
    expect(result.body.error.code).toBe('OAUTH_FAILED');
    expect(await env.identityRows(subject)).toEqual([]);
  });

  it('when a callback is replayed, then the replay is 400 OAUTH_STATE_INVALID', async () => {
    await env.actAs({ sub: `kakao-replay-${Date.now()}` });
    const { callbackPath, cookie } = await env.reachCallback();

    const first = await env.finish(callbackPath, cookie);
    const replay = await env.finish(callbackPath, cookie);

    expect(first.status).toBe(200);
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe('OAUTH_STATE_INVALID');
  });

  it('when Kakao is down at the code exchange, then 503 PROVIDER_UNAVAILABLE with Retry-After, not a 500', async () => {
    await env.actAs({ sub: `kakao-down-${Date.now()}` });
    const { callbackPath, cookie } = await env.reachCallback();

    const result = await env.finishWhileDown(callbackPath, cookie);

    expect(result.status).toBe(503);
    expect(result.body.error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', requestId: expect.any(String) });
    expect(result.headers.get('retry-after')).toBe('30');
  });

  describe('identities of the signed-in user', () => {
    it('when a password user links Kakao, then it is listed (subject masked) and can be unlinked', async () => {
      const owner = await env.signupAndLogin();
      const subject = `kakao-link-${owner.userId}-0000`;
      await env.actAs({ sub: subject, email: uniqueEmail('linked'), email_verified: true });

      const linked = await env.signIn(owner.accessToken);
      expect(linked.status).toBe(200);
      expect(linked.body.linked).toEqual({ provider: 'kakao', userId: owner.userId });

      const list = await call(env.stack.url, 'GET', '/api/users/me/identities', { token: owner.accessToken });
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([
        { provider: 'kakao', subjectHint: 'ka…00', email: expect.any(String), linkedAt: expect.any(String) },
      ]);

      const unlink = await call(env.stack.url, 'DELETE', '/api/users/me/identities/kakao', {
        token: owner.accessToken,
      });
      expect(unlink.status).toBe(204);
      expect(await env.identityRows(subject)).toEqual([]);
      const again = await call(env.stack.url, 'DELETE', '/api/users/me/identities/kakao', {
        token: owner.accessToken,
      });
      expect(again.status).toBe(404);
    });

    it('when an account made by Kakao login unlinks Kakao, its only way to sign in, then 409 LAST_SIGN_IN_METHOD and the link stays', async () => {
      const subject = `kakao-only-${Date.now()}`;
      await env.actAs({ sub: subject });
      const login = await env.signIn();
      const token = login.body.accessToken as string;

      const unlink = await call(env.stack.url, 'DELETE', '/api/users/me/identities/kakao', { token });

      expect(unlink.status).toBe(409);
      expect(unlink.body.error.code).toBe('LAST_SIGN_IN_METHOD');
      expect(await env.identityRows(subject)).toHaveLength(1);
    });

    it('when the identities routes are called without a token, then the gateway answers 401', async () => {
      expect((await call(env.stack.url, 'GET', '/api/users/me/identities')).status).toBe(401);
      expect((await call(env.stack.url, 'DELETE', '/api/users/me/identities/kakao')).status).toBe(401);
    });
  });
});
