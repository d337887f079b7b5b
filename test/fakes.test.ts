/**
 * The fake providers are real HTTP servers; these tests drive them over HTTP exactly as the workers, the
 * BFF and other integration tests will.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { INBOX_SIZE, type StartedFake } from '../fakes/fake-server';
import {
  DEFAULT_OIDC_CLIENT_ID,
  DEFAULT_OIDC_CLIENT_SECRET,
  type OidcProviderState,
  startOidcProvider,
} from '../fakes/oidc-provider';
import { type PaymentGatewayState, startPaymentGateway } from '../fakes/payment-gateway';
import {
  DEFAULT_SOLAPI_API_KEY,
  DEFAULT_SOLAPI_API_SECRET,
  type SmsProviderState,
  startSmsProvider,
} from '../fakes/sms-provider';
import { solapiAuthorization } from '../shared/solapi';

/** Polls with a bound instead of sleeping for a fixed time. */
async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Node's fetch types bodies as unknown; the assertions below check the shape. */
async function readJson<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('fake payment gateway', () => {
  const secretKey = 'test_sk_voltmall';
  const authorization = `Basic ${Buffer.from(`${secretKey}:`).toString('base64')}`;
  let gateway: StartedFake<PaymentGatewayState>;

  const uniqueOrderId = () => `order-${randomUUID()}`;
  const confirm = (
    body: object,
    idempotencyKey: string,
    requestId: string = randomUUID(),
    signal?: AbortSignal,
  ) =>
    fetch(`${gateway.url}/v1/payments/confirm`, {
      method: 'POST',
      headers: {
        authorization,
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
        'x-request-id': requestId,
      },
      body: JSON.stringify(body),
      signal,
    });
  const cancel = (paymentKey: string, body: object, idempotencyKey: string) =>
    postJson(`${gateway.url}/v1/payments/${paymentKey}/cancel`, body, {
      authorization,
      'idempotency-key': idempotencyKey,
    });
  const lookup = (orderId: string) =>
    fetch(`${gateway.url}/v1/payments/orders/${orderId}`, { headers: { authorization } });
  const chargesOf = async (orderId: string) =>
    (await (await fetch(`${gateway.url}/__charges?orderId=${orderId}`)).json()) as {
      charges: Array<Record<string, unknown>>;
      refunds: Array<Record<string, unknown>>;
    };
  const control = async (knobs: object) => {
    const response = await postJson(`${gateway.url}/__control`, knobs);
    expect(response.status).toBe(200);
  };

  beforeAll(async () => {
    gateway = await startPaymentGateway({ port: 0 });
  });
  afterAll(async () => {
    await gateway.close();
  });
  beforeEach(async () => {
    expect((await fetch(`${gateway.url}/__reset`, { method: 'POST' })).status).toBe(200);
  });

  it('when started on port 0, then it reports the real port in its url', () => {
    expect(gateway.port).toBeGreaterThan(0);
    expect(gateway.url).toBe(`http://127.0.0.1:${gateway.port}`);
  });

  it('when the same confirm is sent twice with one Idempotency-Key, then one charge is recorded and both answers are equal', async () => {
    const orderId = uniqueOrderId();
    const body = { paymentKey: `pay-${orderId}`, orderId, amount: 129_000 };

    const first = await confirm(body, orderId, 'req-first');
    const second = await confirm(body, orderId, 'req-second');

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    const firstBody = await readJson(first);
    expect(await second.json()).toEqual(firstBody);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(firstBody).toMatchObject({
      paymentKey: body.paymentKey,
      orderId,
      status: 'DONE',
      totalAmount: 129_000,
      method: '카드',
    });
    expect(firstBody.approvedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);
    const { charges } = await chargesOf(orderId);
    expect(charges).toEqual([
      {
        orderId,
        paymentKey: body.paymentKey,
        amount: 129_000,
        idempotencyKey: orderId,
        requestId: 'req-first',
        at: expect.any(String),
      },
    ]);
  });

  it('when the same Idempotency-Key comes with another body, then the first answer comes back (Toss scopes a key to URL and method) and no second charge', async () => {
    const orderId = uniqueOrderId();
    const first = await confirm({ paymentKey: `pay-${orderId}`, orderId, amount: 1000 }, orderId);

    const response = await confirm({ paymentKey: `pay-${orderId}`, orderId, amount: 2000 }, orderId);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(await first.json());
    expect((await chargesOf(orderId)).charges).toHaveLength(1);
  });

  it('when a paid order is confirmed again under a new key, then 400 ALREADY_PROCESSED_PAYMENT and no second charge', async () => {
    const orderId = uniqueOrderId();
    await confirm({ paymentKey: `pay-${orderId}`, orderId, amount: 1000 }, 'key-1');

    const response = await confirm({ paymentKey: `pay-${orderId}`, orderId, amount: 1000 }, 'key-2');

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'ALREADY_PROCESSED_PAYMENT' });
    expect((await chargesOf(orderId)).charges).toHaveLength(1);
  });

  it('when the Authorization header is missing, the Idempotency-Key too long or the body bad, then 4xx JSON and no charge', async () => {
    const orderId = uniqueOrderId();
    const body = { paymentKey: `pay-${orderId}`, orderId, amount: 1000 };

    const noAuth = await postJson(`${gateway.url}/v1/payments/confirm`, body, { 'idempotency-key': orderId });
    const longKey = await confirm(body, 'k'.repeat(301));
    const badAmount = await confirm({ ...body, amount: 10.5 }, orderId);
    const badJson = await fetch(`${gateway.url}/v1/payments/confirm`, {
      method: 'POST',
      headers: { authorization, 'idempotency-key': orderId, 'content-type': 'application/json' },
      body: '{"orderId":',
    });

    expect(noAuth.status).toBe(401);
    expect(await noAuth.json()).toMatchObject({ code: 'UNAUTHORIZED_KEY' });
    expect(longKey.status).toBe(400);
    expect(await longKey.json()).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(badAmount.status).toBe(400);
    expect(await badAmount.json()).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ code: 'INVALID_REQUEST' });
    expect((await chargesOf(orderId)).charges).toEqual([]);
  });

  it('when an order was paid, then lookup by order id answers DONE; when it was not, then 404 NOT_FOUND_PAYMENT', async () => {
    const orderId = uniqueOrderId();
    await confirm({ paymentKey: `pay-${orderId}`, orderId, amount: 5000 }, orderId);

    const paid = await lookup(orderId);
    const unknown = await lookup(uniqueOrderId());

    expect(paid.status).toBe(200);
    expect(await paid.json()).toMatchObject({
      orderId,
      status: 'DONE',
      totalAmount: 5000,
      balanceAmount: 5000,
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'NOT_FOUND_PAYMENT' });
  });

  it('when a cancel is repeated with one key, then one refund; when repeated with a new key, then 400 ALREADY_CANCELED_PAYMENT', async () => {
    const orderId = uniqueOrderId();
    const paymentKey = `pay-${orderId}`;
    await confirm({ paymentKey, orderId, amount: 30_000 }, orderId);

    const first = await cancel(paymentKey, { cancelReason: 'customer request' }, `refund-${orderId}`);
    const replay = await cancel(paymentKey, { cancelReason: 'customer request' }, `refund-${orderId}`);
    const again = await cancel(paymentKey, { cancelReason: 'customer request' }, 'another-key');

    expect(first.status).toBe(200);
    const firstBody = await first.json();
    expect(firstBody).toMatchObject({
      status: 'CANCELED',
      balanceAmount: 0,
      cancels: [{ cancelAmount: 30_000, cancelReason: 'customer request', cancelStatus: 'DONE' }],
    });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual(firstBody);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ code: 'ALREADY_CANCELED_PAYMENT' });
    const { refunds } = await chargesOf(orderId);
    expect(refunds).toEqual([
      expect.objectContaining({ orderId, paymentKey, amount: 30_000, idempotencyKey: `refund-${orderId}` }),
    ]);
    expect(await (await lookup(orderId)).json()).toMatchObject({ status: 'CANCELED' });
  });

  it('when part of a payment is cancelled, then it is PARTIAL_CANCELED and more than the balance cannot be cancelled', async () => {
    const orderId = uniqueOrderId();
    const paymentKey = `pay-${orderId}`;
    await confirm({ paymentKey, orderId, amount: 10_000 }, orderId);

    const partial = await cancel(paymentKey, { cancelReason: 'one item', cancelAmount: 4000 }, 'partial-1');
    const tooMuch = await cancel(paymentKey, { cancelReason: 'rest', cancelAmount: 7000 }, 'partial-2');

    expect(await partial.json()).toMatchObject({ status: 'PARTIAL_CANCELED', balanceAmount: 6000 });
    expect(tooMuch.status).toBe(403);
    expect(await tooMuch.json()).toMatchObject({ code: 'NOT_CANCELABLE_AMOUNT' });
    expect((await chargesOf(orderId)).refunds).toHaveLength(1);
  });

  it('when the order id is in declineOrderIds, then 403 REJECT_CARD_PAYMENT, no charge, the same key replays the decline and lookup shows it ABORTED', async () => {
    const orderId = uniqueOrderId();
    await control({ declineOrderIds: [orderId] });

    const response = await confirm({ paymentKey: `pay-${orderId}`, orderId, amount: 1000 }, orderId);
    const replay = await confirm({ paymentKey: `pay-${orderId}`, orderId, amount: 1000 }, orderId);

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'REJECT_CARD_PAYMENT' });
    expect(replay.status).toBe(403);
    expect((await chargesOf(orderId)).charges).toEqual([]);
    const aborted = await lookup(orderId);
    expect(aborted.status).toBe(200);
    expect(await aborted.json()).toMatchObject({
      orderId,
      status: 'ABORTED',
      approvedAt: null,
      failure: { code: 'REJECT_CARD_PAYMENT', message: expect.any(String) },
    });
  });

  it('when errorRate is 1, then every call answers 5xx JSON and nothing is charged', async () => {
    const orderId = uniqueOrderId();
    await control({ errorRate: 1 });

    const response = await confirm({ paymentKey: `pay-${orderId}`, orderId, amount: 1000 }, orderId);

    expect([500, 503]).toContain(response.status);
    expect(await response.json()).toEqual({ code: expect.any(String), message: expect.any(String) });
    expect((await chargesOf(orderId)).charges).toEqual([]);
  });

  it('when lostResponseRate is 1, then the fetch fails but the charge is recorded, lookup shows DONE and a retry replays it', async () => {
    const orderId = uniqueOrderId();
    const body = { paymentKey: `pay-${orderId}`, orderId, amount: 77_000 };
    await control({ lostResponseRate: 1 });

    await expect(confirm(body, orderId, 'req-lost')).rejects.toThrow();

    expect((await chargesOf(orderId)).charges).toEqual([
      expect.objectContaining({ orderId, requestId: 'req-lost' }),
    ]);
    expect(await (await lookup(orderId)).json()).toMatchObject({ orderId, status: 'DONE' });
    await control({ lostResponseRate: 0 });
    const retry = await confirm(body, orderId, 'req-retry');
    expect(retry.status).toBe(200);
    expect((await chargesOf(orderId)).charges).toHaveLength(1);
  });

  it('when /__control gets an out-of-range or unknown knob, then 400 and the knobs stay as they were', async () => {
    const outOfRange = await postJson(`${gateway.url}/__control`, { errorRate: 2 });
    const unknown = await postJson(`${gateway.url}/__control`, { errorRat: 0.5 });

    expect(outOfRange.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(await (await fetch(`${gateway.url}/__control`)).json()).toMatchObject({ errorRate: 0 });
  });

  it('when a route does not exist, then 404 JSON', async () => {
    const response = await fetch(`${gateway.url}/v2/nothing`, { headers: { authorization } });

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
  });
});

