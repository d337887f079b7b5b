/**
 * Per-account login throttling through the gateway: password guesses for one account spread over many
 * client addresses (each under the gateway's per-address limit) still slow and then block that account.
 */
import { Agent, request } from 'undici';
import { loginThrottleKey } from '../../bff/auth/login-throttle';
import { startStack, uniqueEmail, type TestStack } from '../support/stack';

const PASSWORD = 'Passw0rd!';
const WRONG = 'Wrong-pass1';

describe('login throttling per account', () => {
  let stack: TestStack;
  const agents: Agent[] = [];
  let hosts = 0;

  beforeAll(async () => {
    // The gateway's own per-address limit as in production (20/min, burst 10): every call below comes from
    // an address of its own on 127.0.0.0/8, as a guesser spreading attempts over many addresses would.
    stack = await startStack({
      label: 'login-throttle',
      gateway: { rateLimits: { authPerMinute: 20, burst: 10 } },
    });
  });
  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.close()));
    await stack?.close();
  });

  /** POSTs JSON through the gateway from a loopback address no earlier call used. */
  async function postFromNewAddress(path: string, body: unknown) {
    hosts += 1;
    const agent = new Agent({
      localAddress: `127.0.${10 + Math.floor(hosts / 250)}.${1 + (hosts % 250)}`,
    });
    agents.push(agent);
    const response = await request(`${stack.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      dispatcher: agent,
    });
    const text = await response.body.text();
    return {
      status: response.statusCode,
      retryAfter: response.headers['retry-after'] as string | undefined,
      body: JSON.parse(text) as { error?: { code: string; message: string; requestId?: string } },
    };
  }
  const login = (email: string, password: string) =>
    postFromNewAddress('/api/auth/login', { email, password });

  async function signup(): Promise<string> {
    const email = uniqueEmail('throttle');
    expect((await postFromNewAddress('/api/auth/signup', { email, password: PASSWORD })).status).toBe(201);
    return email;
  }

  async function failTimes(email: string, times: number): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < times; i++) statuses.push((await login(email, WRONG)).status);
    return statuses;
  }

  it('when five wrong passwords for one account come from five addresses, then its next login is 429 LOGIN_THROTTLED with Retry-After even with the right password, and another account is unaffected', async () => {
    const victim = await signup();
    const bystander = await signup();

    expect(await failTimes(victim, 5)).toEqual([401, 401, 401, 401, 401]);
    const blocked = await login(victim, PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toEqual({
      code: 'LOGIN_THROTTLED',
      message: expect.any(String),
      requestId: expect.any(String),
    });
    expect(Number(blocked.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(blocked.retryAfter)).toBeLessThanOrEqual(60);
    expect((await login(victim, WRONG)).status).toBe(429);

    expect((await login(bystander, PASSWORD)).status).toBe(200);
  });

  it('when a login succeeds, then the count of failures starts again', async () => {
    const email = await signup();
    expect(await failTimes(email, 4)).toEqual([401, 401, 401, 401]);
    expect((await login(email, PASSWORD)).status).toBe(200);
    expect(await failTimes(email, 4)).toEqual([401, 401, 401, 401]);
    expect((await login(email, PASSWORD)).status).toBe(200);
  });

  it('when the email is unknown, then it is throttled like a known one, and every spelling of the address counts together', async () => {
    const unknown = uniqueEmail('nobody');
    const spellings = [unknown, unknown.toUpperCase(), ` ${unknown}`, unknown, `${unknown} `];
    const statuses = [];
    for (const spelling of spellings) statuses.push((await login(spelling, WRONG)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const blocked = await login(unknown, WRONG);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error?.code).toBe('LOGIN_THROTTLED');
  });

  it('when a block ends, then one more attempt is checked, and its failure blocks the account twice as long', async () => {
    const email = await signup();
    await failTimes(email, 5);
    const first = await login(email, PASSWORD);
    expect(first.status).toBe(429);
    expect(Number(first.retryAfter)).toBeLessThanOrEqual(60);

    // The first block runs out (as 60 s later).
    await stack.bff.ctx.redis.hset(loginThrottleKey(stack.env.REDIS_PREFIX!, email), 'blockedUntil', 0);
    expect((await login(email, WRONG)).status).toBe(401);
    const second = await login(email, PASSWORD);
    expect(second.status).toBe(429);
    expect(Number(second.retryAfter)).toBeGreaterThan(60);
    expect(Number(second.retryAfter)).toBeLessThanOrEqual(120);

    await stack.bff.ctx.redis.hset(loginThrottleKey(stack.env.REDIS_PREFIX!, email), 'blockedUntil', 0);
    expect((await login(email, PASSWORD)).status).toBe(200);
    expect(await failTimes(email, 4)).toEqual([401, 401, 401, 401]);
  });

  it('when twelve guesses for one account arrive at once, then five are checked and the rest are refused', async () => {
    const email = await signup();
    const results = await Promise.all(Array.from({ length: 12 }, () => login(email, WRONG)));
    const statuses = results.map((result) => result.status).sort();
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(7).fill(429)]);
  });
});
