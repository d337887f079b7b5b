/**
 * Google sign-in (OpenID Connect) end to end through the gateway against the Google fake (#17), and the page
 * a browser lands on at the end of the login (#20).
 */
import { appKey } from '../../shared/redis';
import { call, uniqueEmail } from '../support/stack';
import { useOAuthStack } from './oauth-flow';

describe('Google sign-in through the gateway', () => {
  const env = useOAuthStack('google');

  // First in this file: the BFF has not discovered Google yet.
  it('when Google is down at the first start (discovery), then 503 PROVIDER_UNAVAILABLE and no state; once it is back, start works', async () => {
    const states = () =>
      env.stack.bff.ctx.redis.keys(appKey(env.stack.env.REDIS_PREFIX!, 'oauth', 'state', '*'));
    await env.control({ down: true });

    const down = await call(env.stack.url, 'GET', '/api/auth/oauth/google/start');
    await env.control({ down: false });
    const up = await call(env.stack.url, 'GET', '/api/auth/oauth/google/start');

    expect(down.status).toBe(503);
    expect(down.body.error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', requestId: expect.any(String) });
    expect(down.headers.get('set-cookie')).toBeNull();
    expect(up.status).toBe(302);
    expect(await states()).toHaveLength(1);
  });

  it('when a new Google user with a verified e-mail signs in, then tokens and an account with that e-mail', async () => {
    const email = uniqueEmail('google');
    const subject = `g-${Date.now()}`;
    await env.actAs({ sub: subject, email, email_verified: true, name: 'Kim Minji' });

    const { authorizeUrl, cookie } = await env.begin();
    expect(authorizeUrl.pathname).toBe('/o/oauth2/v2/auth');
    const result = await env.finish(await env.authorize(authorizeUrl), cookie);

    expect(result.status).toBe(200);
    expect(await env.me(result.body.accessToken)).toMatchObject({ email, name: 'Kim Minji' });
    expect(await env.identityRows(subject)).toHaveLength(1);
  });

  it('when Google says the e-mail of an existing account is unverified, then no 409 and no takeover: a new account without e-mail', async () => {
    const owner = await env.signupAndLogin();
    await env.actAs({ sub: `g-unverified-${owner.userId}`, email: owner.email, email_verified: false });

    const result = await env.signIn();

    expect(result.status).toBe(200);
    const user = await env.me(result.body.accessToken);
    expect(user.id).not.toBe(owner.userId);
    expect(user.email).toBeNull();
  });

  it('when the user declines (bare error=access_denied), then 401 OAUTH_FAILED', async () => {
    await env.control({ deny: true });
    const { callbackPath, cookie } = await env.reachCallback();
    await env.control({ deny: false });

    const result = await env.finish(callbackPath, cookie);

    expect(result.status).toBe(401);
    expect(result.body.error.code).toBe('OAUTH_FAILED');
  });

  it('when the code was already used at Google (invalid_grant), then 401 OAUTH_FAILED', async () => {
    await env.actAs({ sub: `g-used-${Date.now()}` });
    const { callbackPath, cookie } = await env.reachCallback();
    for (const code of env.fake.state.codes.values()) code.redeemed = true;

    const result = await env.finish(callbackPath, cookie);

    expect(result.status).toBe(401);
    expect(result.body.error.code).toBe('OAUTH_FAILED');
  });

  it('when Google is down at the code exchange, then 503 PROVIDER_UNAVAILABLE', async () => {
    await env.actAs({ sub: `g-down-${Date.now()}` });
    const { callbackPath, cookie } = await env.reachCallback();

    const result = await env.finishWhileDown(callbackPath, cookie);

    expect(result.status).toBe(503);
    expect(result.body.error.code).toBe('PROVIDER_UNAVAILABLE');
  });

  describe('the landing page (#20)', () => {
    const browserAccept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

    it('when a browser navigation reaches the callback, then a static HTML page says who signed in, with no-store, no referrer and a CSP without scripts', async () => {
      const email = uniqueEmail('browser');
      await env.actAs({ sub: `g-browser-${Date.now()}`, email, email_verified: true });
      const { authorizeUrl, cookie } = await env.begin();

      const page = await env.finish(await env.authorize(authorizeUrl), cookie, browserAccept);

      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      const csp = page.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('script-src');
      expect(page.body).toContain(`Signed in as ${email}`);
      expect(page.body).toContain('You can close this window.');
      expect(page.body).not.toMatch(/<script|https?:\/\//);
    });

    it('when a browser asks with ?format=json, then it gets the JSON', async () => {
      await env.actAs({ sub: `g-json-${Date.now()}` });
      const { callbackPath, cookie } = await env.reachCallback();

      const result = await env.finish(`${callbackPath}&format=json`, cookie, browserAccept);

      expect(result.status).toBe(200);
      expect(result.body.accessToken).toEqual(expect.any(String));
    });

    it('when the login fails in a browser, then the page names our error code and never the provider text', async () => {
      const { authorizeUrl, cookie } = await env.begin();
      const state = authorizeUrl.searchParams.get('state')!;
      const query = new URLSearchParams({ state, error: 'access_denied', error_description: '<b>phish</b>' });

      const page = await env.finish(`/api/auth/oauth/google/callback?${query}`, cookie, browserAccept);

      expect(page.status).toBe(401);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.body).toContain('OAUTH_FAILED');
      expect(page.body).not.toMatch(/phish|access_denied/);
    });
  });
});
