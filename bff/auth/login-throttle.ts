import { createHash } from 'node:crypto';
import type { Config } from '../../shared/config';
import { TooManyRequestsError, unavailableOnFailure } from '../../shared/errors';
import { appKey, type Redis } from '../../shared/redis';

/** Logins for this account are blocked for now; `Retry-After` says for how long. */
export class LoginThrottledError extends TooManyRequestsError {
  override readonly code = 'LOGIN_THROTTLED';
}

/**
 * The Redis hash that throttles one account's logins (`failures`, `blockedUntil` in ms), keyed by the
 * normalized e-mail, hashed so that no address appears in key names. Unknown e-mails get one too, so the
 * answers do not tell which accounts exist.
 */
export function loginThrottleKey(prefix: string, email: string): string {
  const normalized = email.trim().toLowerCase();
  return appKey(prefix, 'login-throttle', createHash('sha256').update(normalized).digest('base64url'));
}

/**
 * Counts an attempt before the password is checked, atomically, so parallel guesses cannot slip past the
 * limit: while the account is blocked it returns the milliseconds left (and counts nothing); otherwise it
 * counts the attempt and, from the `failures`-th one on, blocks the account for `blockMs`, doubling with each
 * further failure up to `maxBlockMs`; the attempt that sets a block is still checked. The hash lives `windowMs`
 * after the last attempt (plus its block). Times come from Redis, so every BFF instance agrees.
 * KEYS[1] the account's hash; ARGV failures, windowMs, blockMs, maxBlockMs.
 */
const ADMIT_ATTEMPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local blockedUntil = tonumber(redis.call('HGET', KEYS[1], 'blockedUntil') or '0')
if blockedUntil > now then
  return blockedUntil - now
end
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local limit = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
if failures >= limit then
  local block = math.min(tonumber(ARGV[3]) * 2 ^ (failures - limit), tonumber(ARGV[4]))
  redis.call('HSET', KEYS[1], 'blockedUntil', string.format('%.0f', now + block))
  ttl = ttl + block
end
redis.call('PEXPIRE', KEYS[1], string.format('%.0f', ttl))
return 0
`;

/**
 * A brake on password guessing per account, whatever the client's address (the gateway limits each
 * address; a guesser with many addresses meets this instead). Every login counts as a failure until its
 * password proves right, which forgets the account's failures.
 */
export function loginThrottle(deps: { redis: Redis; config: Config }) {
  const { config } = deps;
  const key = (email: string) => loginThrottleKey(config.REDIS_PREFIX, email);
  // The count lives in Redis only: when it is down, logins answer 503 rather than go unbraked.
  const store = <T>(work: () => Promise<T>) => unavailableOnFailure('The login throttle', 2, work);

  return {
    /** Counts a login attempt for `email`; throws {@link LoginThrottledError} while the account is blocked. */
    async admitAttempt(email: string): Promise<void> {
      const blockedForMs = Number(
        await store(() =>
          deps.redis.eval(
            ADMIT_ATTEMPT,
            1,
            key(email),
            config.LOGIN_THROTTLE_FAILURES,
            config.LOGIN_THROTTLE_WINDOW_SECONDS * 1000,
            config.LOGIN_THROTTLE_BLOCK_SECONDS * 1000,
            config.LOGIN_THROTTLE_MAX_BLOCK_SECONDS * 1000,
          ),
        ),
      );
      if (blockedForMs > 0) {
        throw new LoginThrottledError('Too many failed logins for this account; try again later', {
          headers: { 'Retry-After': String(Math.ceil(blockedForMs / 1000)) },
        });
      }
    },

    /** The password was right: the account's failures are forgotten. */
    async clearFailures(email: string): Promise<void> {
      await store(() => deps.redis.del(key(email)));
    },
  };
}
