import { SignJWT, importPKCS8, type KeyLike } from 'jose';
import type { Config } from '../../shared/config';
import type { UserRole } from '../../shared/models/user.model';

/**
 * Signs short-lived access tokens with the EdDSA private key. The BFF only signs; the gateway verifies
 * with the public key, so a leaked gateway cannot mint tokens.
 */
export interface AccessTokenSigner {
  sign(claims: { userId: number; role: UserRole }): Promise<{ token: string; expiresIn: number }>;
}

export function createAccessTokenSigner(
  config: Pick<
    Config,
    'JWT_PRIVATE_KEY' | 'JWT_KID' | 'JWT_ISSUER' | 'JWT_AUDIENCE' | 'ACCESS_TOKEN_TTL_SECONDS'
  >,
): AccessTokenSigner {
  let key: Promise<KeyLike> | undefined;
  return {
    async sign({ userId, role }) {
      key ??= importPKCS8(config.JWT_PRIVATE_KEY, 'EdDSA');
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({ role })
        .setProtectedHeader({ alg: 'EdDSA', kid: config.JWT_KID, typ: 'JWT' })
        .setSubject(String(userId))
        .setIssuer(config.JWT_ISSUER)
        .setAudience(config.JWT_AUDIENCE)
        .setIssuedAt(now)
        .setNotBefore(now)
        .setExpirationTime(now + config.ACCESS_TOKEN_TTL_SECONDS)
        .sign(await key);
      return { token, expiresIn: config.ACCESS_TOKEN_TTL_SECONDS };
    },
  };
}