describe('fake payment gateway that never answers', () => {
  it('when timeoutRate is 1, then a client timeout aborts the fetch, nothing is charged and close() still returns promptly', async () => {
    const gateway = await startPaymentGateway({ port: 0, timeoutRate: 1 });
    const authorization = `Basic ${Buffer.from('test_sk_voltmall:').toString('base64')}`;
    const send = (orderId: string, signal: AbortSignal) =>
      fetch(`${gateway.url}/v1/payments/confirm`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json', 'idempotency-key': orderId },
        body: JSON.stringify({ paymentKey: `pay-${orderId}`, orderId, amount: 1000 }),
        signal,
      });
    try {
      await expect(send('order-timeout-1', AbortSignal.timeout(300))).rejects.toThrow(
        expect.objectContaining({ name: 'TimeoutError' }),
      );

      const stillHeld = send('order-timeout-2', AbortSignal.timeout(30_000));
      stillHeld.catch(() => undefined);
      await waitFor(() => gateway.state.calls.length === 2);
      const closeStarted = Date.now();
      await gateway.close();

      expect(Date.now() - closeStarted).toBeLessThan(1000);
      await expect(stillHeld).rejects.toThrow();
      expect(gateway.state.charges).toEqual([]);
    } finally {
      await gateway.close();
    }
  });
});

