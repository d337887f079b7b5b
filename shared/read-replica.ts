import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Knex } from 'knex';
import knexFactory from 'knex';
import { REPLICA_SETTING_LIMITS } from './config';
import { knexConfig, type SessionLimits } from './db';
import type { Logger } from './logger';

/**
 * Where lag-tolerant reads go: a read replica while it keeps up, the primary otherwise.
 *
 * Lag is measured as pt-heartbeat does, not from the replication threads' own report: every check interval
 * this process writes `beat_at_ms = now` into its own row of `replica_heartbeats` on the primary and reads that
 * row back from the replica. The replica holds everything the primary committed before the newest beat it
 * shows, so `now - newest beat seen` bounds how far behind it is. That figure grows by itself when the
 * replica stops applying, stops answering or the check hangs, and reads go back to the primary once it passes
 * DB_REPLICA_MAX_LAG_MS, with no separate failure detection. A read that fails on the replica (down, a
 * database or table not replicated yet) is run again on the primary.
 *
 * Only reads that tolerate this lag may use it; what must see the caller's own write, the order flow and
 * every write use the primary directly (docs/ARCHITECTURE.md, "Read replica").
 */

/**
 * How far behind the primary a replica read can be at most, whatever the settings: the lag bound plus one
 * check interval (a beat is written each interval) plus a margin for the check's own round trips. A cache
 * filled from the replica within this long of a write may miss that write (see product-cache's fence).
 */
export const REPLICA_STALENESS_BOUND_MS =
  REPLICA_SETTING_LIMITS.maxLagMs + REPLICA_SETTING_LIMITS.checkIntervalMs + 1000;

/** Rows of processes that stopped beating this long ago are deleted at start. */
const STALE_HEARTBEAT_MS = 24 * 3600_000;

export type ReadPool = 'replica' | 'primary';

export interface ReplicaStatus {
  configured: boolean;
  /** Where a lag-tolerant read would go now. */
  using: ReadPool;
  /** How far behind the replica is known to be, ms (null: not measured yet or not configured). */
  lagMs: number | null;
  /** Reads served so far, by the pool that answered. */
  reads: Record<ReadPool, number>;
}

export interface ReadRouter {
  /** Whether a replica is configured at all (reads may then go to it). */
  readonly hasReplica: boolean;
  /**
   * Runs a lag-tolerant read on the replica when it keeps up, else (or when it fails there) on the primary.
   * `primary: true` sends it to the primary anyway, e.g. right after a write the read must reflect.
   */
  read<T>(work: (db: Knex) => Promise<T>, options?: { primary?: boolean }): Promise<T>;
  status(): ReplicaStatus;
  close(): Promise<void>;
}

export interface ReadRouterOptions {
  primary: Knex;
  replicaUrl?: string;
  maxLagMs: number;
  checkIntervalMs: number;
  poolMax?: number;
  limits?: SessionLimits;
  logger: Logger;
}

/** A router with no replica: every read on the primary. */
function primaryOnly(primary: Knex): ReadRouter {
  const reads = { replica: 0, primary: 0 };
  return {
    hasReplica: false,
    async read(work) {
      reads.primary += 1;
      return work(primary);
    },
    status: () => ({ configured: false, using: 'primary', lagMs: null, reads: { ...reads } }),
    async close() {},
  };
}

export function createReadRouter(options: ReadRouterOptions): ReadRouter {
  const { primary, replicaUrl, maxLagMs, checkIntervalMs, logger } = options;
  if (!replicaUrl) return primaryOnly(primary);

  // Its own pool, failing fast: a replica that is away must cost a read little before it goes to the primary.
  // Plain knex, not createDatabase: objection's models stay bound to the primary.
  const failFastMs = Math.max(maxLagMs, 500);
  const replica = knexFactory(
    knexConfig(replicaUrl, options.poolMax, options.limits, { connectTimeoutMs: failFastMs }),
  );
  const source = `${os.hostname().slice(0, 40)}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const reads = { replica: 0, primary: 0 };
  /** The newest of this process's beats the replica was seen to hold (ms, this process's clock). */
  let newestBeatSeen = 0;
  let usingReplica = false;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let checking: Promise<void> = Promise.resolve();

  const lagMs = () => (newestBeatSeen === 0 ? null : Math.max(0, Date.now() - newestBeatSeen));
  const keepsUp = () => {
    const lag = lagMs();
    return lag !== null && lag <= maxLagMs;
  };

  /** Logs each switch once, not each read. */
  function noteSwitch(): void {
    const now = keepsUp();
    if (now === usingReplica) return;
    usingReplica = now;
    if (now) logger.info({ lagMs: lagMs() }, 'read replica keeps up: lag-tolerant reads go to it');
    else logger.warn({ lagMs: lagMs(), maxLagMs }, 'read replica behind or away: reads go to the primary');
  }

  async function check(): Promise<void> {
    try {
      await primary('replica_heartbeats')
        .insert({ source, beat_at_ms: Date.now() })
        .onConflict('source')
        .merge();
    } catch (error) {
      logger.debug({ err: (error as Error).message }, 'replica heartbeat not written on the primary');
    }
    try {
      const row = (await replica('replica_heartbeats')
        .where({ source })
        .first('beat_at_ms')
        .timeout(failFastMs)) as { beat_at_ms: number | string } | undefined;
      if (row) newestBeatSeen = Math.max(newestBeatSeen, Number(row.beat_at_ms));
    } catch (error) {
      logger.debug({ err: (error as Error).message }, 'replica heartbeat not read from the replica');
    }
    noteSwitch();
  }

  function schedule(): void {
    if (closed) return;
    timer = setTimeout(() => {
      checking = check().finally(schedule);
    }, checkIntervalMs);
    timer.unref();
  }

  void primary('replica_heartbeats')
    .where('beat_at_ms', '<', Date.now() - STALE_HEARTBEAT_MS)
    .delete()
    .catch(() => undefined);
  checking = check().finally(schedule);

  return {
    hasReplica: true,
    async read(work, readOptions = {}) {
      if (!readOptions.primary && keepsUp()) {
        try {
          const result = await work(replica);
          reads.replica += 1;
          return result;
        } catch (error) {
          logger.warn(
            { err: (error as Error).message },
            'read failed on the replica; retried on the primary',
          );
          // Until a check sees it hold a newer beat, the replica is not trusted again.
          newestBeatSeen = Math.min(newestBeatSeen, Date.now() - maxLagMs - 1);
          noteSwitch();
        }
      }
      reads.primary += 1;
      return work(primary);
    },
    status() {
      return {
        configured: true,
        using: keepsUp() ? 'replica' : 'primary',
        lagMs: lagMs(),
        reads: { ...reads },
      };
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await checking.catch(() => undefined);
      await primary('replica_heartbeats')
        .where({ source })
        .delete()
        .catch(() => undefined);
      await replica.destroy();
    },
  };
}
