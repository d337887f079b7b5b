/**
 * The browser side of an external login, through the real gateway and BFF against one provider fake: the
 * start (302 + binding cookie), the provider's authorize step (the fake approves or declines at once and
 * redirects back), and the callback with the cookie a browser would send.
 */
import type { StartedFake } from '../../fakes/fake-server';
import {
  startGoogleFake,
  DEFAULT_GOOGLE_CLIENT_ID,
  DEFAULT_GOOGLE_CLIENT_SECRET,
} from '../../fakes/oauth/google';
import {
  startKakaoFake,
  DEFAULT_KAKAO_CLIENT_ID,
  DEFAULT_KAKAO_CLIENT_SECRET,
} from '../../fakes/oauth/kakao';
import {
  startNaverFake,
  DEFAULT_NAVER_CLIENT_ID,
  DEFAULT_NAVER_CLIENT_SECRET,
} from '../../fakes/oauth/naver';
import { freePort } from '../support/gateway';
import { call, startStack, uniqueEmail, type TestStack } from '../support/stack';

export type ProviderId = 'kakao' | 'naver' | 'google';

export interface ProviderStack {
  stack: TestStack;
  fake: StartedFake<any>;
  close(): Promise<void>;
}

/** The stack with one provider enabled against its fake (and the dev 'fake' one, as always). */
export async function startProviderStack(provider: ProviderId, label: string): Promise<ProviderStack> {
  const gatewayPort = await freePort();
  const publicBaseUrl = `http://127.0.0.1:${gatewayPort}`;
  const redirectUris = [`${publicBaseUrl}/api/auth/oauth/${provider}/callback`];
  let fake: StartedFake<any>;
  let env: Record<string, string>;
  if (provider === 'kakao') {
    fake = await startKakaoFake({ port: 0, redirectUris });
    env = {
      KAKAO_CLIENT_ID: DEFAULT_KAKAO_CLIENT_ID,
      KAKAO_CLIENT_SECRET: DEFAULT_KAKAO_CLIENT_SECRET,
      KAKAO_ISSUER_URL: fake.url,
    };
  } else if (provider === 'google') {
    fake = await startGoogleFake({ port: 0, redirectUris });
    env = {
      GOOGLE_CLIENT_ID: DEFAULT_GOOGLE_CLIENT_ID,
      GOOGLE_CLIENT_SECRET: DEFAULT_GOOGLE_CLIENT_SECRET,
      GOOGLE_ISSUER_URL: fake.url,
    };
  } else {
    fake = await startNaverFake({ port: 0, redirectUris });
    env = {
      NAVER_CLIENT_ID: DEFAULT_NAVER_CLIENT_ID,
      NAVER_CLIENT_SECRET: DEFAULT_NAVER_CLIENT_SECRET,
      NAVER_AUTH_URL: fake.url,
      NAVER_API_URL: fake.url,
    };
  }
  const stack = await startStack({
    label,
    env: { PUBLIC_BASE_URL: publicBaseUrl, ...env },
    gateway: { listenPort: gatewayPort },
  });
  return {
    stack,
    fake,
    async close() {
      await stack.close();
      await fake.close();
    },
  };
}

/**
 * One provider's stack for a `describe` block: started before its tests (label `oauth-<provider>`), closed
 * after them, with the flow's steps below bound to that stack and provider.
 */
export interface OAuthStack {
  readonly stack: TestStack;
  readonly fake: StartedFake<any>;
  /** Who logs in next (`user` for the OIDC fakes, `member` for Naver), with deny and down off. */
  actAs(who: Record<string, unknown>): Promise<void>;
  control(knobs: Record<string, unknown>): Promise<void>;
  begin(linkToken?: string): ReturnType<typeof begin>;
  authorize(authorizeUrl: URL): Promise<string>;
  /** Start and the provider's authorize step: the callback path the browser is sent back to, and its cookie. */
  reachCallback(): Promise<{ callbackPath: string; cookie: string | undefined }>;
  finish(callbackPath: string, cookie: string | undefined, accept?: string): ReturnType<typeof finish>;
  /** The callback while the provider is down (its code exchange fails); the provider is back up after. */
  finishWhileDown(callbackPath: string, cookie: string | undefined): ReturnType<typeof finish>;
  signIn(linkToken?: string): ReturnType<typeof signIn>;
  signupAndLogin(): ReturnType<typeof signupAndLogin>;
  me(accessToken: string): Promise<any>;
  identityRows(subject: string): ReturnType<typeof identityRows>;
}

