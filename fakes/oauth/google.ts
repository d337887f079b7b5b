/**
 * A fake Google sign-in (accounts.google.com), on the OIDC fake's machinery: Google's paths
 * (/o/oauth2/v2/auth, /token, /v1/userinfo, /oauth2/v3/certs), an ID token with `email`, `email_verified`,
 * `name`, `given_name`, `family_name` and `azp`, access tokens for 3599 s, a bare `error=access_denied` on
 * refusal and `invalid_grant` / "Bad Request" for an unknown, expired or used code.
 */
import type { StartedFake } from '../fake-server';
import {
  startFlavouredProvider,
  type FlavouredProviderOptions,
  type OidcFlavour,
  type OidcProviderState,
  type OidcUser,
} from '../oidc-provider';

export const GOOGLE_FLAVOUR: OidcFlavour = {
  name: 'google',
  paths: {
    authorize: '/o/oauth2/v2/auth',
    token: '/token',
    userinfo: '/v1/userinfo',
    jwks: '/oauth2/v3/certs',
  },
  tokenEndpointAuthMethods: ['client_secret_post', 'client_secret_basic'],
  scopes: ['openid', 'email', 'profile'],
  issInAuthorizationResponse: false,
  codeTtlSeconds: 600,
  tokenTtlSeconds: 3599,
  idTokenClaims: (user) => {
    const [given, ...family] = (user.name ?? '').split(' ');
    return {
      ...(user.email === undefined
        ? {}
        : { email: user.email, email_verified: user.email_verified === true }),
      ...(user.name === undefined
        ? {}
        : {
            name: user.name,
            given_name: given,
            ...(family.length ? { family_name: family.join(' ') } : {}),
          }),
    };
  },
  userinfo: (user) => ({
    ...(user.email === undefined ? {} : { email: user.email, email_verified: user.email_verified === true }),
    ...(user.name === undefined ? {} : { name: user.name }),
  }),
  tokenAnswerExtras: () => ({}),
  tokenType: 'Bearer',
  tokenError: (error) => ({ error, error_description: 'Bad Request' }),
  denyDescription: undefined,
};

export const DEFAULT_GOOGLE_CLIENT_ID = 'voltmall-local.apps.googleusercontent.com';
export const DEFAULT_GOOGLE_CLIENT_SECRET = 'voltmall-google-local-secret';

export const DEFAULT_GOOGLE_USER: OidcUser = {
  sub: '104857600000000000001',
  email: 'google.user@example.com',
  email_verified: true,
  name: 'Google Tester',
};

export function startGoogleFake(options: FlavouredProviderOptions): Promise<StartedFake<OidcProviderState>> {
  const defaults = {
    clientId: DEFAULT_GOOGLE_CLIENT_ID,
    clientSecret: DEFAULT_GOOGLE_CLIENT_SECRET,
    user: DEFAULT_GOOGLE_USER,
  };
  return startFlavouredProvider(GOOGLE_FLAVOUR, defaults, options);
}
