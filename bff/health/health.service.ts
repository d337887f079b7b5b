import type { BffContext } from '../context';

export type CheckResult = { ok: true } | { ok: false; error: string };

async function bounded(check: () => Promise<unknown>, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Whether an event loop running `lagMs` late can still serve: not beyond `maxLagMs`. */
export function eventLoopCheck(lagMs: number, maxLagMs: number): CheckResult {
  if (lagMs <= maxLagMs) return { ok: true };
  return { ok: false, error: `event loop lagging ${lagMs} ms (limit ${maxLagMs} ms)` };
}

export async function checkReadiness(
  ctx: Pick<BffContext, 'db' | 'redis' | 'eventLoopLag' | 'config'>,
  timeoutMs = 1500,
) {
  // Read before the other checks wait on the network, so their own time does not count as lag.
  const eventLoop = eventLoopCheck(ctx.eventLoopLag.lagMs(), ctx.config.READY_MAX_EVENT_LOOP_LAG_MS);
  const [mysql, redis] = await Promise.all([
    bounded(() => ctx.db.raw('SELECT 1'), timeoutMs),
    bounded(() => ctx.redis.ping(), timeoutMs),
  ]);
  return { ready: mysql.ok && redis.ok && eventLoop.ok, checks: { mysql, redis, eventLoop } };
}
