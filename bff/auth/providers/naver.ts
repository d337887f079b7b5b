import { z } from 'zod';
import type { Config } from '../../../shared/config';
import { OAuthFailedError, ProviderUnavailableError } from '../oauth.errors';
import {
  e164Phone,
  normalisedEmail,
  providerFetch,
  type AuthorizationResponse,
  type ExternalProfile,
  type LoginChecks,
  type LoginProvider,
} from './login-provider';

/**
 * Naver Login: OAuth 2.0 without OpenID Connect (no ID token, no nonce, no PKCE; state only), then the
 * profile API.
 * - authorize: GET {NAVER_AUTH_URL}/oauth2.0/authorize?response_type=code&client_id&redirect_uri&state
 * - token: {NAVER_AUTH_URL}/oauth2.0/token with grant_type=authorization_code, client_id, client_secret, code,
 *   state. It answers HTTP 200 either way: `{access_token, refresh_token, token_type: 'bearer', expires_in:
 *   '3600'}` or `{error, error_description}`.
 * - profile: GET {NAVER_API_URL}/v1/nid/me with `Authorization: Bearer`: `{resultcode: '00', message:
 *   'success', response: {id, email, name, nickname, mobile, mobile_e164, ...}}`, or another resultcode
 *   ('024' authentication failed, '028' no credentials, '403', '404', '500').
 *
 * Naver does not say whether the e-mail is verified, so it is never trusted: a new account does not get it,
 * and it never matches an existing one (it is kept on the identity for support). `mobile` is kept unverified.
 */
const tokenAnswer = z.union([
  z.object({ access_token: z.string().min(1), token_type: z.string().optional() }),
  z.object({ error: z.string(), error_description: z.string().optional() }),
]);

const naverMember = z.object({
  id: z.string().min(1).max(255),
  email: z.string().optional(),
  name: z.string().optional(),
  nickname: z.string().optional(),
  mobile: z.string().optional(),
  mobile_e164: z.string().optional(),
});

const profileAnswer = z.object({
  resultcode: z.string(),
  message: z.string().optional(),
  response: naverMember.optional(),
});

async function jsonOf<T extends z.ZodType>(
  provider: string,
  response: Response,
  schema: T,
): Promise<z.infer<T>> {
  const parsed = schema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success)
    throw new OAuthFailedError('The provider sent an answer this shop does not understand', {
      cause: new Error(`${provider}: HTTP ${response.status}, unexpected body`),
    });
  return parsed.data;
}

/** Naver's profile in the shop's terms: its e-mail is never verified; `mobile_e164` (else `mobile`) unverified. */
export function naverProfile(member: z.infer<typeof naverMember>): ExternalProfile {
  return {
    subject: member.id,
    email: normalisedEmail(member.email),
    emailVerified: false,
    name: member.name ?? member.nickname,
    phone: e164Phone(member.mobile_e164) ?? e164Phone(member.mobile),
  };
}

export function naverProvider(config: Config): LoginProvider | undefined {
  const clientId = config.NAVER_CLIENT_ID;
  if (clientId === undefined) return undefined;
  const fetchFromNaver = providerFetch('naver');
  const authBase = config.NAVER_AUTH_URL.replace(/\/+$/, '');
  const apiBase = config.NAVER_API_URL.replace(/\/+$/, '');

  return {
    id: 'naver',
    displayName: { ko: '네이버', en: 'Naver' },
    kind: 'oauth2',

    authorizationUrl(checks: LoginChecks): Promise<string> {
      const url = new URL(`${authBase}/oauth2.0/authorize`);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: checks.redirectUri,
        state: checks.state,
      }).toString();
      return Promise.resolve(url.toString());
    },

    async complete(response: AuthorizationResponse, checks: LoginChecks): Promise<ExternalProfile> {
      const token = await jsonOf(
        'naver',
        await fetchFromNaver(`${authBase}/oauth2.0/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            client_id: clientId,
            client_secret: config.NAVER_CLIENT_SECRET,
            code: response.code,
            state: checks.state,
          }).toString(),
        }),
        tokenAnswer,
      );
      if ('error' in token)
        throw new OAuthFailedError('The provider did not confirm the login', {
          cause: new Error(`naver token error ${token.error.slice(0, 64)}`),
        });

      const me = await fetchFromNaver(`${apiBase}/v1/nid/me`, {
        headers: { authorization: `Bearer ${token.access_token}`, accept: 'application/json' },
      });
      const profile = await jsonOf('naver', me, profileAnswer);
      if (profile.resultcode === '500') throw new ProviderUnavailableError('naver');
      if (profile.resultcode !== '00' || profile.response === undefined)
        throw new OAuthFailedError('The provider did not share the profile', {
          cause: new Error(`naver profile resultcode ${profile.resultcode.slice(0, 8)}`),
        });
      return naverProfile(profile.response);
    },
  };
}
