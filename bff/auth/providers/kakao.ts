import type { Config } from '../../../shared/config';
import { e164Phone, normalisedEmail, type ExternalProfile, type LoginProvider } from './login-provider';
import { oidcLoginProvider, type OidcClaims } from './oidc-provider';

/** Kakao's ID token and UserInfo in the shop's terms (see below). */
export function kakaoProfile({ idToken, userInfo }: OidcClaims): ExternalProfile {
  const email = normalisedEmail(userInfo?.email ?? idToken.email);
  const nickname = userInfo?.nickname ?? idToken.nickname;
  return {
    subject: idToken.sub,
    email,
    emailVerified:
      email !== undefined && userInfo?.email_verified === true && normalisedEmail(userInfo.email) === email,
    name: typeof nickname === 'string' ? nickname : undefined,
    phone: e164Phone(userInfo?.phone_number),
  };
}

/**
 * Kakao Login with OpenID Connect enabled (issuer https://kauth.kakao.com). Kakao's ID token carries `sub`
 * (the Kakao member number), `nickname`, `picture` and, with the account_email consent, `email` — but never
 * `email_verified`. Its OIDC UserInfo (https://kapi.kakao.com/v1/oidc/userinfo) states `email_verified` and
 * `phone_number_verified`, so the address is trusted only when UserInfo says it is verified and it is the same
 * address. `phone_number` ('+82 10-1234-5678', needs the phone_number consent of a business app) is kept
 * only as an unverified number.
 */
export function kakaoProvider(config: Config): LoginProvider | undefined {
  if (config.KAKAO_CLIENT_ID === undefined) return undefined;
  return oidcLoginProvider({
    id: 'kakao',
    displayName: { ko: '카카오', en: 'Kakao' },
    issuerUrl: config.KAKAO_ISSUER_URL,
    clientId: config.KAKAO_CLIENT_ID,
    clientSecret: config.KAKAO_CLIENT_SECRET,
    scope: 'openid account_email profile_nickname',
    fetchUserInfo: true,
    profile: kakaoProfile,
  });
}
