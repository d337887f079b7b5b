import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CookieOptions } from 'express';
import { Issuer, generators, type BaseClient } from 'openid-client';
import type { BffContext } from '../context';
import type { Config } from '../../shared/config';
import { isDuplicateKeyError } from '../../shared/db';
import {
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
  UnauthorizedError,
  ValidationError,
  unavailableOnFailure,
} from '../../shared/errors';
import type { User } from '../../shared/models/user.model';
import { appKey } from '../../shared/redis';
import { usersRepository, type ExternalIdentity } from '../users/users.repository';
import type { AuthService, TokenPair } from './auth.service';

const STATE_TTL_SECONDS = 600;
/** Longest provider error code that is logged; the rest (and any description) is dropped. */
const PROVIDER_ERROR_LOG_LENGTH = 64;
/** Column widths of users.email, users.name and user_identities.subject. */
const EMAIL_MAX_LENGTH = 254;
const NAME_MAX_LENGTH = 100;
const SUBJECT_MAX_LENGTH = 255;

/** The cookie that ties a pending login to the browser that started it (RFC 6749 §10.12). */
export const OAUTH_BINDING_COOKIE = 'vm_oauth';

class OAuthStateError extends ValidationError {
  override readonly code = 'OAUTH_STATE_INVALID';
}

class OAuthFailedError extends UnauthorizedError {
  override readonly code = 'OAUTH_FAILED';
}

class AccountExistsError extends ConflictError {
  override readonly code = 'ACCOUNT_EXISTS';
}

class IdentityLinkedElsewhereError extends ConflictError {
  override readonly code = 'IDENTITY_LINKED_ELSEWHERE';
}

/** Where to reach one OpenID Connect provider, and as whom. */
interface OAuthProvider {
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
}

/**
 * The providers logins are accepted from, by the name in their routes. The OIDC_* settings configure one,
 * 'fake' (the fake provider in development and tests); further providers are added here by name.
 */
function configuredProviders(config: Config): ReadonlyMap<string, OAuthProvider> {
  return new Map([
    [
      'fake',
      {
        issuerUrl: config.OIDC_ISSUER_URL,
        clientId: config.OIDC_CLIENT_ID,
        clientSecret: config.OIDC_CLIENT_SECRET,
      },
    ],
  ]);
}

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
 * OpenID Connect login and account linking (authorization code + PKCE + state + nonce) through
 * openid-client. The pending login lives in Redis under its state, once: any BFF instance can finish a
 * login another one started, and a cookie ties it to the browser that started it.
 *
 * An external identity reaches an account only by being linked to it: at the account's creation by a
 * first external login, or from a session signed in to the account. E-mail addresses never link anything.
 */
