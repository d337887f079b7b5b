import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CookieOptions } from 'express';
import { randomNonce, randomPKCECodeVerifier, randomState } from 'openid-client';
import type { BffContext } from '../context';
import { isDuplicateKeyError } from '../../shared/db';
import { NotFoundError, unavailableOnFailure } from '../../shared/errors';
import type { User } from '../../shared/models/user.model';
import { appKey } from '../../shared/redis';
import { usersRepository, type ExternalIdentity } from '../users/users.repository';
import type { AuthService, TokenPair } from './auth.service';
import {
  AccountExistsError,
  IdentityLinkedElsewhereError,
  LastSignInMethodError,
  OAuthFailedError,
  OAuthStateError,
} from './oauth.errors';
import { enabledProviders, type LoginProvider } from './providers';
import type { ExternalProfile, LoginChecks } from './providers/login-provider';

const STATE_TTL_SECONDS = 600;
/** Longest provider error code that is logged; the rest (and any description) is dropped. */
const PROVIDER_ERROR_LOG_LENGTH = 64;
/** Column widths of users.name and user_identities.subject. */
const NAME_MAX_LENGTH = 100;
const SUBJECT_MAX_LENGTH = 255;

/** The cookie that ties a pending login to the browser that started it (RFC 6749 §10.12). */
export const OAUTH_BINDING_COOKIE = 'vm_oauth';

/** A login waiting for the provider's answer: fixed-size fields only, so each state stays small. */
interface PendingLogin {
  provider: string;
  nonce: string;
  codeVerifier: string;
  /** sha256 of the binding cookie's value. */
  browserBinding: string;
  /** Set when a signed-in user asked to link the provider to their account. */
  linkUserId?: number;
}

export interface OAuthStart {
  authorizationUrl: string;
  /** The value of the binding cookie the answer must set. */
  browserBinding: string;
}

export type OAuthResult = TokenPair & { linked?: { provider: string; userId: number } };

/** An enabled provider as a login page shows it (GET /api/auth/providers). */
export interface ProviderListing {
  id: string;
  name: { ko: string; en: string };
  kind: LoginProvider['kind'];
  startUrl: string;
}

/** One external identity of the signed-in user, as they see it (the subject shown only in part). */
export interface IdentityListing {
  provider: string;
  subjectHint: string;
  email: string | null;
  linkedAt: Date;
}

/** The first two and last two characters of a subject: enough to tell two identities apart, not to reuse one. */
export function subjectHint(subject: string): string {
  return subject.length <= 6 ? '…' : `${subject.slice(0, 2)}…${subject.slice(-2)}`;
}

/** Attributes shared by setting and clearing the binding cookie (a browser clears only an exact match). */
export function oauthBindingCookieScope(publicBaseUrl: string): CookieOptions {
  return {
    httpOnly: true,
    // Lax, not Strict: the provider sends the browser back with a cross-site top-level GET.
    sameSite: 'lax',
    path: '/api/auth/oauth/',
    secure: new URL(publicBaseUrl).protocol === 'https:',
  };
}

export function oauthBindingCookie(publicBaseUrl: string): CookieOptions {
  return { ...oauthBindingCookieScope(publicBaseUrl), maxAge: STATE_TTL_SECONDS * 1000 };
}

/** The binding cookie values in a Cookie header (a browser may send more than one of a name). */
export function oauthBindingsIn(cookieHeader: string | undefined): string[] {
  return (cookieHeader ?? '')
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair.startsWith(`${OAUTH_BINDING_COOKIE}=`))
    .map((pair) => pair.slice(OAUTH_BINDING_COOKIE.length + 1));
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();

function boundToThisBrowser(pending: PendingLogin, bindings: string[]): boolean {
  const expected = Buffer.from(pending.browserBinding, 'base64url');
  return bindings.some((value) => {
    const actual = sha256(value);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  });
}

/** A provider's error code as it may appear in a log line: its leading token, capped; never its prose. */
export function loggableProviderError(error: string): string {
  return /^[A-Za-z0-9_.-]+/.exec(error)?.[0].slice(0, PROVIDER_ERROR_LOG_LENGTH) ?? 'unrecognised';
}

/**
 * Why a provider call failed, for the log: the error classes down the cause chain with their codes and the
 * provider's error code (sanitized), never a message (a provider's prose, or a code in a URL, could be in it).
 */
