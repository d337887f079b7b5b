/**
 * Fails the run early, with the fix, when the real services the tests need are not there.
 * `npm test` runs scripts/ensure-services.sh first, which installs and starts them.
 */
import net from 'node:net';

function reachable(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export default async function globalSetup(): Promise<void> {
  const mysql = new URL(process.env.TEST_MYSQL_URL ?? 'mysql://voltmall:voltmall@127.0.0.1:3306');
  const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const missing: string[] = [];
  if (!(await reachable(mysql.hostname, Number(mysql.port || 3306))))
    missing.push(`MySQL/MariaDB at ${mysql.host}`);
  if (!(await reachable(redis.hostname, Number(redis.port || 6379)))) missing.push(`Redis at ${redis.host}`);
  if (missing.length > 0) {
    throw new Error(
      `Tests need ${missing.join(' and ')}. Run "bash scripts/ensure-services.sh" (npm test does).`,
    );
  }
}
