/**
 * The SOLAPI adapter against the SOLAPI-shaped fake, over HTTP: signing, answers, refusals and delivery reports.
 */
import type { StartedFake } from '../../fakes/fake-server';
import { type SmsProviderState, startSmsProvider } from '../../fakes/sms-provider';
import { solapiAuthorization } from '../../shared/solapi';
import {
  SmsProviderUnavailableError,
  SmsRefusedError,
  createSmsClient,
} from '../../workers/notifications/sms-client';

const credentials = { apiKey: 'NCSTESTKEY', apiSecret: 'test-secret-of-the-fake' };

describe('SOLAPI SMS client against the fake', () => {
  let sms: StartedFake<SmsProviderState>;
  const client = () => createSmsClient({ baseUrl: sms.url, ...credentials, sender: '15880000' });
  const control = (knobs: object) =>
    fetch(`${sms.url}/__control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(knobs),
    });

  beforeAll(async () => {
    sms = await startSmsProvider({ port: 0, ...credentials });
  });
  afterAll(async () => {
    await sms.close();
  });
  beforeEach(async () => {
    await fetch(`${sms.url}/__reset`, { method: 'POST' });
  });

  it('when a message is sent, then the fake took a correctly signed send-many/detail with the domestic numbers and the text', async () => {
    const { messageId } = await client().send({
      to: '+821012345678',
      text: '[Voltmall] Your verification code is 123456',
      reference: 'sms-1-abc',
    });

    expect(messageId).toMatch(/^M4V/);
    expect(sms.state.messages).toEqual([
      expect.objectContaining({
        messageId,
        to: '01012345678',
        from: '15880000',
        text: '[Voltmall] Your verification code is 123456',
        type: 'SMS',
        customFields: { reference: 'sms-1-abc' },
      }),
    ]);
    const call = sms.state.calls.find((record) => record.path === '/messages/v4/send-many/detail');
    expect(call).toMatchObject({ method: 'POST', status: 200 });
  });

  it('when the delivery report is asked for, then the fake says received (4000) and findSent finds it by reference', async () => {
    const since = new Date(Date.now() - 1000);
    const { messageId } = await client().send({
      to: '01012345678',
      text: 'code 654321',
      reference: 'sms-2-x',
    });

    expect(await client().deliveryReport(messageId)).toEqual({
      messageId,
      to: '01012345678',
      status: 'delivered',
      statusCode: '4000',
      reason: null,
      reference: 'sms-2-x',
    });
    expect(await client().deliveryReport('M4VUNKNOWN')).toBeNull();
    expect((await client().findSent('sms-2-x', '+821012345678', since))?.messageId).toBe(messageId);
    expect(await client().findSent('sms-other', '+821012345678', since)).toBeUndefined();
  });

  it.each([
    [
      'the sender is not registered',
      { registeredSenders: ['0212345678'] },
      '01012345678',
      '1062',
      /발신번호/,
    ],
    ['the number refuses messages', { refusedNumbers: ['01099998888'] }, '01099998888', '3059', /수신거부/],
    ['the number is not a mobile one', {}, '021234567', 'NotKoreanMobile', /Korean mobile/],
  ])(
    'when %s, then a permanent SmsRefusedError with the reason, and nothing is sent',
    async (_case, knobs, to, code, reason) => {
      await control(knobs);

      const error = await client()
        .send({ to, text: 'code 111111', reference: 'sms-3' })
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(SmsRefusedError);
      expect((error as SmsRefusedError).providerCode).toBe(code);
      expect((error as SmsRefusedError).reason).toMatch(reason);
      expect((error as Error).message).not.toContain('111111');
      expect(sms.state.messages).toEqual([]);
    },
  );

  it('when the secret or the key is wrong, then a permanent refusal naming the misconfiguration', async () => {
    for (const [wrong, code] of [
      [{ apiSecret: 'not-the-secret' }, 'SignatureDoesNotMatch'],
      [{ apiKey: 'NCSOTHER' }, 'InvalidAPIKey'],
    ] as const) {
      const error = await createSmsClient({ baseUrl: sms.url, ...credentials, ...wrong, sender: '15880000' })
        .send({ to: '01012345678', text: 'x', reference: 'r' })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SmsRefusedError);
      expect((error as SmsRefusedError).providerCode).toBe(code);
    }
  });

  it('when the provider throttles or fails, then a retryable error carrying Retry-After', async () => {
    await control({ throttleNextCalls: 1, throttleRetryAfterSeconds: 7 });
    const throttled = await client()
      .send({ to: '01012345678', text: 'x', reference: 'r' })
      .catch((caught: unknown) => caught);
    await control({ errorRate: 1 });
    const failed = await client()
      .send({ to: '01012345678', text: 'x', reference: 'r' })
      .catch((caught: unknown) => caught);

    expect(throttled).toBeInstanceOf(SmsProviderUnavailableError);
    expect((throttled as SmsProviderUnavailableError).retryAfterMs).toBe(7000);
    expect(failed).toBeInstanceOf(SmsProviderUnavailableError);
    expect(sms.state.messages).toEqual([]);
  });

  it('when the provider cannot be reached, then a retryable error', async () => {
    const error = await createSmsClient({ baseUrl: 'http://127.0.0.1:9', ...credentials, sender: '15880000' })
      .send({ to: '01012345678', text: 'x', reference: 'r' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SmsProviderUnavailableError);
  });

  it('when a signature is replayed, its date is stale or the header is missing, then the fake refuses like SOLAPI', async () => {
    const list = (authorization?: string) =>
      fetch(`${sms.url}/messages/v4/list?limit=1`, { headers: authorization ? { authorization } : {} });
    const fresh = solapiAuthorization(credentials, new Date().toISOString(), 'salt-0123456789');
    const stale = solapiAuthorization(
      credentials,
      new Date(Date.now() - 16 * 60_000).toISOString(),
      'salt-9876543210',
    );

    const first = await list(fresh);
    const replay = await list(fresh);
    const old = await list(stale);
    const shortSalt = await list(solapiAuthorization(credentials, new Date().toISOString(), 'short'));
    const none = await list();

    expect(first.status).toBe(200);
    expect([replay.status, await replay.json()]).toEqual([
      403,
      expect.objectContaining({ errorCode: 'DuplicatedSignature' }),
    ]);
    expect([old.status, await old.json()]).toEqual([
      403,
      expect.objectContaining({ errorCode: 'RequestTimeTooSkewed' }),
    ]);
    expect(shortSalt.status).toBe(403);
    expect(none.status).toBe(401);
  });

  it('when a send is not valid, then 400 ValidationError with SOLAPI error fields', async () => {
    const response = await fetch(`${sms.url}/messages/v4/send-many/detail`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: solapiAuthorization(credentials, new Date().toISOString(), 'salt-abcdefghijk'),
      },
      body: JSON.stringify({ messages: [] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errorCode: 'ValidationError', errorMessage: expect.any(String) });
  });
});
