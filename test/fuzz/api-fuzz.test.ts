/**
 * The schema-driven fuzz test: for every operation in docs/openapi.json, fast-check sends malformed
 * requests (see openapi-arbitraries.ts) through the real nginx gateway to a real BFF process, with valid
 * tokens, and every answer must be
 *   - not a 5xx,
 *   - for a 4xx, the JSON error body with `error.code` and `error.requestId`,
 *   - there within a deadline (a few seconds, plus any wait the operation documents),
 * and the BFF must still be alive and ready, through the gateway, after each operation's cases.
 *
 * The BFF runs as its own process (not inside jest), so an input that blocks its event loop cannot
 * freeze the test: the deadline catches it, the frozen process is killed and a fresh one takes its
 * port, and the remaining cases still run. Sizes and replay: fuzz-settings.ts.
 */
import { createPublicKey, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { createAccessTokenSigner } from '../../bff/auth/access-tokens';
import type { StartedFake } from '../../fakes/fake-server';
import { startOidcProvider } from '../../fakes/oidc-provider';
import { loadConfig } from '../../shared/config';
import { seedDemo } from '../../seeds/seed-demo';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { freePort, startTestGateway, type TestGateway } from '../support/gateway';
import { deleteRedisPrefix, testRedisPrefix } from '../support/redis';
import { uniqueEmail } from '../support/stack';
import { startNodeProcess, stopAll, waitForLog, type NodeProcess } from '../ops/ops-support';
import { describeRequest, fuzzRequests, type FuzzPools, type FuzzRequest } from './openapi-arbitraries';
import { loadFuzzOperations, type FuzzOperation } from './openapi-operations';
import { fuzzSettings } from './fuzz-settings';
import { sendRaw, type RawAnswer } from './raw-http';

const settings = fuzzSettings();
const allOperations = loadFuzzOperations();
const operations = settings.operations
  ? allOperations.filter((operation) => settings.operations!.includes(operation.key))
  : allOperations;

/** Far from the ids the generators pick, so that no case suspends or demotes the users the fuzz acts as. */
const FUZZ_USER_ID = 8_000_000_001;
const FUZZ_ADMIN_ID = 8_000_000_002;
const TOKEN_REFRESH_MS = 20 * 60_000;
const BFF_START_MS = 60_000;

/** Per operation: worst case is every case waiting out its deadline, and a BFF restart after each. */
const perOperationTimeoutMs = (operation: FuzzOperation) =>
  Math.max(
    120_000,
    settings.runs *
      (settings.answerDeadlineMs + operation.documentedWaitSeconds * 1000) *
      (settings.shrink ? 4 : 1),
  );

describe('the API under malformed input (schema-driven fuzz)', () => {
  let database: TestDatabase;
  let prefix: string;
  let gateway: TestGateway;
  let bffPort: number;
  let bff: NodeProcess;
  const processes: NodeProcess[] = [];
  let env: Record<string, string>;
  let pools: FuzzPools;
  const tokens = new Map<'user' | 'admin', { token: string; signedAt: number }>();
  let oidc: StartedFake<any>;
  let restarts = 0;
  let cases = 0;
  const statuses = new Map<number, number>();

  async function startBff(): Promise<void> {
    bff = startNodeProcess('bff', 'bff/main.ts', env, processes);
    await waitForLog(bff, 'bff listening', BFF_START_MS);
  }

  /** A BFF that does not answer its own /healthz within a second is frozen: it is replaced. */
  async function replaceBffIfFrozen(): Promise<boolean> {
    const direct = await sendRaw(bffPort, { method: 'GET', target: '/healthz', headers: [] }, 1000);
    if (direct.outcome === 'answered' && direct.status === 200) return false;
    bff.child.kill('SIGKILL');
    await bff.exited;
    restarts += 1;
    await startBff();
    return true;
  }

  async function tokenFor(role: 'user' | 'admin'): Promise<string> {
    const current = tokens.get(role);
    if (current && Date.now() - current.signedAt < TOKEN_REFRESH_MS) return current.token;
    const config = loadConfig({ ...process.env, ...env });
    const { token } = await createAccessTokenSigner(config).sign({
      userId: role === 'admin' ? FUZZ_ADMIN_ID : FUZZ_USER_ID,
      role,
    });
    tokens.set(role, { token, signedAt: Date.now() });
    return token;
  }

  async function send(
    operation: FuzzOperation,
    request: FuzzRequest,
    deadlineMs: number,
  ): Promise<RawAnswer> {
    const headers = [...request.headers];
    const role = operation.auth === 'admin' ? 'admin' : 'user';
    if (operation.auth !== 'public' && request.credential === 'token') {
      headers.push(['authorization', `Bearer ${await tokenFor(role)}`]);
    } else if (request.credential === 'garbage') {
      headers.push(['authorization', `Bearer ${randomBytes(24).toString('base64url')}.e30.x`]);
    }
    return sendRaw(
      gateway.port,
      { method: request.method, target: request.target, headers, body: request.body },
      deadlineMs,
    );
  }

  beforeAll(async () => {
    oidc = await startOidcProvider({ port: 0, host: '127.0.0.1' });
    database = await createTestDatabase('fuzz');
    await seedDemo(database.db, { nodeEnv: 'test', demoAccounts: false, log: () => undefined });
    await database.db('users').insert([
      {
        id: FUZZ_USER_ID,
        email: uniqueEmail('fuzz-user'),
        phone: '+821012345678',
        role: 'user',
        status: 'active',
      },
      { id: FUZZ_ADMIN_ID, email: uniqueEmail('fuzz-admin'), role: 'admin', status: 'active' },
    ]);
    const [victimId] = await database
      .db('users')
      .insert({ email: uniqueEmail('fuzz-victim'), role: 'user', status: 'active' });
    prefix = testRedisPrefix('fuzz');
    bffPort = await freePort();
    env = {
      DATABASE_URL: database.url,
      REDIS_PREFIX: prefix,
      BFF_HOST: '127.0.0.1',
      BFF_PORT: String(bffPort),
      LOG_LEVEL: 'info',
      ACCESS_TOKEN_TTL_SECONDS: '3600',
      // The one provider the BFF calls itself, on 127.0.0.1 like everything the fuzz reaches.
      OIDC_ISSUER_URL: oidc.url,
    };
    await startBff();
    const config = loadConfig({ ...process.env, ...env });
    gateway = await startTestGateway({
      upstreamPort: bffPort,
      gatewaySecret: config.GATEWAY_SECRET,
      publicKeys: [
        {
          kid: config.JWT_KID,
          pem: createPublicKey(config.JWT_PRIVATE_KEY).export({ format: 'pem', type: 'spki' }).toString(),
        },
      ],
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      // Rate limits would answer 429 before the BFF ever sees the input.
      rateLimits: { authPerMinute: 6_000_000, burst: 100_000 },
      // The revocation records the BFF writes, as in production.
      redis: { url: config.REDIS_URL, prefix },
    });

    const productIds = (await database.db('products').orderBy('id').limit(5).pluck('id')).map(Number);
    const imageIds = (await database.db('product_images').orderBy('id').limit(5).pluck('id')).map(Number);
    const categorySlugs = await database.db('categories').orderBy('id').limit(5).pluck('slug');
    // One order of the fuzz user's own, so that order routes reach past "not found" now and then.
    const placed = await send(
      allOperations.find((operation) => operation.key === 'POST /api/orders')!,
      {
        kind: 'valid',
        mutation: 'setup',
        method: 'POST',
        target: '/api/orders',
        headers: [
          ['content-type', 'application/json'],
          ['idempotency-key', `fuzz-setup-${randomBytes(6).toString('hex')}`],
        ],
        body: Buffer.from(
          JSON.stringify({
            items: [{ productId: productIds[0], quantity: 1 }],
            shippingAddress: {
              recipient: 'Fuzz Kim',
              phone: '010-1111-2222',
              postalCode: '06236',
              address1: 'Teheran-ro 1',
            },
            paymentMethod: 'card',
          }),
        ),
        credential: 'token',
      },
      10_000,
    );
    const orderId = placed.outcome === 'answered' ? Number(JSON.parse(placed.body.toString()).orderId) : NaN;
    pools = {
      productIds,
      imageIds,
      orderIds: Number.isSafeInteger(orderId) ? [orderId] : [],
      userIds: [Number(victimId)],
      categorySlugs,
    };
    console.info(
      `API fuzz: seed ${settings.seed}, ${settings.runs} cases × ${operations.length} operations, ` +
        `kinds ${settings.kinds.join(',')}${settings.shrink ? ', shrinking' : ''}. ` +
        `Replay a failure: FUZZ_SEED=${settings.seed} FUZZ_OPERATIONS='<operation>' FUZZ_PATH=<its path> npx jest test/fuzz/api-fuzz.test.ts`,
    );
  }, 180_000);

  afterAll(async () => {
    await stopAll(processes);
    await gateway?.stop();
    await oidc?.close();
    await database?.drop();
    if (prefix) await deleteRedisPrefix(process.env.REDIS_URL!, prefix);
    const byStatus = [...statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, count]) => `${status}×${count}`);
    console.info(`API fuzz: ${cases} requests sent; answers ${byStatus.join(' ')}; BFF restarts ${restarts}`);
  }, 60_000);

  it('when the document is read, then every operation is fuzzed', () => {
    expect(allOperations.length).toBeGreaterThan(40);
    if (!settings.operations) expect(operations).toHaveLength(allOperations.length);
  });

  it.each(operations.map((operation) => [operation.key, operation] as const))(
    '%s — when it gets malformed input, then it answers each case with no 5xx, a JSON error with a request id, in time, and stays healthy',
    async (_key, operation) => {
      const deadlineMs = settings.answerDeadlineMs + operation.documentedWaitSeconds * 1000;
      await fc.assert(
        fc.asyncProperty(fuzzRequests(operation, pools, settings.kinds), async (request) => {
          const answer = await send(operation, request, deadlineMs);
          cases += 1;
          if (answer.outcome === 'answered')
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          const problem = problemWith(answer, deadlineMs, asksForHtml(request));
          if (problem) {
            const replaced =
              answer.outcome !== 'answered' || answer.status >= 500 ? await replaceBffIfFrozen() : false;
            throw new Error(
              `${problem}${replaced ? ' (the BFF was frozen and has been replaced)' : ''}\n` +
                `request: ${describeRequest(request)}\nanswer: ${describeAnswer(answer)}` +
                bffErrorsFor(bff, answer),
            );
          }
        }),
        {
          seed: settings.seed,
          numRuns: settings.runs,
          endOnFailure: !settings.shrink,
          path: settings.path,
          includeErrorInReport: true,
        },
      );
      for (const target of ['/healthz', '/readyz']) {
        const health = await sendRaw(gateway.port, { method: 'GET', target, headers: [] }, 2000);
        if (health.outcome !== 'answered' || health.status !== 200) await replaceBffIfFrozen();
        expect({ target, answer: health.outcome === 'answered' ? health.status : health.outcome }).toEqual({
          target,
          answer: 200,
        });
      }
    },
    Math.max(...operations.map(perOperationTimeoutMs), 120_000),
  );
});

