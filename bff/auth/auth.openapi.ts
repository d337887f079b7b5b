import { z } from 'zod';
import { timestamp } from '../openapi/common-schemas';
import type { RouteDoc } from '../openapi/route-doc';
import {
  loginBody,
  oauthCallbackQuery,
  oauthProviderParams,
  oauthUnlinkParams,
  refreshBody,
  signupBody,
  smsSendBody,
  smsVerifyBody,
} from './auth.schemas';
import { OAUTH_BINDING_COOKIE } from './oauth.service';
import { CSRF_COOKIE, CSRF_HEADER, REFRESH_COOKIE } from './browser-session';

export const tokenPair = z
  .strictObject({
    accessToken: z.string().meta({ description: 'EdDSA JWT, 15 minutes' }),
    refreshToken: z.string().meta({ description: 'Opaque, single use: each refresh returns a new one' }),
    expiresIn: z.int().positive().meta({ description: 'Seconds until the access token expires' }),
    tokenType: z.literal('Bearer'),
  })
  .meta({ id: 'TokenPair' });

export const oauthLinkStart = z
  .strictObject({ authorizationUrl: z.url().meta({ description: "The provider's authorization URL" }) })
  .meta({ id: 'OAuthLinkStart' });

export const oauthResult = tokenPair
  .extend({
    linked: z
      .strictObject({ provider: z.string(), userId: z.int().positive() })
      .optional()
      .meta({ description: 'After a link: the provider now linked to this account' }),
  })
  .meta({ id: 'OAuthResult' });

export const loginProviders = z
  .strictObject({
    items: z.array(
      z.strictObject({
        id: z.string().meta({ examples: ['kakao'] }),
        name: z.strictObject({ ko: z.string(), en: z.string() }).meta({ description: 'Display names' }),
        kind: z.enum(['oidc', 'oauth2']),
        startUrl: z.string().meta({ description: 'Where the login button sends the browser' }),
      }),
    ),
  })
  .meta({ id: 'LoginProviders' });

export const identityList = z
  .strictObject({
    items: z.array(
      z.strictObject({
        provider: z.string(),
        subjectHint: z
          .string()
          .meta({ description: "The provider's user id, masked: first two and last two characters" }),
        email: z.string().nullable().meta({ description: 'The address the provider gave, verified or not' }),
        linkedAt: timestamp,
      }),
    ),
  })
  .meta({ id: 'IdentityList' });

export const publicUser = z
  .strictObject({
    id: z.int().positive(),
    email: z.string().nullable().meta({
      description:
        'Null for an account made by an external login whose provider did not verify an e-mail address',
    }),
    name: z.string().nullable(),
    phone: z.string().nullable(),
    phoneVerified: z.boolean(),
    role: z.enum(['user', 'admin']),
    status: z.enum(['active', 'suspended']),
    createdAt: timestamp,
  })
  .meta({ id: 'User' });

export const browserSession = z
  .strictObject({
    accessToken: z.string().meta({ description: 'EdDSA JWT, 15 minutes: keep it in memory only' }),
    expiresIn: z.int().positive().meta({ description: 'Seconds until the access token expires' }),
    tokenType: z.literal('Bearer'),
    user: z.strictObject({
      id: z.int().positive(),
      email: z
        .string()
        .nullable()
        .meta({ description: 'Null only for an account made by an external login without one' }),
      role: z.enum(['user', 'admin']),
      name: z.string().optional().meta({ description: 'Absent when the account has no name' }),
    }),
  })
  .meta({ id: 'BrowserSession' });

const browserSessionCookies = {
  'Set-Cookie': `${REFRESH_COOKIE}: the refresh token (HttpOnly, SameSite=Strict, Path=/api/auth/browser-session, Secure on HTTPS, the refresh token's lifetime); ${CSRF_COOKIE}: the CSRF token the page echoes in ${CSRF_HEADER} (readable, SameSite=Strict, Path=/)`,
};

const csrfHeaders = z.object({
  [CSRF_HEADER.toLowerCase()]: z
    .string()
    .max(100)
    .optional()
    .meta({
      description: `The value of the ${CSRF_COOKIE} cookie (required when ${REFRESH_COOKIE} is sent)`,
    }),
});

