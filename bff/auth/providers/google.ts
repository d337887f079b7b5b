import type { Config } from '../../../shared/config';
import type { LoginProvider } from './login-provider';
import { oidcLoginProvider, standardOidcProfile } from './oidc-provider';

/**
 * Google sign-in (OpenID Connect, issuer https://accounts.google.com). With the `email` scope the ID token
 * carries `email` and `email_verified`; only `email_verified: true` makes the address trusted. Google gives no
 * phone number to sign-in.
 */
export function googleProvider(config: Config): LoginProvider | undefined {
  if (config.GOOGLE_CLIENT_ID === undefined) return undefined;
  return oidcLoginProvider({
    id: 'google',
    displayName: { ko: '구글', en: 'Google' },
    issuerUrl: config.GOOGLE_ISSUER_URL,
    clientId: config.GOOGLE_CLIENT_ID,
    clientSecret: config.GOOGLE_CLIENT_SECRET,
    scope: 'openid email profile',
    fetchUserInfo: false,
    profile: standardOidcProfile,
  });
}