/** The request asked for an HTML page: `format=html` in its query, or an Accept header naming text/html. */
function asksForHtml(request: FuzzRequest): boolean {
  const query = request.target.split('?')[1] ?? '';
  return (
    query.split('&').includes('format=html') ||
    request.headers.some(([name, value]) => name.toLowerCase() === 'accept' && /text\/html/i.test(value))
  );
}

/** What is wrong with an answer, or undefined when it is acceptable. */
function problemWith(answer: RawAnswer, deadlineMs: number, htmlAsked = false): string | undefined {
  if (answer.outcome === 'timed out') return `no answer within ${deadlineMs} ms`;
  if (answer.outcome === 'connection error') return `connection failed: ${answer.error}`;
  if (answer.status >= 500) return `answered ${answer.status}`;
  if (answer.status < 400) return undefined;
  const contentType = answer.headers['content-type'] ?? '';
  // A page for a browser (the OAuth callback's landing page), only when the request asked for one; it must
  // still quote the request id, as the JSON error does.
  if (htmlAsked && /^text\/html/i.test(contentType)) {
    const requestId = String(answer.headers['x-request-id'] ?? '');
    return requestId !== '' && answer.body.toString('utf8').includes(requestId)
      ? undefined
      : `a ${answer.status} HTML page that does not quote its X-Request-Id ${requestId}`;
  }
  if (!/^application\/json/i.test(contentType))
    return `a ${answer.status} with content-type "${contentType}", not JSON`;
  let body: any;
  try {
    body = JSON.parse(answer.body.toString('utf8'));
  } catch {
    return `a ${answer.status} whose body is not JSON`;
  }
  if (typeof body?.error?.code !== 'string' || body.error.code === '')
    return `a ${answer.status} without error.code`;
  if (typeof body.error.requestId !== 'string' || body.error.requestId === '')
    return `a ${answer.status} without error.requestId`;
  // The id in the body is the one the gateway logged and sent back, so a client can quote it.
  const headerId = answer.headers['x-request-id'];
  if (body.error.requestId !== headerId)
    return `a ${answer.status} whose error.requestId ${body.error.requestId} is not its X-Request-Id ${String(headerId)}`;
  return undefined;
}

const clip = (text: string, length = 300) =>
  text.length > length ? `${text.slice(0, length)}… (${text.length} chars)` : text;

function describeAnswer(answer: RawAnswer): string {
  if (answer.outcome !== 'answered') return `${answer.outcome} after ${answer.ms} ms`;
  return `${answer.status} in ${answer.ms} ms, content-type ${answer.headers['content-type'] ?? '(none)'}, x-request-id ${answer.headers['x-request-id'] ?? '(none)'}: ${clip(answer.body.toString('utf8'))}`;
}

/** The BFF's error log lines for the request that failed, to show the stack of a 500. */
function bffErrorsFor(bff: NodeProcess, answer: RawAnswer): string {
  if (answer.outcome !== 'answered') return '';
  const requestId = answer.headers['x-request-id'];
  const lines = bff.lines.filter((line) => typeof requestId === 'string' && line.includes(requestId));
  return lines.length > 0 ? `\nBFF log:\n${lines.map((line) => clip(line, 1500)).join('\n')}` : '';
}
