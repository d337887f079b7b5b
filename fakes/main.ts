/**
 * Starts the three fake providers for local runs (`npm run fakes`, and `npm start` through the stack
 * runner). Configuration comes from the environment only, so it does not depend on shared/config.
 */
import type { CallRecord, StartedFake } from './fake-server';
import { startInboxPage, type FakeInbox } from './inbox-page';
import { startGoogleFake } from './oauth/google';
import { startKakaoFake } from './oauth/kakao';
import { startNaverFake } from './oauth/naver';
import { startOidcProvider } from './oidc-provider';
import { startPaymentGateway } from './payment-gateway';
import { startSmsProvider } from './sms-provider';
import { createLogger } from '../shared/logger';
import { toKoreanDomesticNumber } from '../shared/solapi';

// ISO 8601 UTC with milliseconds, like the BFF and the workers.
// (shared/logger: JSON lines, pretty at a terminal; docs/logging.md.)
const logger = createLogger({ level: 'info', name: 'fakes' });

/** One JSON line per call, so a request id can be followed from the BFF or a worker into the provider. */
const logCallsOf =
  (fake: string) =>
  ({ method, path, status, requestId }: Readonly<CallRecord>) =>
    logger.info({ fake, method, path, status, requestId }, 'fake call');

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`${name} must be a port number (0..65535), got '${raw}'`);
  }
  return port;
}

async function main(): Promise<void> {
  const host = process.env.FAKES_HOST || '127.0.0.1';
  const paymentPort = portFromEnv('FAKE_PAYMENT_PORT', 4010);
  const smsPort = portFromEnv('FAKE_SMS_PORT', 4020);
  const oidcPort = portFromEnv('FAKE_OIDC_PORT', 4030);
  const inboxPort = portFromEnv('FAKE_INBOX_PORT', 4000);
  // `npm start` sets a demo latency (scripts/run-stack.mjs) so that an order's event stream shows each step.
  const paymentLatencyMs = Number(process.env.FAKE_PAYMENT_LATENCY_MS || 0);
  if (!Number.isInteger(paymentLatencyMs) || paymentLatencyMs < 0 || paymentLatencyMs > 60_000) {
    throw new Error(
      `FAKE_PAYMENT_LATENCY_MS must be 0..60000 (ms), got '${process.env.FAKE_PAYMENT_LATENCY_MS}'`,
    );
  }
  // Every fake registers its /__inbox here (one line each): the combined inbox page lists them all.
  const inboxes: FakeInbox[] = [];
  const redirectUri = process.env.OIDC_REDIRECT_URI || 'http://127.0.0.1:8080/api/auth/oauth/fake/callback';
  // The issuer must be the URL the browser and the BFF use; set it when that is not the bind address.
  const issuer = process.env.FAKE_OIDC_ISSUER || undefined;

  const started: Array<StartedFake<unknown>> = [];
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'fakes stopping');
    await Promise.allSettled(started.map((fake) => fake.close()));
    logger.info('fakes stopped');
    process.exit(0);
  };
  process.once('SIGTERM', (signal) => void shutdown(signal));
  process.once('SIGINT', (signal) => void shutdown(signal));

  try {
    const payment = await startPaymentGateway({
      host,
      port: paymentPort,
      latencyMs: paymentLatencyMs,
      onCallEnd: logCallsOf('payment-gateway'),
    });
    started.push(payment);
    inboxes.push({
      name: 'payment-gateway',
      url: payment.url,
      about: "charges and refunds; the shop's order 42 is orderId order-42",
    });
    logger.info({ fake: 'payment-gateway', url: payment.url }, 'fake started');

    // The SOLAPI fake checks signatures with the same key and secret as the workers use, and knows their sender.
    const sender = toKoreanDomesticNumber(process.env.SMS_SENDER || '+8215880000');
    const sms = await startSmsProvider({
      host,
      port: smsPort,
      apiKey: process.env.SOLAPI_API_KEY || undefined,
      apiSecret: process.env.SOLAPI_API_SECRET || undefined,
      registeredSenders: sender ? [sender] : undefined,
      onCallEnd: logCallsOf('sms-provider'),
    });
    started.push(sms);
    inboxes.push({
      name: 'sms-provider',
      url: sms.url,
      about: 'text messages sent, with the verification code',
    });
    logger.info({ fake: 'sms-provider', url: sms.url }, 'fake started');

    const oidc = await startOidcProvider({
      host,
      port: oidcPort,
      issuer,
      redirectUris: [redirectUri],
      onCallEnd: logCallsOf('oidc-provider'),
    });
    started.push(oidc);
    inboxes.push({ name: 'oidc-provider', url: oidc.url, about: 'OAuth logins (authorizations granted)' });
    logger.info(
      { fake: 'oidc-provider', url: oidc.url, issuer: oidc.state.issuer, redirectUri },
      'fake started',
    );

    // Kakao, Naver and Google sign-in, each shaped like the real service (.env.example points the BFF here).
    const callbackOf = (provider: string) =>
      `${process.env.PUBLIC_BASE_URL || 'http://127.0.0.1:8080'}/api/auth/oauth/${provider}/callback`;
    const signInFakes = [
      { name: 'kakao', start: startKakaoFake, port: portFromEnv('FAKE_KAKAO_PORT', 4031) },
      { name: 'naver', start: startNaverFake, port: portFromEnv('FAKE_NAVER_PORT', 4032) },
      { name: 'google', start: startGoogleFake, port: portFromEnv('FAKE_GOOGLE_PORT', 4033) },
    ];
    for (const { name, start, port } of signInFakes) {
      const fake = await start({
        host,
        port,
        redirectUris: [callbackOf(name)],
        onCallEnd: logCallsOf(name),
      });
      started.push(fake);
      inboxes.push({ name, url: fake.url, about: `${name} logins (approved or declined)` });
      logger.info({ fake: name, url: fake.url, redirectUri: callbackOf(name) }, 'fake started');
    }

    // Last: the combined inbox of every fake registered above.
    const inbox = await startInboxPage(inboxes, { host, port: inboxPort });
    started.push(inbox);
    logger.info({ fake: 'inbox', url: inbox.url }, 'fake started');
  } catch (error) {
    await Promise.allSettled(started.map((fake) => fake.close()));
    throw error;
  }
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'fakes failed to start');
  process.exit(1);
});
