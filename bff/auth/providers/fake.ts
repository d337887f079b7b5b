import type { Config } from '../../../shared/config';
import type { LoginProvider } from './login-provider';
import { oidcLoginProvider, standardOidcProfile } from './oidc-provider';

/**
 * 'fake': the generic OpenID Connect provider of development and tests (fakes/oidc-provider.ts), or any
 * standard OIDC provider named by the OIDC_* settings. Its ID token states email_verified.
 */
export function fakeProvider(config: Config): LoginProvider | undefined {
  if (config.OIDC_CLIENT_ID === '') return undefined;
  return oidcLoginProvider({
    id: 'fake',
    displayName: { ko: '개발용 OIDC', en: 'Development OIDC' },
    issuerUrl: config.OIDC_ISSUER_URL,
    clientId: config.OIDC_CLIENT_ID,
    clientSecret: config.OIDC_CLIENT_SECRET,
    scope: 'openid email profile',
    fetchUserInfo: false,
    profile: standardOidcProfile,
  });
}
