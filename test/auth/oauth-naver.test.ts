/**
 * Naver Login (OAuth 2.0 without OpenID Connect, then the profile API) end to end through the gateway against
 * the Naver fake (#17): the browser flow with state only, Naver's e-mail never trusted, consent denial,
 * an expired code (Naver's HTTP 200 error answer), a replayed state, Naver down, and linking.
 */
import { call, uniqueEmail } from '../support/stack';
import {
  authorize,
  begin,
  control,
  finish,
  identityRows,
  me,
  signIn,
  signupAndLogin,
  startProviderStack,
  type ProviderStack,
} from './oauth-flow';

describe('Naver login through the gateway', () => {
  let env: ProviderStack;
  beforeAll(async () => {
    env = await startProviderStack('naver', 'oauth-naver');
  });
  afterAll(async () => {
    await env?.close();
  });
  const actAs = (member: Record<string, unknown>) => control(env.fake, { member, deny: false, down: false });

  it("when a new Naver member signs in, then the flow ends with tokens and an account with Naver's name and unverified mobile but no e-mail (Naver does not verify it)", async () => {
    const id = `naver-${Date.now()}`;
    const email = uniqueEmail('naver');
    await actAs({ id, email, name: '홍길동', mobile: '010-9876-5432', mobile_e164: '+821098765432' });

    const { authorizeUrl, cookie } = await begin(env.stack, 'naver');
    expect(authorizeUrl.pathname).toBe('/oauth2.0/authorize');
    expect([...authorizeUrl.searchParams.keys()].sort()).toEqual([
      'client_id',
      'redirect_uri',
      'response_type',
      'state',
    ]);
    const result = await finish(env.stack, await authorize(authorizeUrl), cookie);

    expect(result.status).toBe(200);
    const user = await me(env.stack, result.body.accessToken);
    expect(user).toMatchObject({ email: null, name: '홍길동', phone: '+821098765432', phoneVerified: false });
    expect(await identityRows(env.stack, 'naver', id)).toEqual([{ user_id: user.id, email }]);
    const providers = await call(env.stack.url, 'GET', '/api/auth/providers');
    expect(providers.body.items).toContainEqual({
      id: 'naver',
      name: { ko: '네이버', en: 'Naver' },
      kind: 'oauth2',
      startUrl: '/api/auth/oauth/naver/start',
    });
  });

  it("when Naver's e-mail is that of an existing password account, then it is not matched (no 409, no link to that account)", async () => {
    const owner = await signupAndLogin(env.stack);
    const id = `naver-owner-${owner.userId}`;
    await actAs({ id, email: owner.email });

    const result = await signIn(env.stack, 'naver');

    expect(result.status).toBe(200);
    const user = await me(env.stack, result.body.accessToken);
    expect(user.id).not.toBe(owner.userId);
    expect(user.email).toBeNull();
  });

  it('when the member cancels (error=access_denied, Canceled By User), then 401 OAUTH_FAILED', async () => {
    await control(env.fake, { deny: true });
    const { authorizeUrl, cookie } = await begin(env.stack, 'naver');
    const callbackPath = await authorize(authorizeUrl);
    await control(env.fake, { deny: false });
    expect(callbackPath).toContain('error=access_denied');
    expect(callbackPath).toContain('error_description=Canceled+By+User');

    const result = await finish(env.stack, callbackPath, cookie);

    expect(result.status).toBe(401);
    expect(result.body.error.code).toBe('OAUTH_FAILED');
    expect(JSON.stringify(result.body)).not.toMatch(/Canceled/);
  });

  it("when the code has expired, then Naver's 200 error answer becomes 401 OAUTH_FAILED and no account", async () => {
    const id = `naver-expired-${Date.now()}`;
    await actAs({ id });
    const { authorizeUrl, cookie } = await begin(env.stack, 'naver');
    const callbackPath = await authorize(authorizeUrl);
    for (const code of env.fake.state.codes.values()) code.expiresAt = 0;

    const result = await finish(env.stack, callbackPath, cookie);

    expect(result.status).toBe(401);
    expect(result.body.error.code).toBe('OAUTH_FAILED');
    expect(await identityRows(env.stack, 'naver', id)).toEqual([]);
  });

  it('when a callback is replayed, then 400 OAUTH_STATE_INVALID', async () => {
    await actAs({ id: `naver-replay-${Date.now()}` });
    const { authorizeUrl, cookie } = await begin(env.stack, 'naver');
    const callbackPath = await authorize(authorizeUrl);

    expect((await finish(env.stack, callbackPath, cookie)).status).toBe(200);
    const replay = await finish(env.stack, callbackPath, cookie);

    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe('OAUTH_STATE_INVALID');
  });

  it('when Naver is down at the token exchange, then 503 PROVIDER_UNAVAILABLE', async () => {
    await actAs({ id: `naver-down-${Date.now()}` });
    const { authorizeUrl, cookie } = await begin(env.stack, 'naver');
    const callbackPath = await authorize(authorizeUrl);
    await control(env.fake, { down: true });

    const result = await finish(env.stack, callbackPath, cookie);
    await control(env.fake, { down: false });

    expect(result.status).toBe(503);
    expect(result.body.error.code).toBe('PROVIDER_UNAVAILABLE');
  });

  it('when a signed-in password user links Naver, then a later Naver login reaches that account, and unlinking leaves the password', async () => {
    const owner = await signupAndLogin(env.stack);
    const id = `naver-link-${owner.userId}`;
    await actAs({ id, email: owner.email });

    expect((await signIn(env.stack, 'naver', owner.accessToken)).status).toBe(200);
    const later = await signIn(env.stack, 'naver');
    expect((await me(env.stack, later.body.accessToken)).id).toBe(owner.userId);

    const unlink = await call(env.stack.url, 'DELETE', '/api/users/me/identities/naver', {
      token: owner.accessToken,
    });
    expect(unlink.status).toBe(204);
    expect(await identityRows(env.stack, 'naver', id)).toEqual([]);
  });
});
