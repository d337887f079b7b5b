import { randomUUID } from 'node:crypto';
import { SignJWT, importPKCS8, type CryptoKey } from 'jose';
import type { Config } from '../../shared/config';
import type { UserRole } from '../../shared/models/user.model';

/**
 * Signs short-lived access tokens with the EdDSA private key. The BFF only signs; the gateway verifies
 * with the public key, so a leaked gateway cannot mint tokens.
 *
 * Two claims serve the gateway's revocation check (shared/session-revocation.ts): `sid`, the login the
 * token belongs to (the refresh-token family, the same for every token of one login; logout voids it), and
 * `iat` in milliseconds (a fraction of a second, as RFC 7519 NumericDate allows), so a token issued just
 * after a user's revocation cutoff is told apart from one issued just before it in the same second.
 */
export interface AccessTokenSigner {
  /** `loginId` defaults to a login of its own (a token no logout names). */
  sign(claims: {
    userId: number;
    role: UserRole;
    loginId?: string;
  }): Promise<{ token: string; expiresIn: number }>;
}

export function createAccessTokenSigner(
  config: Pick<
    Config,
    'JWT_PRIVATE_KEY' | 'JWT_KID' | 'JWT_ISSUER' | 'JWT_AUDIENCE' | 'ACCESS_TOKEN_TTL_SECONDS'
  >,
): AccessTokenSigner {
  let key: Promise<CryptoKey> | undefined;
  return {
    async sign({ userId, role, loginId = randomUUID() }) {
      key ??= importPKCS8(config.JWT_PRIVATE_KEY, 'EdDSA');
      const issuedAt = Date.now() / 1000;
      const now = Math.floor(issuedAt);
      const token = await new SignJWT({ role, sid: loginId })
        .setProtectedHeader({ alg: 'EdDSA', kid: config.JWT_KID, typ: 'JWT' })
        .setSubject(String(userId))
        .setIssuer(config.JWT_ISSUER)
        .setAudience(config.JWT_AUDIENCE)
        .setIssuedAt(issuedAt)
        .setNotBefore(now)
        .setExpirationTime(now + config.ACCESS_TOKEN_TTL_SECONDS)
        .sign(await key);
      return { token, expiresIn: config.ACCESS_TOKEN_TTL_SECONDS };
    },
  };
}