export const authRouteDocs: RouteDoc[] = [
  {
    operationId: 'signUp',
    method: 'post',
    path: '/api/auth/signup',
    summary: 'Create an account with email and password',
    tag: 'auth',
    auth: 'public',
    body: signupBody,
    responses: { 201: { description: 'Created', schema: z.strictObject({ user: publicUser }) } },
    errors: [400, 409, 429],
  },
  {
    operationId: 'logIn',
    method: 'post',
    path: '/api/auth/login',
    summary: 'Log in: an access token and a refresh token',
    tag: 'auth',
    auth: 'public',
    body: loginBody,
    responses: { 200: { description: 'Logged in', schema: tokenPair } },
    errors: [400, 401, 403, 429],
  },
  {
    operationId: 'refreshTokens',
    method: 'post',
    path: '/api/auth/refresh',
    summary: 'Rotate a refresh token (reusing a spent one revokes the whole login)',
    tag: 'auth',
    auth: 'public',
    body: refreshBody,
    responses: { 200: { description: 'A new pair', schema: tokenPair } },
    errors: [400, 401, 403, 429],
  },
  {
    operationId: 'logOut',
    method: 'post',
    path: '/api/auth/logout',
    summary: 'Revoke the refresh token’s login (idempotent)',
    tag: 'auth',
    auth: 'public',
    body: refreshBody,
    responses: { 204: { description: 'Logged out' } },
    errors: [400],
  },
  {
    operationId: 'openBrowserSession',
    method: 'post',
    path: '/api/auth/browser-session',
    summary: 'Sign in from a browser: the access token in the body, the refresh token in an HttpOnly cookie',
    description:
      'Same rules, throttle and errors as POST /api/auth/login (and the same gateway rate limit). The refresh ' +
      'token is never in the body. A request whose Sec-Fetch-Site is not same-origin, or whose Origin is not ' +
      "the shop's, is 403 CSRF_FAILED.",
    tag: 'auth',
    auth: 'public',
    body: loginBody,
    responses: {
      200: { description: 'Signed in', schema: browserSession, headers: browserSessionCookies },
    },
    errors: [400, 401, 403, 429],
  },
  {
    operationId: 'refreshBrowserSession',
    method: 'post',
    path: '/api/auth/browser-session/refresh',
    summary: 'Continue a browser session: rotates the refresh cookie and returns a new access token',
    description:
      `No body. Needs the ${REFRESH_COOKIE} cookie (401 INVALID_REFRESH_TOKEN without it) and ${CSRF_HEADER} ` +
      `equal to the ${CSRF_COOKIE} cookie (403 CSRF_FAILED otherwise, also for a cross-origin request). ` +
      'Rotation and reuse detection as POST /api/auth/refresh: a spent cookie presented again revokes the ' +
      'whole login; a suspended account is 403 ACCOUNT_SUSPENDED. A refused session clears both cookies.',
    tag: 'auth',
    auth: 'public',
    headers: csrfHeaders,
    responses: {
      200: { description: 'A new access token', schema: browserSession, headers: browserSessionCookies },
    },
    errors: [401, 403, 429, 503],
  },
  {
    operationId: 'closeBrowserSession',
    method: 'delete',
    path: '/api/auth/browser-session',
    summary: 'Sign out of a browser session: revokes its login at once and clears both cookies (idempotent)',
    description:
      `With the ${REFRESH_COOKIE} cookie it needs ${CSRF_HEADER} equal to the ${CSRF_COOKIE} cookie (403 ` +
      'CSRF_FAILED otherwise); the access tokens of the login stop working at the gateway at once, as after ' +
      'POST /api/auth/logout. Without the cookie there is nothing to revoke: 204.',
    tag: 'auth',
    auth: 'public',
    headers: csrfHeaders,
    responses: { 204: { description: 'Signed out; both cookies cleared' } },
    errors: [403, 503],
  },
  {
    operationId: 'sendSmsCode',
    method: 'post',
    path: '/api/auth/sms/send',
    summary: 'Send a 6-digit verification code to the user’s phone (or the given one)',
    tag: 'auth',
    auth: 'user',
    body: smsSendBody,
    responses: {
      202: {
        description: 'Code queued for sending',
        schema: z.strictObject({ expiresIn: z.int(), resendIn: z.int() }),
      },
    },
    errors: [400, 404, 429, 503],
  },
  {
    operationId: 'getSmsStatus',
    method: 'get',
    path: '/api/auth/sms/status',
    summary: 'Whether the pending code’s SMS went out, and if the provider refused it, why',
    description:
      'For the signed-in user. `sending`: queued or being retried; `sent`: the SMS provider took it; ' +
      '`failed`: it refused the message for good (bad number, blocked or unregistered sender) and `reason` ' +
      'says why: ask for a new code; `none`: no code is pending.',
    tag: 'auth',
    auth: 'user',
    responses: {
      200: {
        description: 'The pending code’s SMS',
        schema: z
          .discriminatedUnion('status', [
            z.strictObject({ status: z.literal('none') }),
            z.strictObject({ status: z.enum(['sending', 'sent']), expiresIn: z.int().min(0) }),
            z.strictObject({ status: z.literal('failed'), reason: z.string() }),
          ])
          .meta({ id: 'SmsSendStatus' }),
      },
    },
    errors: [503],
  },
  {
    operationId: 'verifySmsCode',
    method: 'post',
    path: '/api/auth/sms/verify',
    summary: 'Verify the code: marks the phone verified',
    tag: 'auth',
    auth: 'user',
    body: smsVerifyBody,
    responses: {
      200: {
        description: 'Verified',
        schema: z.strictObject({ verified: z.literal(true), phone: z.string() }),
      },
    },
    errors: [400, 422, 429],
  },
  {
    operationId: 'startOAuthLogin',
    method: 'get',
    path: '/api/auth/oauth/:provider/start',
    summary:
      'Start an OpenID Connect login (redirects to the provider); rate-limited per address with OAuth link',
    tag: 'auth',
    auth: 'public',
    params: oauthProviderParams,
    responses: {
      302: {
        description: 'Redirect to the provider',
        headers: {
          Location: 'The authorization URL',
          'Set-Cookie': `${OAUTH_BINDING_COOKIE}: ties the login to this browser (HttpOnly, SameSite=Lax, 10 minutes)`,
        },
      },
    },
    errors: [400, 404, 429, 503],
  },
  {
    operationId: 'startOAuthLink',
    method: 'post',
    path: '/api/auth/oauth/:provider/link',
    summary:
      'Start linking a provider to the signed-in account: the authorization URL to send the browser to (JSON, not a redirect, since a navigation cannot carry the Bearer token)',
    tag: 'auth',
    auth: 'user',
    params: oauthProviderParams,
    responses: {
      200: {
        description: 'Send the browser to authorizationUrl; the callback links the identity to this account',
        schema: oauthLinkStart,
        headers: {
          'Set-Cookie': `${OAUTH_BINDING_COOKIE}: ties the link to this browser (HttpOnly, SameSite=Lax, 10 minutes)`,
        },
      },
    },
    errors: [400, 404, 429, 503],
  },
  {
    operationId: 'finishOAuthLogin',
    method: 'get',
    path: '/api/auth/oauth/:provider/callback',
    summary:
      'Finish an OpenID Connect login or link: tokens for the linked account, for a new account (first login with an unused e-mail), or for the account that asked to link. An e-mail that already has an account is 409 ACCOUNT_EXISTS: sign in and link instead',
    tag: 'auth',
    auth: 'public',
    params: oauthProviderParams,
    query: oauthCallbackQuery,
    description:
      'A browser navigation (Accept prefers text/html, no format=json) gets a static HTML page instead: "Signed in as …, you can close this window", the tokens folded away for a developer, and on failure our error code; that page is Cache-Control: no-store, Referrer-Policy: no-referrer and under a CSP with no script (README, OAuth). An e-mail is trusted only when the provider states it verified; an account made without one has email null. A provider that is down or answers 5xx is 503 PROVIDER_UNAVAILABLE.',
    responses: {
      200: {
        description: 'Logged in (and linked, after a link); text/html for a browser navigation',
        schema: oauthResult,
      },
    },
    errors: [400, 401, 404, 409, 503],
  },
  {
    operationId: 'listLoginProviders',
    method: 'get',
    path: '/api/auth/providers',
    summary: 'The enabled external login providers, in display order, for a login page to draw its buttons',
    tag: 'auth',
    auth: 'public',
    responses: { 200: { description: 'The enabled providers', schema: loginProviders } },
    errors: [],
  },
  {
    operationId: 'listMyIdentities',
    method: 'get',
    path: '/api/users/me/identities',
    summary: "The signed-in user's linked external identities (Kakao, Naver, Google, ...), oldest link first",
    tag: 'users',
    auth: 'user',
    responses: { 200: { description: 'The identities', schema: identityList } },
    errors: [],
  },
  {
    operationId: 'unlinkMyIdentity',
    method: 'delete',
    path: '/api/users/me/identities/:provider',
    summary:
      "Unlink the signed-in user's identity at a provider; refused with 409 LAST_SIGN_IN_METHOD when the account has no password and no identity at another provider",
    tag: 'users',
    auth: 'user',
    params: oauthUnlinkParams,
    responses: { 204: { description: 'Unlinked' } },
    errors: [400, 404, 409],
  },
  {
    operationId: 'getCurrentUser',
    method: 'get',
    path: '/api/users/me',
    summary: 'The signed-in user',
    tag: 'users',
    auth: 'user',
    responses: { 200: { description: 'The user', schema: z.strictObject({ user: publicUser }) } },
    errors: [],
  },
];
