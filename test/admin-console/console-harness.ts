/**
 * What every browser test file of the console sets up: the real stack through nginx (its gateway on a port
 * known in advance, so PUBLIC_BASE_URL is the browser's origin), optionally the fake payment gateway, one
 * headless chromium, and the accounts it signs in with. `useConsole` registers the hooks of a describe block:
 * the start, the check after each test that no page threw, logged an error or was refused by the
 * Content-Security-Policy, and the close of everything.
 */
import type { Browser, Page } from 'playwright-core';
import type { StartedFake } from '../../fakes/fake-server';
import { startPaymentGateway } from '../../fakes/payment-gateway';
import type { DomainName } from '../../queues';
import {
  closeConsoleContexts,
  launchBrowser,
  newConsoleContext,
  signInAs,
  type ConsoleContext,
} from '../support/browser';
import { freePort } from '../support/gateway';
import { call, startStack, uniqueEmail, type TestStack } from '../support/stack';

export const PASSWORD = 'Passw0rd!';

export interface ConsoleAccount {
  userId: number;
  email: string;
  password: string;
}

export interface ConsoleHarness {
  /** Set once the describe block's first beforeAll ran. */
  readonly stack: TestStack;
  readonly browser: Browser;
  /** Signs a new account up through the API (as an admin when `role` says so). */
  signUp(label: string, role?: 'user' | 'admin'): Promise<ConsoleAccount>;
  /** An API access token for the account. */
  apiToken(account: Pick<ConsoleAccount, 'email' | 'password'>): Promise<string>;
  /** A fresh browser context (checked and closed after the test) and a page in it. */
  newPage(viewport?: { width: number; height: number }): Promise<{ page: Page; ctx: ConsoleContext }>;
  /** The same, signed in as `account`, on the dashboard. */
  signedInPage(
    account: Pick<ConsoleAccount, 'email' | 'password'>,
  ): Promise<{ page: Page; ctx: ConsoleContext }>;
}

export interface ConsoleOptions {
  label: string;
  workerDomains?: DomainName[];
  /** Starts the fake payment gateway with this latency and points the stack at it. */
  payments?: { latencyMs?: number; timeoutMs: number };
}

export function useConsole(options: ConsoleOptions): ConsoleHarness {
  let stack: TestStack | undefined;
  let browser: Browser | undefined;
  let pg: StartedFake<any> | undefined;
  const contexts: ConsoleContext[] = [];

  const harness: ConsoleHarness = {
    get stack() {
      if (!stack) throw new Error('the console stack is not started yet');
      return stack;
    },
    get browser() {
      if (!browser) throw new Error('the browser is not started yet');
      return browser;
    },
    async signUp(label, role = 'user') {
      const email = uniqueEmail(label);
      const { db } = harness.stack.database;
      const signup = await call(harness.stack.url, 'POST', '/api/auth/signup', {
        body: { email, password: PASSWORD },
      });
      expect(signup.status).toBe(201);
      const row = await db('users').where({ email }).first('id');
      if (role === 'admin') await db('users').where({ id: row.id }).update({ role: 'admin' });
      return { userId: Number(row.id), email, password: PASSWORD };
    },
    async apiToken(account) {
      const login = await call(harness.stack.url, 'POST', '/api/auth/login', {
        body: { email: account.email, password: account.password },
      });
      expect(login.status).toBe(200);
      return login.body.accessToken;
    },
    async newPage(viewport) {
      const ctx = await newConsoleContext(harness.browser, harness.stack.url, viewport);
      contexts.push(ctx);
      return { page: await ctx.context.newPage(), ctx };
    },
    async signedInPage(account) {
      const opened = await harness.newPage();
      await signInAs(opened.page, account);
      await opened.page.getByRole('heading', { name: '대시보드' }).waitFor();
      return opened;
    },
  };

  beforeAll(async () => {
    if (options.payments) pg = await startPaymentGateway({ port: 0, latencyMs: options.payments.latencyMs });
    const gatewayPort = await freePort();
    stack = await startStack({
      label: options.label,
      workerDomains: options.workerDomains,
      env: {
        PUBLIC_BASE_URL: `http://127.0.0.1:${gatewayPort}`,
        ...(pg
          ? { PAYMENT_GATEWAY_URL: pg.url, PAYMENT_GATEWAY_TIMEOUT_MS: String(options.payments!.timeoutMs) }
          : {}),
      },
      gateway: { listenPort: gatewayPort },
    });
    browser = await launchBrowser();
  });

  afterEach(async () => {
    // No page may have thrown, logged an error, or been refused by the Content-Security-Policy.
    expect(await closeConsoleContexts(contexts.splice(0))).toEqual([]);
  });

  afterAll(async () => {
    for (const { context } of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
    await pg?.close();
  });

  return harness;
}
