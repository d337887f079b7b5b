import { randomUUID } from 'node:crypto';
import type { Config } from '../../shared/config';
import { TooManyRequestsError, unavailableOnFailure } from '../../shared/errors';
import { appKey, type Redis } from '../../shared/redis';

/** How many order-event streams (SSE) one user may hold open at once, across every BFF instance. */
export const MAX_ORDER_EVENT_STREAMS_PER_USER = 5;

/**
 * How long an open stream's place lasts unless renewed. Each stream renews it with its heartbeat, so only a
 * stream whose BFF died (and never released it) outlives its place, by at most this long.
 */
export const ORDER_STREAM_LEASE_MS = 45_000;

/** The user already holds the most open streams allowed. */
export class TooManyStreamsError extends TooManyRequestsError {
  override readonly code = 'TOO_MANY_STREAMS';
}

/** A sorted set per user: one member per open stream, scored by the time (ms, Redis clock) its place lapses. */
export const orderStreamsKey = (prefix: string, userId: number): string =>
  appKey(prefix, 'order-streams', userId);

const NOW_MS = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

/**
 * Drops lapsed places (streams of a BFF that died), then takes a place for ARGV[3] unless ARGV[1] are taken:
 * returns 0, or the milliseconds until the earliest place lapses. KEYS[1] the user's set; ARGV max, leaseMs, id.
 */
const ACQUIRE = `${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(tonumber(first[2]) - now, 1)
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 0
`;

/** Extends a stream's place (the set lives as long as its latest place). KEYS[1] the set; ARGV leaseMs, id. */
const RENEW = `${NOW_MS}
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`;

/** The place one open stream holds; renew it with the heartbeat, release it when the stream ends. */
export interface OrderStreamSlot {
  renew(): void;
  release(): void;
}

/**
 * Places for open order-event streams, counted in Redis so the bound holds across BFF instances. Renewing
 * and releasing are best effort: a place that is not released lapses within {@link ORDER_STREAM_LEASE_MS}.
 */
export function orderStreamSlots(deps: { redis: Redis; config: Pick<Config, 'REDIS_PREFIX'> }) {
  return {
    /** Takes a place for a new stream of `userId`; throws {@link TooManyStreamsError} when none is free. */
    async acquire(userId: number): Promise<OrderStreamSlot> {
      const key = orderStreamsKey(deps.config.REDIS_PREFIX, userId);
      const id = randomUUID();
      const waitMs = Number(
        await unavailableOnFailure('The stream registry', 2, () =>
          deps.redis.eval(ACQUIRE, 1, key, MAX_ORDER_EVENT_STREAMS_PER_USER, ORDER_STREAM_LEASE_MS, id),
        ),
      );
      if (waitMs > 0) {
        throw new TooManyStreamsError(
          `At most ${MAX_ORDER_EVENT_STREAMS_PER_USER} order event streams may be open at once; close one first`,
          { headers: { 'Retry-After': String(Math.ceil(waitMs / 1000)) } },
        );
      }
      return {
        renew: () => {
          deps.redis.eval(RENEW, 1, key, ORDER_STREAM_LEASE_MS, id).catch(() => undefined);
        },
        release: () => {
          deps.redis.zrem(key, id).catch(() => undefined);
        },
      };
    },
  };
}

export type OrderStreamSlots = ReturnType<typeof orderStreamSlots>;
