/**
 * Naver Login (OAuth 2.0 without OpenID Connect, then the profile API) end to end through the gateway against
 * the Naver fake (#17): the browser flow with state only, Naver's e-mail never trusted, consent denial,
 * an expired code (Naver's HTTP 200 error answer), a replayed state, Naver down, and linking.
 */
import { call, uniqueEmail } from '../support/stack';
import { useOAuthStack } from './oauth-flow';

describe('Naver login through the gateway', () => {
  const env = useOAuthStack('naver');

  it("when a new Naver member signs in, then the flow ends with tokens and an account with Naver's name and unverified mobile but no e-mail (Naver does not verify it)", async () => {
    const id = `naver-${Date.now()}`;
    const email = uniqueEmail('naver');
    await env.actAs({ id, email, name: '홍길동', mobile: '010-9876-5432', mobile_e164: '+821098765432' });

    const { authorizeUrl, cookie } = await env.begin();
    expect(authorizeUrl.pathname).toBe('/oauth2.0/authorize');
    expect([...authorizeUrl.searchParams.keys()].sort()).toEqual([
      'client_id',
      'redirect_uri',
      'response_type',
      'state',
    ]);
    const result = await env.finish(await env.authorize(authorizeUrl), cookie);

    expect(result.status).toBe(200);
    const user = await env.me(result.body.accessToken);
    expect(user).toMatchObject({ email: null, name: '홍길동', phone: '+821098765432', phoneVerified: false });
    expect(await env.identityRows(id)).toEqual([{ user_id: user.id, email }]);
    const providers = await call(env.stack.url, 'GET', '/api/auth/providers');
    expect(providers.body.items).toContainEqual({
      id: 'naver',
      name: { ko: '네이버', en: 'Naver' },
      kind: 'oauth2',
      startUrl: '/api/auth/oauth/naver/start',
    });
  });

  it("when Naver's e-mail is that of an existing password account, then it is not matched (no 409, no link to that account)", async () => {
    const owner = await env.signupAndLogin();
    const id = `naver-owner-${owner.userId}`;
    await env.actAs({ id, email: owner.email });

    const result = await env.signIn();

    expect(result.status).toBe(200);
    const user = await env.me(result.body.accessToken);
    expect(user.id).not.toBe(owner.userId);
    expect(user.email).toBeNull();
  });

  it('when the member cancels (error=access_denied, Canceled By User), then 401 OAUTH_FAILED', async () => {
    await env.control({ deny: true });
    const { callbackPath, cookie } = await env.reachCallback();
    await env.control({ deny: false });
    expect(callbackPath).toContain('error=access_denied');
    expect(callbackPath).toContain('error_description=Canceled+By+User');

    const result = await env.finish(callbackPath, cookie);

    expect(result.status).toBe(401);
    expect(result.body.error.code).toBe('OAUTH_FAILED');
    expect(JSON.stringify(result.body)).not.toMatch(/Canceled/);
  });

  it("when the code has expired, then Naver's 200 error answer becomes 401 OAUTH_FAILED and no account", async () => {
    const id = `naver-expired-${Date.now()}`;
    await env.actAs({ id });
    const { callbackPath, cookie } = await env.reachCallback();
    for (const code of env.fake.state.codes.values()) code.expiresAt = 0;

    const result = await env.finish(callbackPath, cookie);

    expect(result.status).toBe(401);
    expect(result.body.error.code).toBe('OAUTH_FAILED');
    expect(await env.identityRows(id)).toEqual([]);
  });

  it('when a callback is replayed, then 400 OAUTH_STATE_INVALID', async () => {
    await env.actAs({ id: `naver-replay-${Date.now()}` });
    const { callbackPath, cookie } = await env.reachCallback();

    expect((await env.finish(callbackPath, cookie)).status).toBe(200);
    const replay = await env.finish(callbackPath, cookie);

    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe('OAUTH_STATE_INVALID');
  });

  it('when Naver is down at the token exchange, then 503 PROVIDER_UNAVAILABLE', async () => {
    await env.actAs({ id: `naver-down-${Date.now()}` });
    const { callbackPath, cookie } = await env.reachCallback();

    const result = await env.finishWhileDown(callbackPath, cookie);

    expect(result.status).toBe(503);
    expect(result.body.error.code).toBe('PROVIDER_UNAVAILABLE');
  });

  it('when a signed-in password user links Naver, then a later Naver login reaches that account, and unlinking leaves the password', async () => {
    const owner = await env.signupAndLogin();
    const id = `naver-link-${owner.userId}`;
    await env.actAs({ id, email: owner.email });

    expect((await env.signIn(owner.accessToken)).status).toBe(200);
    const later = await env.signIn();
    expect((await env.me(later.body.accessToken)).id).toBe(owner.userId);

    const unlink = await call(env.stack.url, 'DELETE', '/api/users/me/identities/naver', {
      token: owner.accessToken,
    });
    expect(unlink.status).toBe(204);
    expect(await env.identityRows(id)).toEqual([]);
  });
});