export function useOAuthStack(provider: ProviderId): OAuthStack {
  let started: ProviderStack | undefined;
  beforeAll(async () => {
    started = await startProviderStack(provider, `oauth-${provider}`);
  });
  afterAll(async () => {
    await started?.close();
  });
  const current = (): ProviderStack => {
    if (started === undefined) throw new Error(`the ${provider} stack is used before beforeAll started it`);
    return started;
  };
  const who = provider === 'naver' ? 'member' : 'user';
  return {
    get stack() {
      return current().stack;
    },
    get fake() {
      return current().fake;
    },
    actAs: (user) => control(current().fake, { [who]: user, deny: false, down: false }),
    control: (knobs) => control(current().fake, knobs),
    begin: (linkToken) => begin(current().stack, provider, linkToken),
    authorize,
    async reachCallback() {
      const { authorizeUrl, cookie } = await begin(current().stack, provider);
      return { callbackPath: await authorize(authorizeUrl), cookie };
    },
    finish: (callbackPath, cookie, accept) => finish(current().stack, callbackPath, cookie, accept),
    async finishWhileDown(callbackPath, cookie) {
      await control(current().fake, { down: true });
      try {
        return await finish(current().stack, callbackPath, cookie);
      } finally {
        await control(current().fake, { down: false });
      }
    },
    signIn: (linkToken) => signIn(current().stack, provider, linkToken),
    signupAndLogin: () => signupAndLogin(current().stack),
    me: (accessToken) => me(current().stack, accessToken),
    identityRows: (subject) => identityRows(current().stack, provider, subject),
  };
}

/** Sets the fake's knobs: who logs in (`user` for the OIDC fakes, `member` for Naver), deny, down. */
export async function control(fake: StartedFake<any>, knobs: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${fake.url}/__control`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(knobs),
  });
  if (response.status !== 200) throw new Error(`__control answered ${response.status}`);
}

/** The cookie pairs a browser would send back. */
export function cookieOf(headers: Headers): string | undefined {
  const cookies = headers.getSetCookie().map((cookie) => cookie.split(';')[0]!);
  return cookies.length > 0 ? cookies.join('; ') : undefined;
}

/** Start (GET, or POST link with a token): the provider's authorization URL and the binding cookie. */
export async function begin(
  stack: TestStack,
  provider: ProviderId,
  linkToken?: string,
): Promise<{ authorizeUrl: URL; cookie: string | undefined }> {
  if (linkToken === undefined) {
    const start = await call(stack.url, 'GET', `/api/auth/oauth/${provider}/start`);
    if (start.status !== 302)
      throw new Error(`start answered ${start.status}: ${JSON.stringify(start.body)}`);
    return { authorizeUrl: new URL(start.headers.get('location')!), cookie: cookieOf(start.headers) };
  }
  const link = await call(stack.url, 'POST', `/api/auth/oauth/${provider}/link`, { token: linkToken });
  if (link.status !== 200) throw new Error(`link answered ${link.status}: ${JSON.stringify(link.body)}`);
  return { authorizeUrl: new URL(link.body.authorizationUrl), cookie: cookieOf(link.headers) };
}

/** The provider's authorize step: where it sends the browser back (path and query at the gateway). */
export async function authorize(authorizeUrl: URL): Promise<string> {
  const response = await fetch(authorizeUrl, { redirect: 'manual' });
  if (response.status !== 302) throw new Error(`authorize answered ${response.status}`);
  const back = new URL(response.headers.get('location')!);
  return `${back.pathname}${back.search}`;
}

export function finish(
  stack: TestStack,
  callbackPath: string,
  cookie: string | undefined,
  accept = 'application/json',
) {
  return call(stack.url, 'GET', callbackPath, { headers: { accept, ...(cookie ? { cookie } : {}) } });
}

/** A whole login (or link, with a token) as the fake's current user. */
export async function signIn(stack: TestStack, provider: ProviderId, linkToken?: string) {
  const { authorizeUrl, cookie } = await begin(stack, provider, linkToken);
  return finish(stack, await authorize(authorizeUrl), cookie);
}

export async function signupAndLogin(
  stack: TestStack,
  email = uniqueEmail('pw'),
): Promise<{ email: string; userId: number; accessToken: string }> {
  const password = 'Passw0rd!';
  const signup = await call(stack.url, 'POST', '/api/auth/signup', { body: { email, password } });
  if (signup.status !== 201) throw new Error(`signup answered ${signup.status}`);
  const login = await call(stack.url, 'POST', '/api/auth/login', { body: { email, password } });
  return { email, userId: signup.body.user.id as number, accessToken: login.body.accessToken as string };
}

export async function me(stack: TestStack, accessToken: string): Promise<any> {
  const response = await call(stack.url, 'GET', '/api/users/me', { token: accessToken });
  if (response.status !== 200) throw new Error(`me answered ${response.status}`);
  return response.body.user;
}

export const identityRows = (stack: TestStack, provider: ProviderId, subject: string) =>
  stack.database.db('user_identities').where({ provider, subject }).select('user_id', 'email');
