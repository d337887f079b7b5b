import * as oidc from 'openid-client';
import { OAuthFailedError, ProviderUnavailableError, providerUnavailableIn } from '../oauth.errors';
import {
  PROVIDER_TIMEOUT_MS,
  normalisedEmail,
  providerFetch,
  type AuthorizationResponse,
  type ExternalProfile,
  type LoginChecks,
  type LoginProvider,
} from './login-provider';

/** ID token claims, and the UserInfo answer when the provider's ID token leaves something out. */
export interface OidcClaims {
  idToken: oidc.IDToken;
  userInfo?: oidc.UserInfoResponse;
}

/** The standard claims as Google and the dev provider send them: the e-mail counts when `email_verified` is true. */
export function standardOidcProfile({ idToken }: OidcClaims): ExternalProfile {
  return {
    subject: idToken.sub,
    email: normalisedEmail(idToken.email),
    emailVerified: idToken.email_verified === true && normalisedEmail(idToken.email) !== undefined,
    name: typeof idToken.name === 'string' ? idToken.name : undefined,
  };
}

export interface OidcProviderSettings {
  id: string;
  displayName: { ko: string; en: string };
  issuerUrl: string;
  clientId: string;
  /** Empty when the provider's app has no client secret (Kakao's is optional): the client sends only its id. */
  clientSecret: string;
  scope: string;
  /** Whether to ask the UserInfo endpoint as well (Kakao states email_verified only there). */
  fetchUserInfo: boolean;
  /** The provider's claims in the shop's terms: what it states as verified, and nothing more. */
  profile(claims: OidcClaims): ExternalProfile;
}

/**
 * An OpenID Connect provider through openid-client: discovery (retried after a failure), authorization code
 * with PKCE S256, state and nonce; the library checks the ID token's signature, issuer, audience, expiry and
 * nonce. http: issuers (the fakes) are allowed, everything real is https.
 */
export function oidcLoginProvider(settings: OidcProviderSettings): LoginProvider {
  const fetchForProvider = providerFetch(settings.id) as unknown as oidc.CustomFetch;
  const insecure = new URL(settings.issuerUrl).protocol === 'http:';
  let configuration: Promise<oidc.Configuration> | undefined;

  function discovered(): Promise<oidc.Configuration> {
    configuration ??= oidc
      .discovery(
        new URL(settings.issuerUrl),
        settings.clientId,
        undefined,
        settings.clientSecret === '' ? oidc.None() : oidc.ClientSecretPost(settings.clientSecret),
        {
          [oidc.customFetch]: fetchForProvider,
          execute: insecure ? [oidc.allowInsecureRequests] : [],
          timeout: PROVIDER_TIMEOUT_MS / 1000,
        },
      )
      .then((config) => {
        config[oidc.customFetch] = fetchForProvider;
        config.timeout = PROVIDER_TIMEOUT_MS / 1000;
        return config;
      })
      .catch((error: unknown) => {
        configuration = undefined; // discover again on the next login
        throw providerUnavailableIn(error) ?? new ProviderUnavailableError(settings.id, { cause: error });
      });
    return configuration;
  }

  /** The provider's refusal (invalid_grant, a failed ID token check, ...) is the login's failure, not ours. */
  const failed = (error: unknown): never => {
    throw (
      providerUnavailableIn(error) ??
      new OAuthFailedError('The provider did not confirm the login', { cause: error })
    );
  };

  return {
    id: settings.id,
    displayName: settings.displayName,
    kind: 'oidc',

    async authorizationUrl(checks: LoginChecks): Promise<string> {
      const config = await discovered();
      return oidc
        .buildAuthorizationUrl(config, {
          response_type: 'code',
          scope: settings.scope,
          redirect_uri: checks.redirectUri,
          state: checks.state,
          nonce: checks.nonce,
          code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
          code_challenge_method: 'S256',
        })
        .toString();
    },

    async complete(response: AuthorizationResponse, checks: LoginChecks): Promise<ExternalProfile> {
      const config = await discovered();
      const currentUrl = new URL(checks.redirectUri);
      currentUrl.searchParams.set('code', response.code);
      currentUrl.searchParams.set('state', response.state);
      if (response.iss !== undefined) currentUrl.searchParams.set('iss', response.iss);
      const tokens = await oidc
        .authorizationCodeGrant(config, currentUrl, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        })
        .catch(failed);
      const idToken = tokens.claims();
      if (idToken === undefined) throw new OAuthFailedError('The provider sent no ID token');
      const userInfo = settings.fetchUserInfo
        ? await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub).catch(failed)
        : undefined;
      return settings.profile({ idToken, ...(userInfo ? { userInfo } : {}) });
    },
  };
}