describe('fake SMS provider (SOLAPI)', () => {
  let sms: StartedFake<SmsProviderState>;
  const signed = () =>
    solapiAuthorization(
      { apiKey: DEFAULT_SOLAPI_API_KEY, apiSecret: DEFAULT_SOLAPI_API_SECRET },
      new Date().toISOString(),
      randomBytes(16).toString('hex'),
    );
  const send = (messages: object[], headers: Record<string, string> = {}) =>
    postJson(
      `${sms.url}/messages/v4/send-many/detail`,
      { messages, showMessageList: true },
      { authorization: signed(), ...headers },
    );

  beforeAll(async () => {
    sms = await startSmsProvider({ port: 0 });
  });
  afterAll(async () => {
    await sms.close();
  });
  beforeEach(async () => {
    await fetch(`${sms.url}/__reset`, { method: 'POST' });
  });

  it('when a message is sent, then 200 with groupInfo and messageList, and it is readable by recipient (E.164 or domestic) with its request id', async () => {
    const response = await send([{ to: '01012345678', from: '15880000', text: 'Voltmall code 123456' }], {
      'x-request-id': 'req-sms-1',
    });
    await send([{ to: '01099999999', from: '15880000', text: 'someone else' }]);

    expect(response.status).toBe(200);
    const body = await readJson<{ messageList: Array<{ messageId: string; statusCode: string }> }>(response);
    expect(body).toMatchObject({
      failedMessageList: [],
      groupInfo: { groupId: expect.stringMatching(/^G4V/), count: { total: 1, registeredSuccess: 1 } },
      messageList: [{ messageId: expect.stringMatching(/^M4V/), statusCode: '2000' }],
    });
    for (const to of ['+821012345678', '01012345678']) {
      const listed = await readJson<{ messages: unknown[] }>(
        await fetch(`${sms.url}/__messages?to=${encodeURIComponent(to)}`),
      );
      expect(listed.messages).toEqual([
        expect.objectContaining({
          messageId: body.messageList[0]!.messageId,
          to: '01012345678',
          from: '15880000',
          text: 'Voltmall code 123456',
          requestId: 'req-sms-1',
        }),
      ]);
    }
  });

  it('when the signature is wrong or the number is bad, then 403 SignatureDoesNotMatch or a failedMessageList entry, and nothing is recorded', async () => {
    const wrongSecret = await send([{ to: '01012345678', from: '15880000', text: 'x' }], {
      authorization: solapiAuthorization(
        { apiKey: DEFAULT_SOLAPI_API_KEY, apiSecret: 'wrong' },
        new Date().toISOString(),
        'salt-0123456789ab',
      ),
    });
    const badPhone = await send([{ to: 'not-a-phone', from: '15880000', text: 'x' }]);

    expect(wrongSecret.status).toBe(403);
    expect(await wrongSecret.json()).toEqual({
      errorCode: 'SignatureDoesNotMatch',
      errorMessage: expect.any(String),
    });
    expect(badPhone.status).toBe(200);
    expect(await badPhone.json()).toMatchObject({
      failedMessageList: [{ to: 'notaphone', statusCode: '1022' }],
      messageList: [],
    });
    expect(sms.state.messages).toEqual([]);
  });

  it('when more messages than the inbox holds were sent, then /__inbox shows the newest first with their codes', async () => {
    for (let index = 0; index <= INBOX_SIZE; index += 1) {
      await send([
        {
          to: '01012345678',
          from: '15880000',
          text: `[Voltmall] Your verification code is ${100000 + index}`,
        },
      ]);
    }

    const { messages } = await readJson<{ messages: Array<{ code: string | null }> }>(
      await fetch(`${sms.url}/__inbox`),
    );

    expect(messages).toHaveLength(INBOX_SIZE);
    expect(messages[0]).toEqual({
      at: expect.any(String),
      to: '01012345678',
      code: String(100000 + INBOX_SIZE),
      text: `[Voltmall] Your verification code is ${100000 + INBOX_SIZE}`,
      requestId: null,
    });
    expect(messages.at(-1)?.code).toBe('100001');
  });

  it('when errorRate is 1, then sends answer 5xx and nothing is recorded', async () => {
    await postJson(`${sms.url}/__control`, { errorRate: 1 });

    const response = await send([{ to: '01012345678', from: '15880000', text: 'x' }]);

    expect([500, 503]).toContain(response.status);
    expect(sms.state.messages).toEqual([]);
  });
});

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
}

interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  id_token: string;
}

describe('fake OIDC provider', () => {
  const redirectUri = 'http://127.0.0.1:9/api/auth/oauth/fake/callback';
  let oidc: StartedFake<OidcProviderState>;
  let discovery: Discovery;

  const pkcePair = () => {
    const verifier = randomBytes(32).toString('base64url');
    return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
  };

  /** Runs /authorize like a browser that does not follow the redirect; returns the callback URL. */
  async function authorize(
    params: Record<string, string>,
  ): Promise<{ status: number; location: URL | null; body: unknown }> {
    const url = new URL(discovery.authorization_endpoint);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    const response = await fetch(url, { redirect: 'manual' });
    const location = response.headers.get('location');
    return {
      status: response.status,
      location: location === null ? null : new URL(location),
      body: await response.json(),
    };
  }

  async function startFlow() {
    const { verifier, challenge } = pkcePair();
    const state = randomBytes(16).toString('base64url');
    const nonce = randomBytes(16).toString('base64url');
    const { location } = await authorize({
      response_type: 'code',
      client_id: DEFAULT_OIDC_CLIENT_ID,
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      state,
      nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    return { verifier, state, nonce, location, code: location?.searchParams.get('code') ?? '' };
  }

  const exchange = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields),
    });
  const basicAuth = `Basic ${Buffer.from(`${DEFAULT_OIDC_CLIENT_ID}:${DEFAULT_OIDC_CLIENT_SECRET}`).toString('base64')}`;

  beforeAll(async () => {
    oidc = await startOidcProvider({ port: 0, redirectUris: [redirectUri] });
    discovery = await readJson<Discovery>(await fetch(`${oidc.url}/.well-known/openid-configuration`));
  });
  afterAll(async () => {
    await oidc.close();
  });
  beforeEach(async () => {
    await fetch(`${oidc.url}/__reset`, { method: 'POST' });
  });

  it('when discovery is read, then it names this server as issuer and S256, RS256 and code as the only options', () => {
    expect(discovery).toMatchObject({
      issuer: oidc.url,
      authorization_endpoint: `${oidc.url}/authorize`,
      token_endpoint: `${oidc.url}/token`,
      jwks_uri: `${oidc.url}/jwks`,
      userinfo_endpoint: `${oidc.url}/userinfo`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    });
  });

  it('when the full code flow runs with PKCE, then the id_token verifies against /jwks and carries the nonce and the user', async () => {
    const flow = await startFlow();
    expect(`${flow.location?.origin}${flow.location?.pathname}`).toBe(redirectUri);
    expect(flow.location?.searchParams.get('state')).toBe(flow.state);

    const response = await exchange(
      {
        grant_type: 'authorization_code',
        code: flow.code,
        redirect_uri: redirectUri,
        code_verifier: flow.verifier,
      },
      { authorization: basicAuth, 'x-request-id': 'req-oidc-1' },
    );

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const tokens = await readJson<TokenResponse>(response);
    expect(tokens).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      access_token: expect.any(String),
    });
    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token, jwks, {
      issuer: oidc.url,
      audience: DEFAULT_OIDC_CLIENT_ID,
      algorithms: ['RS256'],
    });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    expect(payload).toMatchObject({
      sub: 'fake-user-1',
      email: 'oidc.user@example.com',
      email_verified: true,
      nonce: flow.nonce,
    });
    const userinfo = await fetch(discovery.userinfo_endpoint, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await userinfo.json()).toMatchObject({ sub: 'fake-user-1', email: 'oidc.user@example.com' });
    expect(oidc.state.calls).toContainEqual(
      expect.objectContaining({ path: '/token', requestId: 'req-oidc-1', status: 200 }),
    );
  });

  it('when the test user is changed through /__control, then client_secret_post yields an id_token for that user', async () => {
    await postJson(`${oidc.url}/__control`, {
      user: { sub: 'fake-user-2', email: 'second@example.com', email_verified: false, name: 'Second' },
    });
    const flow = await startFlow();

    const response = await exchange({
      grant_type: 'authorization_code',
      code: flow.code,
      redirect_uri: redirectUri,
      code_verifier: flow.verifier,
      client_id: DEFAULT_OIDC_CLIENT_ID,
      client_secret: DEFAULT_OIDC_CLIENT_SECRET,
    });

    expect(response.status).toBe(200);
    const { id_token: idToken } = await readJson<{ id_token: string }>(response);
    const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(discovery.jwks_uri)));
    expect(payload).toMatchObject({ sub: 'fake-user-2', email: 'second@example.com', email_verified: false });
  });

  it('when the code_verifier is wrong, then 400 invalid_grant', async () => {
    const flow = await startFlow();

    const response = await exchange(
      {
        grant_type: 'authorization_code',
        code: flow.code,
        redirect_uri: redirectUri,
        code_verifier: pkcePair().verifier,
      },
      { authorization: basicAuth },
    );

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('when a code is used twice, then the second exchange is invalid_grant and the first access token is revoked', async () => {
    const flow = await startFlow();
    const fields = {
      grant_type: 'authorization_code',
      code: flow.code,
      redirect_uri: redirectUri,
      code_verifier: flow.verifier,
    };
    const first = await exchange(fields, { authorization: basicAuth });
    const { access_token: accessToken } = await readJson<{ access_token: string }>(first);

    const second = await exchange(fields, { authorization: basicAuth });

    expect(first.status).toBe(200);
    expect(second.status).toBe(400);
    expect(await second.json()).toMatchObject({ error: 'invalid_grant' });
    const userinfo = await fetch(discovery.userinfo_endpoint, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(userinfo.status).toBe(401);
  });

  it('when the client secret is wrong, then 401 invalid_client', async () => {
    const flow = await startFlow();
    const wrongBasic = `Basic ${Buffer.from(`${DEFAULT_OIDC_CLIENT_ID}:wrong`).toString('base64')}`;

    const response = await exchange(
      {
        grant_type: 'authorization_code',
        code: flow.code,
        redirect_uri: redirectUri,
        code_verifier: flow.verifier,
      },
      { authorization: wrongBasic },
    );

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('when the redirect_uri or client_id is not registered, then 400 JSON and no redirect', async () => {
    const { challenge } = pkcePair();
    const base = {
      response_type: 'code',
      client_id: DEFAULT_OIDC_CLIENT_ID,
      redirect_uri: redirectUri,
      scope: 'openid',
      state: 's',
      nonce: 'n',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };

    const badRedirect = await authorize({ ...base, redirect_uri: 'https://evil.example/callback' });
    const badClient = await authorize({ ...base, client_id: 'nobody' });

    expect(badRedirect).toMatchObject({ status: 400, location: null, body: { error: 'invalid_request' } });
    expect(badClient).toMatchObject({ status: 400, location: null, body: { error: 'invalid_request' } });
  });

  it('when PKCE is missing or not S256, then it redirects back with error=invalid_request and the state', async () => {
    const { challenge } = pkcePair();
    const base = {
      response_type: 'code',
      client_id: DEFAULT_OIDC_CLIENT_ID,
      redirect_uri: redirectUri,
      scope: 'openid',
      state: 'state-1',
      nonce: 'n',
    };

    const missing = await authorize(base);
    const plain = await authorize({ ...base, code_challenge: challenge, code_challenge_method: 'plain' });

    for (const result of [missing, plain]) {
      expect(result.status).toBe(302);
      expect(result.location?.searchParams.get('error')).toBe('invalid_request');
      expect(result.location?.searchParams.get('state')).toBe('state-1');
      expect(result.location?.searchParams.has('code')).toBe(false);
    }
  });

  it('when deny is set, then /authorize redirects back with error=access_denied', async () => {
    await postJson(`${oidc.url}/__control`, { deny: true });

    const flow = await startFlow();

    expect(flow.location?.searchParams.get('error')).toBe('access_denied');
    expect(flow.location?.searchParams.get('state')).toBe(flow.state);
  });
});

describe('fakes/main.ts (as `npm start` runs it)', () => {
  interface LogLine {
    time: string;
    msg: string;
    fake?: string;
    url?: string;
    [field: string]: unknown;
  }
  let child: ChildProcess;
  const lines: LogLine[] = [];
  const urls = new Map<string, string>();

  beforeAll(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'fakes/main.ts'], {
      cwd: path.resolve(__dirname, '..'),
      env: { ...process.env, FAKE_PAYMENT_PORT: '0', FAKE_SMS_PORT: '0', FAKE_OIDC_PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const parsed = JSON.parse(line) as LogLine;
      lines.push(parsed);
      if (parsed.msg === 'fake started' && parsed.fake && parsed.url) urls.set(parsed.fake, parsed.url);
    });
    await waitFor(() => urls.size === 3, 20_000);
  }, 30_000);
  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('when each fake is called with a request id, then it logs one JSON line per call and its inbox shows the record', async () => {
    const payment = urls.get('payment-gateway')!;
    const sms = urls.get('sms-provider')!;
    const oidc = urls.get('oidc-provider')!;
    const orderId = `order-${randomUUID().slice(0, 8)}`;

    const charged = await postJson(
      `${payment}/v1/payments/confirm`,
      { paymentKey: `pk-${orderId}`, orderId, amount: 1000 },
      {
        authorization: `Basic ${Buffer.from('test_sk_voltmall:').toString('base64')}`,
        'idempotency-key': orderId,
        'x-request-id': 'req-main-pay',
      },
    );
    const texted = await postJson(
      `${sms}/messages/v4/send-many/detail`,
      {
        messages: [
          { to: '01012345678', from: '15880000', text: '[Voltmall] Your verification code is 424242' },
        ],
      },
      {
        authorization: solapiAuthorization(
          { apiKey: DEFAULT_SOLAPI_API_KEY, apiSecret: DEFAULT_SOLAPI_API_SECRET },
          new Date().toISOString(),
          randomBytes(16).toString('hex'),
        ),
        'x-request-id': 'req-main-sms',
      },
    );
    const authorizeUrl = new URL(`${oidc}/authorize`);
    for (const [name, value] of Object.entries({
      response_type: 'code',
      client_id: DEFAULT_OIDC_CLIENT_ID,
      redirect_uri: 'http://127.0.0.1:8080/api/auth/oauth/fake/callback',
      scope: 'openid email',
      state: 'state-main',
      nonce: 'nonce-main',
      code_challenge: createHash('sha256').update('v'.repeat(43)).digest('base64url'),
      code_challenge_method: 'S256',
    })) {
      authorizeUrl.searchParams.set(name, value);
    }
    const authorized = await fetch(authorizeUrl, {
      redirect: 'manual',
      headers: { 'x-request-id': 'req-main-oidc' },
    });
    expect([charged.status, texted.status, authorized.status]).toEqual([200, 200, 302]);

    const callLines = () => lines.filter((line) => line.msg === 'fake call');
    await waitFor(() => callLines().length === 3, 5000);
    expect(callLines()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          fake: 'payment-gateway',
          method: 'POST',
          path: '/v1/payments/confirm',
          status: 200,
          requestId: 'req-main-pay',
        }),
        expect.objectContaining({
          fake: 'sms-provider',
          method: 'POST',
          path: '/messages/v4/send-many/detail',
          status: 200,
          requestId: 'req-main-sms',
        }),
        expect.objectContaining({
          fake: 'oidc-provider',
          method: 'GET',
          path: '/authorize',
          status: 302,
          requestId: 'req-main-oidc',
        }),
      ]),
    );
    // One time format everywhere: ISO 8601 UTC with milliseconds, for the start lines too.
    for (const line of lines) expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const inbox = async (url: string) => {
      const text = await (await fetch(`${url}/__inbox`)).text();
      expect(text.endsWith('}\n')).toBe(true); // curl leaves the shell prompt on its own line
      return JSON.parse(text) as unknown;
    };
    expect(await inbox(payment)).toEqual({
      charges: [expect.objectContaining({ orderId, amount: 1000, requestId: 'req-main-pay' })],
      refunds: [],
    });
    expect(await inbox(sms)).toEqual({
      messages: [expect.objectContaining({ to: '01012345678', code: '424242', requestId: 'req-main-sms' })],
    });
    expect(await inbox(oidc)).toEqual({
      logins: [
        {
          at: expect.any(String),
          sub: 'fake-user-1',
          clientId: DEFAULT_OIDC_CLIENT_ID,
          scope: 'openid email',
          requestId: 'req-main-oidc',
        },
      ],
    });
  });
});