export function oauthService(ctx: Pick<BffContext, 'db' | 'redis' | 'config' | 'logger'>, auth: AuthService) {
  const users = usersRepository(ctx.db);
  const providers = configuredProviders(ctx.config);
  const clients = new Map<string, Promise<BaseClient>>();
  const loginStore = <T>(work: () => Promise<T>) => unavailableOnFailure('The login state store', 2, work);
  const redirectUri = (provider: string) =>
    `${ctx.config.PUBLIC_BASE_URL}/api/auth/oauth/${provider}/callback`;
  const stateKey = (state: string) => appKey(ctx.config.REDIS_PREFIX, 'oauth', 'state', state);

  function providerNamed(name: string): OAuthProvider {
    const provider = providers.get(name);
    if (provider === undefined) throw new NotFoundError(`No login provider named '${name}'`);
    return provider;
  }

  function getClient(name: string): Promise<BaseClient> {
    const provider = providerNamed(name);
    let client = clients.get(name);
    if (client === undefined) {
      client = Issuer.discover(provider.issuerUrl)
        .then(
          (issuer) =>
            new issuer.Client({
              client_id: provider.clientId,
              client_secret: provider.clientSecret,
              response_types: ['code'],
            }),
        )
        .catch((error: unknown) => {
          clients.delete(name); // retry discovery next time
          throw new ServiceUnavailableError('The identity provider is unavailable', { cause: error });
        });
      clients.set(name, client);
    }
    return client;
  }

  async function begin(provider: string, linkUserId?: number): Promise<OAuthStart> {
    const oidc = await getClient(provider);
    const state = generators.state();
    const browserBinding = randomBytes(32).toString('base64url');
    const pending: PendingLogin = {
      provider,
      nonce: generators.nonce(),
      codeVerifier: generators.codeVerifier(),
      browserBinding: sha256(browserBinding).toString('base64url'),
      ...(linkUserId === undefined ? {} : { linkUserId }),
    };
    await loginStore(() => ctx.redis.set(stateKey(state), JSON.stringify(pending), 'EX', STATE_TTL_SECONDS));
    const authorizationUrl = oidc.authorizationUrl({
      scope: 'openid email profile',
      redirect_uri: redirectUri(provider),
      state,
      nonce: pending.nonce,
      code_challenge: generators.codeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { authorizationUrl, browserBinding };
  }

  /** A first external login: a new account with the identity, never an existing account by its e-mail. */
  async function createAccount(
    identity: ExternalIdentity,
    verifiedEmail: string | undefined,
    name: string | undefined,
  ): Promise<User> {
    if (verifiedEmail === undefined || verifiedEmail.length > EMAIL_MAX_LENGTH)
      throw new OAuthFailedError('The provider did not vouch for an email address');
    const accountExists = () =>
      new AccountExistsError(
        `An account with this e-mail exists; sign in with your password and link ${identity.provider} from your account`,
      );
    if (await users.findByEmail(verifiedEmail)) throw accountExists();
    try {
      return await users.insertWithIdentity(
        { email: verifiedEmail, name: name?.slice(0, NAME_MAX_LENGTH) ?? null },
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
    /** A login with the provider: the authorization URL to send the browser to. */
    start: (provider: string): Promise<OAuthStart> => begin(provider),

    /** Links the provider to the signed-in user's account once the provider confirms who they are. */
    link: (provider: string, userId: number): Promise<OAuthStart> => begin(provider, userId),

    async callback(
      provider: string,
      params: { state: string; code?: string; error?: string; iss?: string },
      browserBindings: string[],
    ): Promise<OAuthResult> {
      providerNamed(provider);
      // Taken, not read: a state is good for one callback, whatever its outcome.
      const raw = await loginStore(() => ctx.redis.getdel(stateKey(params.state)));
      if (!raw) throw new OAuthStateError('Unknown or expired login state');
      const pending = JSON.parse(raw) as PendingLogin;
      if (pending.provider !== provider) throw new OAuthStateError('Unknown or expired login state');
      if (!boundToThisBrowser(pending, browserBindings))
        throw new OAuthStateError('This login was started in another browser; start it again');
      if (params.error !== undefined || !params.code) {
        // The provider's text is not ours to show (it could carry anything): log its code, answer our own.
        ctx.logger.info(
          { provider, providerError: loggableProviderError(params.error ?? 'no_code') },
          'The identity provider did not complete the login',
        );
        throw new OAuthFailedError('The provider did not complete the login');
      }
      const oidc = await getClient(provider);
      const tokenSet = await oidc
        .callback(
          redirectUri(provider),
          { code: params.code, state: params.state, ...(params.iss ? { iss: params.iss } : {}) },
          { state: params.state, nonce: pending.nonce, code_verifier: pending.codeVerifier },
        )
        .catch((error: unknown) => {
          ctx.logger.warn({ err: error }, 'OIDC code exchange failed');
          throw new OAuthFailedError('The provider did not confirm the login', { cause: error });
        });
      const claims = tokenSet.claims();
      if (claims.sub.length > SUBJECT_MAX_LENGTH)
        throw new OAuthFailedError('The provider sent a subject this shop cannot store');
      const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : undefined;
      const identity: ExternalIdentity = {
        provider,
        subject: claims.sub,
        email: email !== undefined && email.length <= EMAIL_MAX_LENGTH ? email : null,
      };

      let user: User | undefined;
      if (pending.linkUserId !== undefined) {
        user = await linkToSignedInUser(pending.linkUserId, identity);
      } else {
        const linkedId = await users.findIdentity(provider, identity.subject);
        user =
          linkedId !== undefined
            ? await users.findById(linkedId)
            : await createAccount(
                identity,
                claims.email_verified === true ? email : undefined,
                typeof claims.name === 'string' ? claims.name : undefined,
              );
      }
      if (!user) throw new OAuthFailedError('Account not found');
      if (user.status !== 'active') throw new OAuthFailedError('This account is suspended');
      const tokens = await auth.issueTokens(user);
      return pending.linkUserId === undefined ? tokens : { ...tokens, linked: { provider, userId: user.id } };
    },
  };
}
