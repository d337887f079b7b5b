import type { BffContext } from '../context';

type CheckResult = { ok: true } | { ok: false; error: string };

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

export async function checkReadiness(ctx: Pick<BffContext, 'db' | 'redis'>, timeoutMs = 1500) {
  const [mysql, redis] = await Promise.all([
    bounded(() => ctx.db.raw('SELECT 1'), timeoutMs),
    bounded(() => ctx.redis.ping(), timeoutMs),
  ]);
  return { ready: mysql.ok && redis.ok, checks: { mysql, redis } };
}
