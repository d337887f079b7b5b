/**
 * A fake Kakao Login with OpenID Connect (kauth.kakao.com), on the OIDC fake's machinery: Kakao's paths
 * (/oauth/authorize, /oauth/token, /.well-known/jwks.json; UserInfo at /v1/oidc/userinfo, which the real
 * service serves from kapi.kakao.com), client_secret_post only, an ID token with `nickname` and `email` but no
 * `email_verified`, a UserInfo that states `email_verified` and `phone_number_verified`, access and ID tokens
 * for 21599 s (6 h) with a 60-day refresh token, `error=access_denied&error_description=User denied access` on
 * refusal, and token errors with Kakao's `error_code` (KOE320: the code is unknown, expired or used).
 */
import { randomBytes } from 'node:crypto';
import type { StartedFake } from '../fake-server';
import {
  startFlavouredProvider,
  type FlavouredProviderOptions,
  type OidcFlavour,
  type OidcProviderState,
  type OidcUser,
} from '../oidc-provider';

export const KAKAO_FLAVOUR: OidcFlavour = {
  name: 'kakao',
  paths: {
    authorize: '/oauth/authorize',
    token: '/oauth/token',
    userinfo: '/v1/oidc/userinfo',
    jwks: '/.well-known/jwks.json',
  },
  tokenEndpointAuthMethods: ['client_secret_post'],
  scopes: ['openid', 'account_email', 'profile_nickname', 'profile_image', 'phone_number'],
  issInAuthorizationResponse: false,
  codeTtlSeconds: 600,
  tokenTtlSeconds: 21_599,
  idTokenClaims: (user) => ({
    ...(user.nickname === undefined ? {} : { nickname: user.nickname }),
    ...(user.email === undefined ? {} : { email: user.email }),
  }),
  userinfo: (user) => ({
    ...(user.nickname === undefined ? {} : { nickname: user.nickname }),
    ...(user.email === undefined ? {} : { email: user.email, email_verified: user.email_verified === true }),
    ...(user.phone_number === undefined
      ? {}
      : { phone_number: user.phone_number, phone_number_verified: user.phone_number_verified === true }),
  }),
  tokenAnswerExtras: () => ({
    refresh_token: randomBytes(32).toString('base64url'),
    refresh_token_expires_in: 5_183_999,
  }),
  tokenType: 'bearer',
  tokenError: (error, description) => ({
    error,
    error_description: description,
    error_code: error === 'invalid_grant' ? 'KOE320' : 'KOE010',
  }),
  denyDescription: 'User denied access',
};

export const DEFAULT_KAKAO_CLIENT_ID = 'voltmall-kakao-local';
export const DEFAULT_KAKAO_CLIENT_SECRET = 'voltmall-kakao-local-secret';

/** A Kakao member as the fake approves them: member number, nickname, a verified address. */
export const DEFAULT_KAKAO_USER: OidcUser = {
  sub: '3141592653',
  nickname: '카카오테스트',
  email: 'kakao.user@example.com',
  email_verified: true,
};

export function startKakaoFake(options: FlavouredProviderOptions): Promise<StartedFake<OidcProviderState>> {
  const defaults = {
    clientId: DEFAULT_KAKAO_CLIENT_ID,
    clientSecret: DEFAULT_KAKAO_CLIENT_SECRET,
    user: DEFAULT_KAKAO_USER,
  };
  return startFlavouredProvider(KAKAO_FLAVOUR, defaults, options);
}
