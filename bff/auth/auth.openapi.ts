import { z } from 'zod';
import { timestamp } from '../openapi/common-schemas';
import type { RouteDoc } from '../openapi/route-doc';
import {
  loginBody,
  oauthCallbackQuery,
  oauthProviderParams,
  refreshBody,
  signupBody,
  smsSendBody,
  smsVerifyBody,
} from './auth.schemas';
import { OAUTH_BINDING_COOKIE } from './oauth.service';

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

export const publicUser = z
  .strictObject({
    id: z.int().positive(),
    email: z.string(),
    name: z.string().nullable(),
    phone: z.string().nullable(),
    phoneVerified: z.boolean(),
    role: z.enum(['user', 'admin']),
    status: z.enum(['active', 'suspended']),
    createdAt: timestamp,
  })
  .meta({ id: 'User' });

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
    responses: { 200: { description: 'Logged in (and linked, after a link)', schema: oauthResult } },
    errors: [400, 401, 404, 409, 503],
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
