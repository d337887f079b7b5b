/**
 * A real headless browser for the admin console's end-to-end tests: Debian's chromium driven by
 * playwright-core (no browser download). One browser per test file; a fresh context (cookies, storage) per
 * scenario; every page's console errors and CSP refusals are collected so a test can assert there were none.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Where the browser is; CHROMIUM_PATH overrides it for other systems. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT_DIR = path.join(__dirname, '..', '..', 'docs', 'admin-console');
const ADMIN_UI_DIST = path.join(__dirname, '..', '..', 'admin-ui', 'dist');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(path.join(ADMIN_UI_DIST, 'index.html'))) {
    throw new Error('admin-ui/dist is missing: npm test builds it (pretest); else run npm run build:admin');
  }
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing: the admin console's browser tests need chromium ` +
        '(npm test installs it with apt when run as root; else: sudo apt-get install -y chromium)',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface ConsoleContext {
  context: BrowserContext;
  /** Console errors, uncaught exceptions and CSP refusals of every page in this context. */
  problems: string[];
}

/** A new browser profile: 1280×800 (or `viewport`), Korean locale, the shop's time zone. */
export async function newConsoleContext(
  browser: Browser,
  baseUrl: string,
  viewport = { width: 1280, height: 800 },
): Promise<ConsoleContext> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport,
    locale: 'ko-KR',
    timezoneId: 'Asia/Seoul',
  });
  const problems: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (message) => {
      // A refused API call (401 before a refresh, a 409 the page explains) is logged by chromium as an
      // error about the resource; those are the tests' subject, not a fault of the page.
      if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) {
        problems.push(message.text());
      }
    });
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  };
  context.on('page', watch);
  return { context, problems };
}

/**
 * Closes a test's contexts and returns every problem their pages had (none is the expectation). Each close
 * is awaited: one left running races the browser's own close in afterAll, and its rejection ("Target page,
 * context or browser has been closed") then fails the file's last test as an unhandled one.
 */
export async function closeConsoleContexts(contexts: ConsoleContext[]): Promise<string[]> {
  const problems = contexts.flatMap((ctx) => ctx.problems);
  for (const { context } of contexts) await context.close().catch(() => undefined);
  return problems;
}

/** Signs in on the login page and waits for the console (or `expectPath`) to show. */
export async function signInAs(
  page: Page,
  credentials: { email: string; password: string },
  loginPath = '/admin/login',
): Promise<void> {
  await page.goto(loginPath);
  await page.locator('input[name=email]').fill(credentials.email);
  await page.locator('input[name=password]').fill(credentials.password);
  await page.locator('button[type=submit]').click();
}

/**
 * Saves a full-page screenshot to docs/admin-console/<name>.png when SCREENSHOTS=1 (the committed pictures in the
 * README are refreshed that way: SCREENSHOTS=1 npx jest test/admin-console).
 */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
