/**
 * The Kakao, Naver and Google fakes answer as the real services do (#17): discovery paths, token answers and
 * lifetimes, error shapes (Kakao's KOE codes, Naver's HTTP 200 errors and resultcodes), consent denial, down.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { StartedFake } from '../../fakes/fake-server';
import { DEFAULT_GOOGLE_CLIENT_ID, startGoogleFake } from '../../fakes/oauth/google';
import {
  DEFAULT_KAKAO_CLIENT_ID,
  DEFAULT_KAKAO_CLIENT_SECRET,
  startKakaoFake,
} from '../../fakes/oauth/kakao';
import {
  DEFAULT_NAVER_CLIENT_ID,
  DEFAULT_NAVER_CLIENT_SECRET,
  startNaverFake,
  type NaverFakeState,
} from '../../fakes/oauth/naver';
import type { OidcProviderState } from '../../fakes/oidc-provider';

const redirectUri = 'http://127.0.0.1:8080/api/auth/oauth/x/callback';
const form = (params: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(params).toString(),
});

describe('the Kakao fake', () => {
  let kakao: StartedFake<OidcProviderState>;
  beforeAll(async () => {
    kakao = await startKakaoFake({ port: 0, redirectUris: [redirectUri] });
  });
  afterAll(() => kakao.close());

  async function authorizeCode(): Promise<{ code: string; verifier: string }> {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const url = new URL(`${kakao.url}/oauth/authorize`);
    url.search = new URLSearchParams({
      client_id: DEFAULT_KAKAO_CLIENT_ID,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid account_email',
      state: 'state-0123456789abcdef',
      nonce: 'nonce-0123456789',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    const answer = await fetch(url, { redirect: 'manual' });
    const back = new URL(answer.headers.get('location')!);
    expect(back.searchParams.has('iss')).toBe(false);
    return { code: back.searchParams.get('code')!, verifier };
  }

  it("when discovered, then it names Kakao's endpoint paths and client_secret_post only", async () => {
    const doc = await (await fetch(`${kakao.url}/.well-known/openid-configuration`)).json();
    expect(doc).toMatchObject({
      issuer: kakao.url,
      authorization_endpoint: `${kakao.url}/oauth/authorize`,
      token_endpoint: `${kakao.url}/oauth/token`,
      userinfo_endpoint: `${kakao.url}/v1/oidc/userinfo`,
      jwks_uri: `${kakao.url}/.well-known/jwks.json`,
      token_endpoint_auth_methods_supported: ['client_secret_post'],
    });
  });

  it("when a code is exchanged, then Kakao's token answer (6 h tokens, 60-day refresh); a second time, then invalid_grant with KOE320", async () => {
    const { code, verifier } = await authorizeCode();
    const params = {
      grant_type: 'authorization_code',
      client_id: DEFAULT_KAKAO_CLIENT_ID,
      client_secret: DEFAULT_KAKAO_CLIENT_SECRET,
      redirect_uri: redirectUri,
      code,
      code_verifier: verifier,
    };

    const first = await fetch(`${kakao.url}/oauth/token`, form(params));
    const second = await fetch(`${kakao.url}/oauth/token`, form(params));

    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({
      token_type: 'bearer',
      expires_in: 21599,
      refresh_token_expires_in: 5183999,
      id_token: expect.any(String),
      refresh_token: expect.any(String),
    });
    expect(second.status).toBe(400);
    expect(await second.json()).toMatchObject({ error: 'invalid_grant', error_code: 'KOE320' });
  });

  it('when the member declines, then back with error=access_denied and "User denied access"', async () => {
    await fetch(`${kakao.url}/__control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deny: true }),
    });
    const url = new URL(`${kakao.url}/oauth/authorize`);
    url.search = new URLSearchParams({
      client_id: DEFAULT_KAKAO_CLIENT_ID,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid',
      state: 'state-0123456789abcdef',
      nonce: 'n-0123456789',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    }).toString();

    const back = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!);

    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('error_description')).toBe('User denied access');
    await fetch(`${kakao.url}/__reset`, { method: 'POST' });
  });
});

describe('the Google fake', () => {
  it("when discovered, then Google's paths; when down, then 503", async () => {
    const google = await startGoogleFake({ port: 0, redirectUris: [redirectUri] });
    try {
      const doc = await (await fetch(`${google.url}/.well-known/openid-configuration`)).json();
      expect(doc).toMatchObject({
        authorization_endpoint: `${google.url}/o/oauth2/v2/auth`,
        jwks_uri: `${google.url}/oauth2/v3/certs`,
      });
      expect(google.state.clients[0]!.clientId).toBe(DEFAULT_GOOGLE_CLIENT_ID);
      google.state.down = true;
      expect((await fetch(`${google.url}/.well-known/openid-configuration`)).status).toBe(503);
    } finally {
      await google.close();
    }
  });
});

describe('the Naver fake', () => {
  let naver: StartedFake<NaverFakeState>;
  beforeAll(async () => {
    naver = await startNaverFake({ port: 0, redirectUris: [redirectUri] });
  });
  afterAll(() => naver.close());

  async function code(state = 'naver-state'): Promise<string> {
    const url = new URL(`${naver.url}/oauth2.0/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: DEFAULT_NAVER_CLIENT_ID,
      redirect_uri: redirectUri,
      state,
    }).toString();
    const back = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!);
    expect(back.searchParams.get('state')).toBe(state);
    return back.searchParams.get('code')!;
  }
  const token = (params: Record<string, string>) =>
    fetch(
      `${naver.url}/oauth2.0/token`,
      form({
        grant_type: 'authorization_code',
        client_id: DEFAULT_NAVER_CLIENT_ID,
        client_secret: DEFAULT_NAVER_CLIENT_SECRET,
        state: 'naver-state',
        ...params,
      }),
    );

  it("when a code is exchanged, then Naver's answer (expires_in as a string); again, then HTTP 200 with an error", async () => {
    const issued = await code();

    const first = await token({ code: issued });
    const again = await token({ code: issued });

    expect(first.status).toBe(200);
    const tokens: any = await first.json();
    expect(tokens).toMatchObject({
      token_type: 'bearer',
      expires_in: '3600',
      refresh_token: expect.any(String),
    });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({
      error: 'invalid_request',
      error_description: 'no valid data in session',
    });

    const profile = await fetch(`${naver.url}/v1/nid/me`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await profile.json()).toMatchObject({
      resultcode: '00',
      message: 'success',
      response: { id: expect.any(String) },
    });
  });

  it('when the secret is wrong, then invalid_client (HTTP 200)', async () => {
    const answer = await token({ code: await code(), client_secret: 'wrong' });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { error: string }).error).toBe('invalid_client');
  });

  it('when the profile is asked with a bad token or none, then 401 with resultcode 024 or 028', async () => {
    const bad = await fetch(`${naver.url}/v1/nid/me`, { headers: { authorization: 'Bearer nope' } });
    const none = await fetch(`${naver.url}/v1/nid/me`);
    const resultcode = async (answer: Response) =>
      ((await answer.json()) as { resultcode: string }).resultcode;
    expect([bad.status, await resultcode(bad)]).toEqual([401, '024']);
    expect([none.status, await resultcode(none)]).toEqual([401, '028']);
  });

  it('when the member cancels, then back with error=access_denied and "Canceled By User"; the inbox records it', async () => {
    naver.state.deny = true;
    const url = new URL(`${naver.url}/oauth2.0/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: DEFAULT_NAVER_CLIENT_ID,
      redirect_uri: redirectUri,
      state: 's',
    }).toString();
    const back = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!);
    naver.state.deny = false;

    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('error_description')).toBe('Canceled By User');
    const inbox: any = await (await fetch(`${naver.url}/__inbox`)).json();
    expect(inbox.logins[0]).toMatchObject({ denied: true });
  });
});
