import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Config } from '../../shared/config';
import { withTransaction, isDuplicateKeyError } from '../../shared/db';
import {
  ConflictError,
  ForbiddenError,
  InvalidCredentialsError,
  UnauthorizedError,
  unavailableOnFailure,
} from '../../shared/errors';
import type { User } from '../../shared/models/user.model';
import { hashPassword, verifyPassword } from '../../shared/passwords';
import { usersRepository } from '../users/users.repository';
import type { Redis } from '../../shared/redis';
import { sessionRevocations } from '../../shared/session-revocation';
import { createAccessTokenSigner } from './access-tokens';
import { loginThrottle } from './login-throttle';
import { refreshTokensRepository } from './refresh-tokens.repository';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

class AccountSuspendedError extends ForbiddenError {
  override readonly code = 'ACCOUNT_SUSPENDED';
}

class InvalidRefreshTokenError extends UnauthorizedError {
  override readonly code = 'INVALID_REFRESH_TOKEN';
}

/** Signup, login, refresh rotation with reuse detection, and logout. */
export function authService(deps: { db: Knex; config: Config; redis: Redis }) {
  const users = usersRepository(deps.db);
  const throttle = loginThrottle(deps);
  const refreshTokens = refreshTokensRepository(deps.db);
  const signer = createAccessTokenSigner(deps.config);
  const revocations = sessionRevocations(deps);
  /**
   * Ends a login's access tokens at the gateway. Called inside the transaction that revokes its refresh
   * tokens, so when Redis cannot record it the revocation rolls back and the client gets a 503 to retry.
   */
  const revokeLogin = (familyId: string) =>
    unavailableOnFailure('The session store', 1, () => revocations.revokeLogin(familyId));
  // A hash of a random password, verified against when the email is unknown, so a login for an unknown
  // email takes as long as one with a wrong password.
  const decoyHash = hashPassword(randomBytes(16).toString('hex'));

  /**
   * Issues a login's tokens from the account as it is now: its row is read and locked for share in the
   * transaction that stores the refresh token. A suspension or role change (which locks the row for update)
   * has either committed, and is seen here, or waits for this transaction, and then revokes this refresh token
   * and sets its revocation cutoff after this access token's `iat`. Without it, a login whose password check
   * straddled a suspension got a session the suspension never saw.
   */
  async function issueTokens(
    user: User,
    familyId: string = randomUUID(),
    trx?: Knex.Transaction,
  ): Promise<TokenPair> {
    if (!trx) return withTransaction(deps.db, (inner) => issueTokens(user, familyId, inner));
    const current = await users.findByIdForShare(user.id, trx);
    if (!current) throw new UnauthorizedError('This account no longer exists');
    assertActive(current);
    const refreshToken = randomBytes(32).toString('base64url');
    await refreshTokens.insert(
      {
        userId: current.id,
        familyId,
        tokenHash: hashToken(refreshToken),
        expiresAt: new Date(Date.now() + deps.config.REFRESH_TOKEN_TTL_SECONDS * 1000),
      },
      trx,
    );
    // The family is the login: every access token of it carries its id, so logout can void them all.
    const { token, expiresIn } = await signer.sign({
      userId: current.id,
      role: current.role,
      loginId: familyId,
    });
    return { accessToken: token, refreshToken, expiresIn, tokenType: 'Bearer' };
  }

  function assertActive(user: User): void {
    if (user.status !== 'active') throw new AccountSuspendedError('This account is suspended');
  }

  return {
    issueTokens,

    async signup(input: { email: string; password: string; name?: string; phone?: string }): Promise<User> {
      const passwordHash = await hashPassword(input.password);
      try {
        return await users.insert({
          email: input.email,
          passwordHash,
          name: input.name ?? null,
          phone: input.phone ?? null,
        });
      } catch (error) {
        if (isDuplicateKeyError(error)) throw new ConflictError('An account with this email already exists');
        throw error;
      }
    },

    async login(input: { email: string; password: string }): Promise<TokenPair> {
      // Counted before the password is checked; a blocked account is refused without checking it.
      await throttle.admitAttempt(input.email);
      const user = await users.findByEmail(input.email);
      const valid = user?.passwordHash
        ? await verifyPassword(input.password, user.passwordHash)
        : await verifyPassword(input.password, await decoyHash).then(() => false);
      if (!user || !valid) throw new InvalidCredentialsError('Email or password is wrong');
      await throttle.clearFailures(input.email);
      assertActive(user);
      return issueTokens(user);
    },

    /**
     * Rotates a refresh token: the presented one is spent and a new one of the same family issued. A spent
     * or revoked token presented again means it leaked: the whole family is revoked.
     */
    async refresh(refreshToken: string): Promise<TokenPair> {
      const outcome = await withTransaction(deps.db, async (trx) => {
        // The account's row first, then the token's: the order a suspension locks them in, so a refresh and a
        // suspension of one account wait for each other instead of deadlocking.
        const owner = await refreshTokens.findByHash(hashToken(refreshToken), trx);
        if (!owner) return { error: 'unknown' as const };
        await users.findByIdForShare(owner.user_id, trx);
        const row = await refreshTokens.findByHashForUpdate(hashToken(refreshToken), trx);
        if (!row) return { error: 'unknown' as const };
        if (row.used_at || row.revoked_at) {
          await refreshTokens.revokeFamily(row.family_id, trx);
          await revokeLogin(row.family_id);
          return { error: 'reused' as const };
        }
        if (row.expires_at.getTime() <= Date.now()) return { error: 'expired' as const };
        const user = await users.findById(row.user_id);
        if (!user) return { error: 'unknown' as const };
        if (user.status !== 'active') {
          await refreshTokens.revokeFamily(row.family_id, trx);
          return { error: 'suspended' as const };
        }
        await refreshTokens.markUsed(row.id, trx);
        return { tokens: await issueTokens(user, row.family_id, trx) };
      });
      if (outcome.tokens) return outcome.tokens;
      if (outcome.error === 'suspended') throw new AccountSuspendedError('This account is suspended');
      if (outcome.error === 'reused')
        throw new InvalidRefreshTokenError(
          'Refresh token was already used; every session of this login is revoked',
        );
      throw new InvalidRefreshTokenError(
        outcome.error === 'expired' ? 'Refresh token expired' : 'Refresh token is not valid',
      );
    },

    /**
     * Revokes the token's family (this login) and its access tokens at the gateway; unknown tokens are ignored
     * so logout is idempotent (a repeated logout records the revocation again).
     */
    async logout(refreshToken: string): Promise<void> {
      await withTransaction(deps.db, async (trx) => {
        const row = await refreshTokens.findByHashForUpdate(hashToken(refreshToken), trx);
        if (!row) return;
        await refreshTokens.revokeFamily(row.family_id, trx);
        await revokeLogin(row.family_id);
      });
    },

    async me(userId: number): Promise<User> {
      const user = await users.findById(userId);
      if (!user) throw new UnauthorizedError('This account no longer exists');
      return user;
    },
  };
}

export type AuthService = ReturnType<typeof authService>;
