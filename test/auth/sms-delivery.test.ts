/**
 * SMS codes through the gateway, the notifications worker and the SOLAPI-shaped fake: a temporary failure is
 * retried (after the provider's Retry-After) and delivered; a permanent refusal is not retried and reaches the
 * user as a clear error, without the message text in the job, its failure or any log line.
 */
import type { SmsProviderState } from '../../fakes/sms-provider';
import { call, eventually, uniqueEmail } from '../support/stack';
import { randomPhone, useSmsStack } from './sms-stack';

const domestic = (e164: string) => `0${e164.slice(3)}`;

describe('SMS delivery through SOLAPI', () => {
  const env = useSmsStack({
    label: 'sms-delivery',
    credentials: { apiKey: 'NCSDELIVERYTEST', apiSecret: 'delivery-test-secret' },
  });
  const { bffLogLines, workerLogLines, control } = env;
  beforeEach(async () => {
    await fetch(`${env.sms.url}/__reset`, { method: 'POST' });
  });

  async function userWithPhone(phone: string): Promise<string> {
    const email = uniqueEmail('sms-delivery');
    const signup = await call(env.stack.url, 'POST', '/api/auth/signup', {
      body: { email, password: 'Passw0rd!', phone },
    });
    expect(signup.status).toBe(201);
    const login = await call(env.stack.url, 'POST', '/api/auth/login', {
      body: { email, password: 'Passw0rd!' },
    });
    return login.body.accessToken as string;
  }

  const statusOf = async (token: string) =>
    (await call(env.stack.url, 'GET', '/api/auth/sms/status', { token })).body;

  it('when SOLAPI throttles the first send, then the job waits out Retry-After, is delivered signed, and the status says sent', async () => {
    const phone = randomPhone();
    const token = await userWithPhone(phone);
    expect(await statusOf(token)).toEqual({ status: 'none' });
    await control({ throttleNextCalls: 1, throttleRetryAfterSeconds: 2 });

    const send = await call(env.stack.url, 'POST', '/api/auth/sms/send', { token, body: {} });
    expect(send.status).toBe(202);

    const retrying = await eventually(
      async () => {
        const [job] = await env.notifications.getJobs(['delayed']);
        return job && job.attemptsMade === 1 ? job : undefined;
      },
      15_000,
      'the throttled SMS job waiting for its retry',
    );
    // Exponential backoff alone would retry after 1 s; the provider asked for 2.
    expect(retrying.delay).toBeGreaterThanOrEqual(2000);
    const [message] = await eventually(
      async () => {
        const response = await fetch(`${env.sms.url}/__messages?to=${encodeURIComponent(phone)}`);
        const { messages } = (await response.json()) as { messages: SmsProviderState['messages'] };
        return messages.length > 0 ? messages : undefined;
      },
      15_000,
      'the SMS at SOLAPI',
    );
    expect(message).toMatchObject({ to: domestic(phone), from: '15880000', type: 'SMS' });
    expect(message!.customFields.reference).toMatch(/^sms-\d+-/);
    const calls = env.sms.state.calls.filter((record) => record.path === '/messages/v4/send-many/detail');
    expect(calls.map((record) => record.status)).toEqual([429, 200]);

    await eventually(
      async () => ((await statusOf(token)).status === 'sent' ? true : undefined),
      10_000,
      'the status saying sent',
    );
    expect(await statusOf(token)).toEqual({ status: 'sent', expiresIn: expect.any(Number) });
    const code = /(\d{6})/.exec(message!.text)![1]!;
    const verify = await call(env.stack.url, 'POST', '/api/auth/sms/verify', { token, body: { code } });
    expect(verify.body).toEqual({ verified: true, phone });
  });

  it('when SOLAPI took the message but the answer was lost, then the retry finds it by its reference and the user gets one SMS', async () => {
    const phone = randomPhone();
    const token = await userWithPhone(phone);
    await control({ lostResponseNextSends: 1 });

    expect((await call(env.stack.url, 'POST', '/api/auth/sms/send', { token, body: {} })).status).toBe(202);

    await eventually(
      async () => ((await statusOf(token)).status === 'sent' ? true : undefined),
      15_000,
      'the status saying sent after the retry',
    );
    const sends = env.sms.state.calls.filter((record) => record.path === '/messages/v4/send-many/detail');
    const lookups = env.sms.state.calls.filter((record) => record.path === '/messages/v4/list');
    expect(sends).toHaveLength(1);
    expect(lookups).toHaveLength(1);
    expect(env.sms.state.messages.filter((message) => message.to === domestic(phone))).toHaveLength(1);
  });

  it.each([
    [
      'the number refuses messages (blocked)',
      (phone: string) => ({ refusedNumbers: [domestic(phone)] }),
      /수신거부/,
    ],
    ['the sender number is not registered', () => ({ registeredSenders: ['0212345678'] }), /발신번호 미등록/],
  ])(
    'when %s, then the job fails once without retries and the user is told why, without the text anywhere',
    async (_case, knobs, reason) => {
      const phone = randomPhone();
      const token = await userWithPhone(phone);
      await control(knobs(phone));

      const send = await call(env.stack.url, 'POST', '/api/auth/sms/send', { token, body: {} });
      expect(send.status).toBe(202);

      const failed = await eventually(
        async () => {
          const [job] = await env.notifications.getJobs(['failed']);
          return job && (job.data as { to: string }).to === phone ? job : undefined;
        },
        15_000,
        'the refused SMS job failed',
      );
      expect(failed.attemptsMade).toBe(1);
      expect(failed.failedReason).toMatch(/^SMS refused by the provider/);
      const status = await statusOf(token);
      expect(status).toEqual({ status: 'failed', reason: expect.stringMatching(reason) });
      const verify = await call(env.stack.url, 'POST', '/api/auth/sms/verify', {
        token,
        body: { code: '000000' },
      });
      expect(verify.status).toBe(422);
      expect(verify.body.error).toMatchObject({
        code: 'SMS_NOT_SENT',
        message: expect.stringMatching(/^The code could not be sent: /),
        details: { reason: status.reason },
      });

      // The message text (it carries the code) is nowhere: not in the job, its failure, nor any log line.
      const traces = [
        JSON.stringify(failed.data),
        failed.failedReason,
        JSON.stringify(failed.stacktrace),
        JSON.stringify(failed.returnvalue ?? null),
        ...bffLogLines,
        ...workerLogLines,
      ];
      expect(traces.filter((text) => /verification code/i.test(text))).toEqual([]);
      expect(workerLogLines.some((line) => line.includes('sms refused by the provider'))).toBe(true);
      expect(env.sms.state.messages).toEqual([]);

      // Once the cause is fixed, a new code can be asked for at once: the refused one never arrived.
      await fetch(`${env.sms.url}/__reset`, { method: 'POST' });
      const again = await call(env.stack.url, 'POST', '/api/auth/sms/send', { token, body: {} });
      expect(again.status).toBe(202);
      await eventually(
        async () => ((await statusOf(token)).status === 'sent' ? true : undefined),
        10_000,
        'the new code sent',
      );
    },
  );
});