export function failureSummary(error: unknown): string {
  const links: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const { code, error: providerError } = current as { code?: unknown; error?: unknown };
    links.push(
      [
        current.name,
        typeof code === 'string' ? loggableProviderError(code) : undefined,
        typeof providerError === 'string' ? loggableProviderError(providerError) : undefined,
      ]
        .filter((part) => part !== undefined)
        .join(':'),
    );
    current = current.cause;
  }
  return links.join(' <- ') || 'unknown';
}

/**
 * External login and account linking for every enabled provider (bff/auth/providers): OpenID Connect ones
 * (authorization code + PKCE + state + nonce, through openid-client) and Naver's OAuth 2.0. The pending
 * login lives in Redis under its state, once: any BFF instance can finish a login another one started, and
 * a cookie ties it to the browser that started it.
 *
 * An external identity reaches an account only by being linked to it: at the account's creation by a first
 * external login, or from a session signed in to the account. E-mail addresses never link anything; a
 * verified one that already has an account refuses the first login (ACCOUNT_EXISTS), an unverified one is
 * never given to the new account.
 */
export function oauthService(ctx: Pick<BffContext, 'db' | 'redis' | 'config' | 'logger'>, auth: AuthService) {
  const users = usersRepository(ctx.db);
  const providers = enabledProviders(ctx.config);
  const loginStore = <T>(work: () => Promise<T>) => unavailableOnFailure('The login state store', 2, work);
  const redirectUri = (provider: string) =>
    `${ctx.config.PUBLIC_BASE_URL}/api/auth/oauth/${provider}/callback`;
  const stateKey = (state: string) => appKey(ctx.config.REDIS_PREFIX, 'oauth', 'state', state);

  function providerNamed(name: string): LoginProvider {
    const provider = providers.get(name);
    if (provider === undefined) throw new NotFoundError(`No login provider named '${name}'`);
    return provider;
  }

  const checksOf = (provider: string, state: string, pending: PendingLogin): LoginChecks => ({
    redirectUri: redirectUri(provider),
    state,
    nonce: pending.nonce,
    codeVerifier: pending.codeVerifier,
  });

  async function begin(providerId: string, linkUserId?: number): Promise<OAuthStart> {
    const provider = providerNamed(providerId);
    const state = randomState();
    const browserBinding = randomBytes(32).toString('base64url');
    const pending: PendingLogin = {
      provider: providerId,
      nonce: randomNonce(),
      codeVerifier: randomPKCECodeVerifier(),
      browserBinding: sha256(browserBinding).toString('base64url'),
      ...(linkUserId === undefined ? {} : { linkUserId }),
    };
    // The URL first: a provider that is down costs no state.
    const authorizationUrl = await provider.authorizationUrl(checksOf(providerId, state, pending));
    await loginStore(() => ctx.redis.set(stateKey(state), JSON.stringify(pending), 'EX', STATE_TTL_SECONDS));
    return { authorizationUrl, browserBinding };
  }

  /**
   * A first external login: a new account with the identity, never an existing account by its e-mail. The
   * account gets the e-mail only when the provider verified it, and a phone number only as unverified.
   */
  async function createAccount(identity: ExternalIdentity, profile: ExternalProfile): Promise<User> {
    const verifiedEmail = profile.emailVerified ? (profile.email ?? null) : null;
    const accountExists = () =>
      new AccountExistsError(
        `An account with this e-mail exists; sign in with your password and link ${identity.provider} from your account`,
      );
    if (verifiedEmail !== null && (await users.findByEmail(verifiedEmail))) throw accountExists();
    try {
      return await users.insertWithIdentity(
        {
          email: verifiedEmail,
          name: profile.name?.trim().slice(0, NAME_MAX_LENGTH) || null,
          phone: profile.phone ?? null,
        },
        identity,
      );
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // A concurrent first login with this identity won the race: its account is this identity's.
      const ownerId = await users.findIdentity(identity.provider, identity.subject);
      const owner = ownerId === undefined ? undefined : await users.findById(ownerId);
      if (owner === undefined) throw accountExists();
      return owner;
    }
  }

  async function linkToSignedInUser(userId: number, identity: ExternalIdentity): Promise<User> {
    const user = await users.findById(userId);
    if (!user) throw new OAuthFailedError('Account not found');
    if (user.status !== 'active') throw new OAuthFailedError('This account is suspended');
    const ownerId = await users.linkIdentity(user.id, identity);
    if (ownerId !== user.id)
      throw new IdentityLinkedElsewhereError(
        `This ${identity.provider} identity is already linked to another account`,
      );
    return user;
  }

  return {
    /** The enabled providers, in display order, for a login page's buttons. */
    providers: (): ProviderListing[] =>
      [...providers.values()].map((provider) => ({
        id: provider.id,
        name: provider.displayName,
        kind: provider.kind,
        startUrl: `/api/auth/oauth/${provider.id}/start`,
      })),

    /** A login with the provider: the authorization URL to send the browser to. */
    start: (provider: string): Promise<OAuthStart> => begin(provider),

    /** Links the provider to the signed-in user's account once the provider confirms who they are. */
    link: (provider: string, userId: number): Promise<OAuthStart> => begin(provider, userId),

    async callback(
      providerId: string,
      params: { state: string; code?: string; error?: string; iss?: string },
      browserBindings: string[],
    ): Promise<OAuthResult & { user: User }> {
      const provider = providerNamed(providerId);
      // Taken, not read: a state is good for one callback, whatever its outcome.
      const raw = await loginStore(() => ctx.redis.getdel(stateKey(params.state)));
      if (!raw) throw new OAuthStateError('Unknown or expired login state');
      const pending = JSON.parse(raw) as PendingLogin;
      if (pending.provider !== providerId) throw new OAuthStateError('Unknown or expired login state');
      if (!boundToThisBrowser(pending, browserBindings))
        throw new OAuthStateError('This login was started in another browser; start it again');
      if (params.error !== undefined || !params.code) {
        // The provider's text is not ours to show (it could carry anything): log its code, answer our own.
        ctx.logger.info(
          { provider: providerId, providerError: loggableProviderError(params.error ?? 'no_code') },
          'The identity provider did not complete the login',
        );
        throw new OAuthFailedError('The provider did not complete the login');
      }
      const profile = await provider
        .complete(
          { code: params.code, state: params.state, ...(params.iss ? { iss: params.iss } : {}) },
          checksOf(providerId, params.state, pending),
        )
        .catch((error: unknown) => {
          ctx.logger[error instanceof OAuthFailedError ? 'info' : 'warn'](
            { provider: providerId, reason: failureSummary(error) },
            'The identity provider did not confirm the login',
          );
          throw error;
        });
      if (profile.subject.length === 0 || profile.subject.length > SUBJECT_MAX_LENGTH)
        throw new OAuthFailedError('The provider sent a subject this shop cannot store');
      const identity: ExternalIdentity = {
        provider: providerId,
        subject: profile.subject,
        email: profile.email ?? null,
      };

      let user: User | undefined;
      if (pending.linkUserId !== undefined) {
        user = await linkToSignedInUser(pending.linkUserId, identity);
      } else {
        const linkedId = await users.findIdentity(providerId, identity.subject);
        user =
          linkedId !== undefined ? await users.findById(linkedId) : await createAccount(identity, profile);
      }
      if (!user) throw new OAuthFailedError('Account not found');
      if (user.status !== 'active') throw new OAuthFailedError('This account is suspended');
      const tokens = await auth.issueTokens(user);
      return pending.linkUserId === undefined
        ? { ...tokens, user }
        : { ...tokens, user, linked: { provider: providerId, userId: user.id } };
    },

    /** The caller's external identities, oldest link first. */
    async identities(userId: number): Promise<IdentityListing[]> {
      return (await users.identitiesOf(userId)).map((identity) => ({
        provider: identity.provider,
        subjectHint: subjectHint(identity.subject),
        email: identity.email,
        linkedAt: identity.createdAt,
      }));
    },

    /** Unlinks the caller's identity at a provider, unless it is their last way to sign in. */
    async unlink(userId: number, provider: string): Promise<void> {
      const outcome = await users.unlinkIdentity(userId, provider);
      if (outcome === 'not-linked')
        throw new NotFoundError(`No ${provider} identity is linked to this account`);
      if (outcome === 'last-sign-in-method')
        throw new LastSignInMethodError(
          `This is the account's last way to sign in; set a password or link another provider first`,
        );
    },
  };
}
