/**
 * No verification code in clear outside the SMS itself: not in Redis (job payloads, retained jobs, events),
 * not on the queue dashboard, not in the BFF's or the workers' log lines.
 */
import { randomBytes } from 'node:crypto';
import { sealSmsPayload, type SendSmsPayload } from '../../queues/notifications.queue';
import type { Redis } from '../../shared/redis';
import { call, createUserWithToken, eventually, uniqueEmail } from '../support/stack';
import { randomPhone, useSmsStack } from './sms-stack';

/** Every value stored under `prefix:`, as text, whatever the key's type. */
async function dumpPrefix(redis: Redis, prefix: string): Promise<string[]> {
  const values: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      values.push(key);
      if (type === 'string') values.push((await redis.get(key)) ?? '');
      else if (type === 'hash') values.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'list') values.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === 'set') values.push(JSON.stringify(await redis.smembers(key)));
      else if (type === 'zset') values.push(JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES')));
      else if (type === 'stream') values.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      else values.push(`<${type}>`);
    }
  } while (cursor !== '0');
  return values;
}

/** The code as a number of its own (not six digits inside a timestamp or a stream id). */
const containsCode = (text: string, code: string) => new RegExp(`(?<![0-9])${code}(?![0-9])`).test(text);

describe('SMS verification codes are never stored or logged in clear', () => {
  const env = useSmsStack({ label: 'sms-secrecy' });
  const { bffLogLines, workerLogLines } = env;

  const stackKey = () => env.stack.bff.config.SMS_PAYLOAD_KEY;
  const setSmsErrorRate = (errorRate: number) => env.control({ errorRate });

  it('when a code is sent, retried and delivered, then the provider gets the right text while Redis, the dashboard and the logs never hold the code', async () => {
    const phone = randomPhone();
    const email = uniqueEmail('sms');
    expect(
      (
        await call(env.stack.url, 'POST', '/api/auth/signup', {
          body: { email, password: 'Passw0rd!', phone },
        })
      ).status,
    ).toBe(201);
    const login = await call(env.stack.url, 'POST', '/api/auth/login', {
      body: { email, password: 'Passw0rd!' },
    });
    const token = login.body.accessToken as string;
    const admin = await createUserWithToken(env.stack, 'admin');

    // The provider fails the first attempt, so the job sits in Redis (and on the dashboard) awaiting a retry.
    await setSmsErrorRate(1);
    const send = await call(env.stack.url, 'POST', '/api/auth/sms/send', { token, body: {} });
    expect(send.status).toBe(202);
    const retrying = await eventually(
      async () => {
        const [job] = await env.notifications.getJobs(['delayed']);
        return job && job.attemptsMade >= 1 ? job : undefined;
      },
      15_000,
      'the SMS job waiting for its retry',
    );
    const whileRetrying = await dumpPrefix(env.redis, env.stack.env.REDIS_PREFIX!);
    const dashboard = await call(
      env.stack.url,
      'GET',
      '/admin/queues/api/queues?activeQueue=notifications&status=delayed&page=1&jobsPerPage=10',
      { token: admin.token },
    );
    expect(dashboard.status).toBe(200);
    expect(JSON.stringify(dashboard.body)).toContain(retrying.id!);

    await setSmsErrorRate(0);
    const message = await eventually(
      async () => {
        const response = await fetch(`${env.sms.url}/__messages?to=${encodeURIComponent(phone)}`);
        const { messages } = (await response.json()) as { messages: { text: string }[] };
        return messages[0];
      },
      15_000,
      'the SMS at the provider',
    );
    const code = /(\d{6})/.exec(message.text)![1]!;
    expect(message.text).toBe(`[Voltmall] Your verification code is ${code}`);
    expect(whileRetrying.filter((value) => containsCode(value, code))).toEqual([]);
    expect(containsCode(JSON.stringify(dashboard.body), code)).toBe(false);

    // Delivered: the job is gone at once, not kept for a day.
    await eventually(
      async () => {
        const counts = await env.notifications.getJobCounts('waiting', 'active', 'delayed', 'completed');
        return Object.values(counts).every((count) => count === 0) ? true : undefined;
      },
      10_000,
      'the SMS job removed after completion',
    );
    const afterDelivery = await dumpPrefix(env.redis, env.stack.env.REDIS_PREFIX!);

    expect(afterDelivery.filter((value) => containsCode(value, code))).toEqual([]);
    expect(workerLogLines.some((line) => line.includes('"job":"send-sms"'))).toBe(true);
    expect([...bffLogLines, ...workerLogLines].filter((line) => containsCode(line, code))).toEqual([]);

    // And the code that went out is the one that verifies.
    const verify = await call(env.stack.url, 'POST', '/api/auth/sms/verify', { token, body: { code } });
    expect(verify.status).toBe(200);
    expect(verify.body).toEqual({ verified: true, phone });
  });

  it.each([
    [
      'sealed under another key',
      (to: string) => sealSmsPayload(randomBytes(32), { to, text: 'code 424242' }),
    ],
    [
      'redirected to another number',
      (to: string) => ({ ...sealSmsPayload(stackKey(), { to: '+821000000000', text: 'code 424242' }), to }),
    ],
    ['not sealed at all', (to: string) => ({ to, text: 'code 424242' }) as unknown as SendSmsPayload],
  ])(
    'when a job was %s, then it fails at once, without retries, and nothing is sent',
    async (_case, payload) => {
      const to = randomPhone();
      const jobId = `sms-forged-${randomBytes(4).toString('hex')}`;
      await env.notifications.add('send-sms', payload(to), { jobId, attempts: 5 });
      const failed = await eventually(
        async () =>
          (await env.notifications.getJobState(jobId)) === 'failed'
            ? env.notifications.getJob(jobId)
            : undefined,
        10_000,
        'the forged SMS job failed',
      );
      expect(failed!.attemptsMade).toBe(1);
      expect(failed!.failedReason).toMatch(/^SMS text does not open/);
      const response = await fetch(`${env.sms.url}/__messages?to=${encodeURIComponent(to)}`);
      expect(((await response.json()) as { messages: unknown[] }).messages).toEqual([]);
    },
  );
});
