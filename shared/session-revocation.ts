import type { Config } from './config';
import { appKey, type Redis } from './redis';
import { isClustered, REVOCATION_HASH_TAG } from './redis-keys';

/**
 * Session revocation records: what makes suspension, demotion and logout act at once although access tokens
 * are checked only at the gateway. The BFF writes them; the gateway's Lua (nginx/lua/revocation.lua) reads
 * both records of a token in one MGET on every token-checked request, caching them per nginx worker for at
 * most a second. Key names are built here only; nginx/render.ts hands {@link revocationKeyPrefixes} to the
 * gateway in gateway.json, so the Lua appends the subject or login id and never spells a key itself.
 *
 * - per user, `<prefix>:revoked:user:<userId>` = a cutoff in epoch milliseconds: every access token of that
 *   user issued at or before it (`iat` ≤ cutoff, `iat` carries milliseconds) is void. Written on suspension
 *   and on a role change (a demoted admin's token still says `admin`).
 * - per login, `<prefix>:revoked:login:<sid>` (any value): every access token carrying that login id (`sid`,
 *   the refresh-token family) is void. Written on logout and when a reused refresh token revokes the login.
 *
 * Each record lives as long as the access tokens it voids can ({@link revocationTtlSeconds}) and then
 * removes itself.
 */

/**
 * Added to the access-token lifetime for a record's TTL: covers the gateway's exp leeway (at most 30 s) and
 * clock skew between the BFF instances that sign tokens and write records.
 */
export const REVOCATION_TTL_LEEWAY_SECONDS = 60;

/**
 * The key prefixes (ending in ':') of the per-user and per-login records under a REDIS_PREFIX. On Redis
 * Cluster (`clustered`) both carry one hash tag, `<prefix>:{revoked}:user:` and `<prefix>:{revoked}:login:`,
 * so the gateway's MGET of a token's two records stays in one slot (shared/redis-keys.ts).
 */
export function revocationKeyPrefixes(prefix: string, clustered = false): { user: string; login: string } {
  const base = clustered ? appKey(prefix, REVOCATION_HASH_TAG) : appKey(prefix, 'revoked');
  return { user: `${base}:user:`, login: `${base}:login:` };
}

/** The per-user record: tokens of this user issued at or before its value (epoch ms) are void. */
export function revokedUserKey(prefix: string, userId: number | string, clustered = false): string {
  return `${revocationKeyPrefixes(prefix, clustered).user}${userId}`;
}

/** The per-login record: tokens whose `sid` claim is this login id are void. */
export function revokedLoginKey(prefix: string, loginId: string, clustered = false): string {
  return `${revocationKeyPrefixes(prefix, clustered).login}${loginId}`;
}

/** How long a record must outlive its write: the longest an access token issued before it stays valid. */
export function revocationTtlSeconds(accessTokenTtlSeconds: number): number {
  return accessTokenTtlSeconds + REVOCATION_TTL_LEEWAY_SECONDS;
}

/** Writes revocation records. Failures reject (callers on request paths turn them into a 503). */
export function sessionRevocations(deps: {
  redis: Redis;
  config: Pick<Config, 'REDIS_PREFIX' | 'ACCESS_TOKEN_TTL_SECONDS'>;
}) {
  const ttl = revocationTtlSeconds(deps.config.ACCESS_TOKEN_TTL_SECONDS);
  const clustered = isClustered(deps.redis);
  return {
    /**
     * Voids every access token of `userId` issued up to now. The cutoff only moves forward: a record written
     * later by a BFF whose clock lags cannot revive tokens an earlier record voided.
     */
    async revokeUser(userId: number, now = Date.now()): Promise<void> {
      await deps.redis.eval(
        RAISE_CUTOFF,
        1,
        revokedUserKey(deps.config.REDIS_PREFIX, userId, clustered),
        String(now),
        String(ttl),
      );
    },

    /** Voids every access token of one login (refresh-token family). */
    async revokeLogin(loginId: string): Promise<void> {
      await deps.redis.set(revokedLoginKey(deps.config.REDIS_PREFIX, loginId, clustered), '1', 'EX', ttl);
    },
  };
}

export type SessionRevocations = ReturnType<typeof sessionRevocations>;

/** KEYS[1] the user's record; ARGV cutoff (epoch ms), TTL (s). Keeps the larger cutoff, renews the TTL. */
const RAISE_CUTOFF = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local cutoff = tonumber(ARGV[1])
if current > cutoff then cutoff = current end
redis.call('SET', KEYS[1], string.format('%.0f', cutoff), 'EX', tonumber(ARGV[2]))
return 1
`;
