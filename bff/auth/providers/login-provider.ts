import { currentRequestId } from '../../../shared/tracing';
import { ProviderUnavailableError } from '../oauth.errors';

/** How a provider signs users in: OpenID Connect (ID token) or plain OAuth 2.0 plus a profile API. */
export type ProviderKind = 'oidc' | 'oauth2';

/** What one browser's login carries from start to callback (kept in Redis under the state). */
export interface LoginChecks {
  redirectUri: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The provider's answer on the callback, when it sent a code. */
export interface AuthorizationResponse {
  code: string;
  state: string;
  iss?: string;
}

/**
 * Who the provider says the user is, mapped by the provider's own rules. `emailVerified` is true only when the
 * provider states it; `phone` is E.164 and is never treated as verified by the shop (only its SMS check does that).
 */
export interface ExternalProfile {
  subject: string;
  email?: string;
  emailVerified: boolean;
  name?: string;
  phone?: string;
}

/** One configured login provider. Refusals throw OAuthFailedError; an unreachable provider ProviderUnavailableError. */
export interface LoginProvider {
  /** The name in the routes: /api/auth/oauth/<id>/start. */
  readonly id: string;
  readonly displayName: { ko: string; en: string };
  readonly kind: ProviderKind;
  authorizationUrl(checks: LoginChecks): Promise<string>;
  complete(response: AuthorizationResponse, checks: LoginChecks): Promise<ExternalProfile>;
}

/** A call to a provider gives up after this long: a hung provider is "unavailable", not a hung login. */
export const PROVIDER_TIMEOUT_MS = 10_000;

/**
 * fetch for provider calls: carries the request id, gives up after {@link PROVIDER_TIMEOUT_MS}, and turns a
 * network failure or a 5xx answer into ProviderUnavailableError (a 503 for the client, never a 500).
 */
export function providerFetch(provider: string) {
  return async (url: string | URL, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    const requestId = currentRequestId();
    if (requestId !== undefined) headers.set('x-request-id', requestId);
    const timeout = AbortSignal.timeout(PROVIDER_TIMEOUT_MS);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await fetch(url, { ...init, headers, signal });
    } catch (error) {
      throw new ProviderUnavailableError(provider, { cause: error });
    }
    if (response.status >= 500) {
      await response.body?.cancel();
      throw new ProviderUnavailableError(provider, {
        cause: new Error(`HTTP ${response.status} from ${url}`),
      });
    }
    return response;
  };
}

/** Korean numbers as providers write them ('+82 10-1234-5678', '010-1234-5678') in E.164, or undefined. */
export function e164Phone(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  let digits = raw.replace(/[\s().-]/g, '');
  if (/^0[1-9][0-9]{7,9}$/.test(digits)) digits = `+82${digits.slice(1)}`;
  const match = /^\+82(0?)([1-9][0-9]{7,9})$/.exec(digits);
  if (match) digits = `+82${match[2]}`;
  return /^\+[1-9][0-9]{7,14}$/.test(digits) ? digits : undefined;
}

/** A trimmed, lower-cased address, or undefined when it is not a plausible one. */
export function normalisedEmail(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const email = raw.trim().toLowerCase();
  return email.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(email) ? email : undefined;
}
