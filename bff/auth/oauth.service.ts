import { Issuer, generators, type BaseClient } from 'openid-client';
import type { BffContext } from '../context';
import { isDuplicateKeyError } from '../../shared/db';
import {
  ServiceUnavailableError,
  UnauthorizedError,
  ValidationError,
  unavailableOnFailure,
} from '../../shared/errors';
import { appKey } from '../../shared/redis';
import { usersRepository } from '../users/users.repository';
import type { AuthService, TokenPair } from './auth.service';

const STATE_TTL_SECONDS = 600;

class OAuthStateError extends ValidationError {
  override readonly code = 'OAUTH_STATE_INVALID';
}

class OAuthFailedError extends UnauthorizedError {
  override readonly code = 'OAUTH_FAILED';
}

interface PendingLogin {
  nonce: string;
  codeVerifier: string;
}

/**
 * OpenID Connect login (authorization code + PKCE + state + nonce) through openid-client. The pending
 * login lives in Redis under its state, once: any BFF instance can finish a login another one started.
 */
export function oauthService(ctx: Pick<BffContext, 'db' | 'redis' | 'config' | 'logger'>, auth: AuthService) {
  const users = usersRepository(ctx.db);
  let client: Promise<BaseClient> | undefined;
  const loginStore = <T>(work: () => Promise<T>) => unavailableOnFailure('The login state store', 2, work);
  const redirectUri = (provider: string) =>
    `${ctx.config.PUBLIC_BASE_URL}/api/auth/oauth/${provider}/callback`;
  const stateKey = (state: string) => appKey(ctx.config.REDIS_PREFIX, 'oauth', 'state', state);

  function getClient(): Promise<BaseClient> {
    client ??= Issuer.discover(ctx.config.OIDC_ISSUER_URL)
      .then(
        (issuer) =>
          new issuer.Client({
            client_id: ctx.config.OIDC_CLIENT_ID,
            client_secret: ctx.config.OIDC_CLIENT_SECRET,
            response_types: ['code'],
          }),
      )
      .catch((error: unknown) => {
        client = undefined; // retry discovery next time
        throw new ServiceUnavailableError('The identity provider is unavailable', { cause: error });
      });
    return client;
  }

  async function findOrCreateUser(
    subject: string,
    email: string | undefined,
    emailVerified: boolean,
    name?: string,
  ) {
    const linkedId = await users.findIdentity('fake', subject);
    if (linkedId !== undefined) return users.findById(linkedId);
    if (!email || !emailVerified)
      throw new OAuthFailedError('The provider did not vouch for an email address');
    const existing = await users.findByEmail(email.toLowerCase());
    const user =
      existing ??
      (await users
        .insert({ email: email.toLowerCase(), passwordHash: null, name: name ?? null })
        .catch(async (error: unknown) => {
          if (isDuplicateKeyError(error)) return users.findByEmail(email.toLowerCase());
          throw error;
        }));
    if (!user) throw new OAuthFailedError('Could not create the account');
    await users.linkIdentity(user.id, 'fake', subject, email);
    return user;
  }

  return {
    async start(provider: string): Promise<string> {
      const oidc = await getClient();
      const state = generators.state();
      const pending: PendingLogin = { nonce: generators.nonce(), codeVerifier: generators.codeVerifier() };
      await loginStore(() =>
        ctx.redis.set(stateKey(state), JSON.stringify(pending), 'EX', STATE_TTL_SECONDS),
      );
      return oidc.authorizationUrl({
        scope: 'openid email profile',
        redirect_uri: redirectUri(provider),
        state,
        nonce: pending.nonce,
        code_challenge: generators.codeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
      });
    },

    async callback(
      provider: string,
      params: { state: string; code?: string; error?: string; iss?: string },
    ): Promise<TokenPair> {
      const raw = await loginStore(() => ctx.redis.getdel(stateKey(params.state)));
      if (!raw) throw new OAuthStateError('Unknown or expired login state');
      if (params.error || !params.code)
        throw new OAuthFailedError(`The provider refused the login: ${params.error ?? 'no code'}`);
      const pending = JSON.parse(raw) as PendingLogin;
      const oidc = await getClient();
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
      const user = await findOrCreateUser(
        claims.sub,
        typeof claims.email === 'string' ? claims.email : undefined,
        claims.email_verified === true,
        typeof claims.name === 'string' ? claims.name : undefined,
      );
      if (!user) throw new OAuthFailedError('Account not found');
      if (user.status !== 'active') throw new OAuthFailedError('This account is suspended');
      return auth.issueTokens(user);
    },
  };
}
