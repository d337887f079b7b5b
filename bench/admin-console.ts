/**
 * The admin console's first load, in a real browser (Debian's chromium through playwright-core, launched as
 * the console's tests launch it: test/support/browser.ts): what the sign-in page transfers (HTML, JS and CSS
 * as sent, i.e. gzip from nginx's gzip_static) and how long it takes to become usable, cold, BENCH_RUNS (15)
 * times; then the dashboard after signing in as the demo admin: the chunks it loads (Chart.js among them) and
 * the time until its sales chart is drawn.
 *
 * Every load is cold: a new browser context (no cookies, no cache) with the cache disabled (CDP
 * Network.setCacheDisabled). Sizes are the responses' Content-Length (the .gz file nginx sends), else the
 * encoded body size chromium received. Times come from the page itself (an init script): performance.now()
 * when a `button[type=submit]` is in the document and enabled, the navigation timing (domInteractive,
 * loadEventEnd), first contentful paint and long tasks. "Interactive" is the latest of: submit button
 * enabled, first contentful paint, load event end, end of the last long task (> 50 ms) before the network
 * went quiet.
 *
 * Floor, same run: the same sign-in page without JavaScript, i.e. the DOM the console rendered, saved as
 * static HTML (scripts removed) with the same stylesheet, served from /admin/login by a second nginx started
 * here with the gateway's own configuration (nginx/render.ts, as bench/cart.ts does) whose console directory
 * is a temporary one holding that page. The console and the floor are loaded in turn, so background load
 * hits both alike.
 *
 * Signing in is limited to 20 a minute per address (burst 10) by the gateway: the dashboard runs are spaced
 * at least 3.1 s apart.
 *
 * Run: npx tsx bench/admin-console.ts   (BENCH_URL: the stack's gateway, default http://127.0.0.1:8080;
 * BENCH_RUNS: cold loads of each kind, default 15; the stack must have the demo accounts, DEMO_ACCOUNTS=true).
 * Builds the console first when it is stale (scripts/build-admin-ui.mjs). Writes bench/results/admin-console.json.
 */
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback, constants as zlib } from 'node:zlib';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { startGateway, type RunningGateway } from '../nginx/render';
import { loadConfigOrExit } from '../shared/config';
import { DEMO_ACCOUNTS } from '../seeds/demo-accounts';
import { launchBrowser } from '../test/support/browser';
import { machineInfo } from './lib/autocannon-load';
import { benchGatewayOptions } from './lib/bench-gateway';
import { formatJson, type ConsoleBytes } from './lib/report';

const gzip = promisify(gzipCallback);
const ROOT = path.resolve(__dirname, '..');
const DIST_DIR = path.join(ROOT, 'admin-ui', 'dist');
const BASE_URL = (process.env.BENCH_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const LOGIN_PATH = '/admin/login';
/** The target for the first page: HTML + JS + CSS as transferred (compressed), 250 KB = 250,000 bytes. */
const FIRST_PAGE_MAX_BYTES = 250_000;
/** The gateway allows 20 sign-ins a minute per address: one every 3 s, plus a margin. */
const SIGN_IN_SPACING_MS = 3100;
const STEP_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------------------------------------------------
// In the page

/**
 * Runs before the page's own scripts in every document (CDP's addScriptToEvaluateOnNewDocument: not subject
 * to the page's Content-Security-Policy). Records, in performance.now() milliseconds since navigation start:
 * when a submit button is in the document and enabled, long tasks, the submit event, and the first frame in
 * which the dashboard's sales chart canvas has a non-blank pixel.
 */
const INIT_SCRIPT = `(() => {
  const state = { submitReady: null, submitAt: null, chartDrawn: null, longTasks: [] };
  Object.defineProperty(window, '__vmBench', { value: state });
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) state.longTasks.push([entry.startTime, entry.startTime + entry.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  const ready = () => {
    const button = document.querySelector('button[type=submit]');
    return button !== null && !button.disabled;
  };
  const observer = new MutationObserver(() => {
    if (state.submitReady === null && ready()) {
      state.submitReady = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
  const drawn = () => {
    const canvas = document.querySelector('canvas[data-testid=sales-chart]');
    if (!canvas || canvas.width === 0 || canvas.height === 0) return false;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let index = 3; index < data.length; index += 4) if (data[index] !== 0) return true;
    return false;
  };
  const watchChart = () => {
    if (drawn()) state.chartDrawn = performance.now();
    else requestAnimationFrame(watchChart);
  };
  document.addEventListener('submit', () => {
    if (state.submitAt !== null) return;
    state.submitAt = performance.now();
    requestAnimationFrame(watchChart);
  }, true);
})()`;

interface PageState {
  submitReady: number | null;
  submitAt: number | null;
  chartDrawn: number | null;
  longTasks: Array<[number, number]>;
}

interface PageTimings {
  domInteractive: number;
  domContentLoaded: number;
  loadEventEnd: number;
  firstContentfulPaint: number | null;
  state: PageState;
  /** [url, responseEnd] of the fetches the page made. */
  fetches: Array<[string, number]>;
}

const HAS_PAINTED = `performance.getEntriesByName('first-contentful-paint').length > 0`;

const READ_TIMINGS = `(() => {
  const navigation = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  return {
    domInteractive: navigation.domInteractive,
    domContentLoaded: navigation.domContentLoadedEventEnd,
    loadEventEnd: navigation.loadEventEnd,
    firstContentfulPaint: paint ? paint.startTime : null,
    state: window.__vmBench,
    fetches: performance.getEntriesByType('resource')
      .filter((entry) => entry.initiatorType === 'fetch' || entry.initiatorType === 'xmlhttprequest')
      .map((entry) => [entry.name, entry.responseEnd]),
  };
})()`;

// ---------------------------------------------------------------------------------------------------------
// Transfers

type Kind = 'html' | 'js' | 'css' | 'api' | 'other';

interface Transfer {
  path: string;
  kind: Kind;
  status: number;
  /** Content-Encoding as sent ('identity' when none). */
  encoding: string;
  /** Bytes of the body as transferred: Content-Length, else the encoded size chromium received. */
  bytes: number;
  /** The body's size once decoded, when known. */
  decodedBytes: number | null;
}

function kindOf(request: Request, contentType: string): Kind {
  const type = request.resourceType();
  if (type === 'document') return 'html';
  if (type === 'script' || /javascript/.test(contentType)) return 'js';
  if (type === 'stylesheet' || /text\/css/.test(contentType)) return 'css';
  if (type === 'fetch' || type === 'xhr') return 'api';
  return 'other';
}

interface Recorder {
  /** What finished since the last call. */
  take: () => Promise<Transfer[]>;
  /** Resolves once no request has been in flight for 500 ms (at most 10 s). */
  quiet: () => Promise<void>;
}

/** Records every finished request of a page. */
function recordTransfers(page: Page): Recorder {
  let pending: Array<Promise<Transfer | null>> = [];
  let inFlight = 0;
  let lastChange = Date.now();
  const change = (delta: number) => {
    inFlight += delta;
    lastChange = Date.now();
  };
  page.on('request', () => change(1));
  page.on('requestfailed', () => change(-1));
  page.on('requestfinished', (request) => {
    change(-1);
    pending.push(
      (async () => {
        const response = await request.response();
        if (!response) return null;
        const headers = await response.allHeaders();
        const sizes = await request.sizes();
        const length = headers['content-length'];
        let decodedBytes: number | null = null;
        try {
          decodedBytes = (await response.body()).length;
        } catch {
          // a body that is gone (a redirect): unknown
        }
        const url = new URL(request.url());
        return {
          path: `${url.pathname}${url.search}`,
          kind: kindOf(request, headers['content-type'] ?? ''),
          status: response.status(),
          encoding: headers['content-encoding'] ?? 'identity',
          bytes: length !== undefined ? Number(length) : sizes.responseBodySize,
          decodedBytes,
        };
      })().catch(() => null),
    );
  });
  return {
    quiet: async () => {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && (inFlight > 0 || Date.now() - lastChange < 500)) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    take: async () => {
      const taken = pending;
      pending = [];
      return (await Promise.all(taken)).filter((entry): entry is Transfer => entry !== null);
    },
  };
}

function sumConsoleBytes(transfers: Transfer[], field: 'bytes' | 'decodedBytes'): ConsoleBytes {
  const sums: ConsoleBytes = { html: 0, js: 0, css: 0, api: 0, other: 0, page: 0 };
  for (const transfer of transfers) {
    const value = transfer[field] ?? 0;
    sums[transfer.kind] += value;
    if (transfer.kind === 'html' || transfer.kind === 'js' || transfer.kind === 'css') sums.page += value;
  }
  return sums;
}

const sameFiles = (a: Transfer[], b: Transfer[]): boolean =>
  JSON.stringify(a.map((t) => [t.path, t.bytes]).sort()) ===
  JSON.stringify(b.map((t) => [t.path, t.bytes]).sort());

// ---------------------------------------------------------------------------------------------------------
// Statistics

export interface Stats {
  p50: number;
  p90: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index]!;
}

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    p50: round(percentile(sorted, 0.5)),
    p90: round(percentile(sorted, 0.9)),
    min: round(sorted[0]!),
    max: round(sorted[sorted.length - 1]!),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Loads

interface ColdLoad {
  submitReady: number;
  domInteractive: number;
  loadEventEnd: number;
  firstContentfulPaint: number | null;
  interactive: number;
  longTasks: number;
  transfers: Transfer[];
}

async function coldContext(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'ko-KR',
    timezoneId: 'Asia/Seoul',
    serviceWorkers: 'block',
  });
  await context.addInitScript({ content: INIT_SCRIPT });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  return { context, page };
}

/** Opens `url` in `page` and waits until its submit button is usable and the network is quiet. */
async function loadSignInPage(page: Page, url: string, recorder: Recorder): Promise<ColdLoad> {
  const response = await page.goto(url, { waitUntil: 'load' });
  try {
    await page.locator('button[type=submit]:enabled').waitFor({ state: 'visible' });
  } catch (error) {
    const content = (await page.content()).slice(0, 3000);
    throw new Error(`${url} (${response?.status()}): no usable submit button\n${content}`, { cause: error });
  }
  await page.waitForLoadState('networkidle');
  // chromium reports the first contentful paint a little after the frame: wait for the entry (at most 5 s).
  for (let waited = 0; waited < 5000; waited += 50) {
    if (await page.evaluate<boolean>(HAS_PAINTED)) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const timings = await page.evaluate<PageTimings>(READ_TIMINGS);
  const { state } = timings;
  if (state.submitReady === null) throw new Error(`${url}: the submit button was never recorded as enabled`);
  const lastLongTask = Math.max(0, ...state.longTasks.map(([, end]) => end));
  return {
    submitReady: state.submitReady,
    domInteractive: timings.domInteractive,
    loadEventEnd: timings.loadEventEnd,
    firstContentfulPaint: timings.firstContentfulPaint,
    interactive: Math.max(
      state.submitReady,
      timings.firstContentfulPaint ?? 0,
      timings.loadEventEnd,
      lastLongTask,
    ),
    longTasks: state.longTasks.length,
    transfers: await recorder.take(),
  };
}

async function coldSignInLoad(browser: Browser, url: string): Promise<ColdLoad> {
  const { context, page } = await coldContext(browser);
  try {
    return await loadSignInPage(page, url, recordTransfers(page));
  } finally {
    await context.close();
  }
}

interface DashboardLoad {
  /** Submit → the sign-in answer (POST /api/auth/browser-session) received. */
  signedIn: number;
  /** Submit → the sales chart drawn. */
  chart: number;
  transfers: Transfer[];
}

let lastSignIn = 0;

/** A cold sign-in page, then signing in as the demo admin; timed from the submit to the chart drawn. */
async function dashboardLoad(browser: Browser): Promise<DashboardLoad> {
  const admin = DEMO_ACCOUNTS.find((account) => account.role === 'admin');
  if (!admin) throw new Error('seeds/demo-accounts.ts has no admin');
  const { context, page } = await coldContext(browser);
  try {
    const recorder = recordTransfers(page);
    await loadSignInPage(page, `${BASE_URL}${LOGIN_PATH}`, recorder);
    await page.locator('input[name=email]').fill(admin.email);
    await page.locator('input[name=password]').fill(admin.password);
    const wait = lastSignIn + SIGN_IN_SPACING_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    lastSignIn = Date.now();
    await page.locator('button[type=submit]').click();
    await page.locator('canvas[data-testid=sales-chart]').waitFor({ state: 'visible' });
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    let timings = await page.evaluate<PageTimings>(READ_TIMINGS);
    while (timings.state.chartDrawn === null) {
      if (Date.now() > deadline) throw new Error('the dashboard chart was not drawn within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
      timings = await page.evaluate<PageTimings>(READ_TIMINGS);
    }
    await recorder.quiet();
    const { submitAt, chartDrawn } = timings.state;
    const session = timings.fetches.find(([name]) =>
      /\/api\/auth\/browser-session$/.test(new URL(name).pathname),
    );
    if (submitAt === null || chartDrawn === null || !session) {
      throw new Error('sign-in not recorded (submit event or POST /api/auth/browser-session missing)');
    }
    const transfers = await recorder.take();
    const failed = transfers.filter((transfer) => transfer.status >= 400);
    if (failed.length > 0) {
      throw new Error(`dashboard: ${failed.map((t) => `${t.path} → ${t.status}`).join(', ')}`);
    }
    return { signedIn: session[1] - submitAt, chart: chartDrawn - submitAt, transfers };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------------------
// The floor: the same sign-in page as static HTML, from an nginx with the gateway's configuration

/** The page's DOM as static HTML: scripts and module preloads removed, the stylesheet kept. */
async function staticSnapshot(browser: Browser): Promise<string> {
  const { context, page } = await coldContext(browser);
  try {
    await page.goto(`${BASE_URL}${LOGIN_PATH}`, { waitUntil: 'load' });
    await page.locator('button[type=submit]:enabled').waitFor({ state: 'visible' });
    const html = await page.content();
    return html
      .replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '')
      .replace(/<link\b[^>]*rel="modulepreload"[^>]*>/gi, '');
  } finally {
    await context.close();
  }
}

async function writeWithGzip(file: string, content: string | Buffer): Promise<void> {
  await writeFile(file, content);
  await writeFile(`${file}.gz`, await gzip(content, { level: zlib.Z_BEST_COMPRESSION }));
}

async function startFloor(html: string, prefixDir: string): Promise<RunningGateway> {
  const uiDir = path.join(prefixDir, 'ui');
  await mkdir(path.join(uiDir, 'assets'), { recursive: true });
  // mkdtemp makes the directory 0700: nginx's workers (another user when nginx runs as root) must read it.
  await chmod(prefixDir, 0o755);
  await writeWithGzip(path.join(uiDir, 'index.html'), html);
  const stylesheets = [...html.matchAll(/href="\/admin\/assets\/([^"/]+\.css)"/g)].map((match) => match[1]!);
  for (const name of stylesheets) {
    await writeWithGzip(
      path.join(uiDir, 'assets', name),
      await readFile(path.join(DIST_DIR, 'assets', name)),
    );
  }
  const config = loadConfigOrExit();
  // The page needs no upstream; the stack's BFF keeps the rendered configuration the gateway's own.
  const upstreams = (process.env.BFF_UPSTREAMS || `127.0.0.1:${config.BFF_PORT}`)
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return startGateway({
    ...(await benchGatewayOptions(config, upstreams, path.join(prefixDir, 'nginx'))),
    adminUiDir: uiDir,
  });
}

// ---------------------------------------------------------------------------------------------------------

function buildConsole(): string {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-admin-ui.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stdout.write(result.stdout ?? '');
  if (result.status !== 0) throw new Error(`scripts/build-admin-ui.mjs failed (exit ${result.status})`);
  return (result.stdout ?? '').trim().split('\n').filter(Boolean).join('; ');
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

async function main(): Promise<void> {
  const build = buildConsole();
  const buildHash = (await readFile(path.join(DIST_DIR, '.build-hash'), 'utf8')).trim().slice(0, 12);
  const prefixDir = await mkdtemp(path.join(os.tmpdir(), 'vm-bench-console-'));
  const browser = await launchBrowser();
  let floor: RunningGateway | undefined;
  try {
    const html = await staticSnapshot(browser);
    floor = await startFloor(html, prefixDir);
    const consoleUrl = `${BASE_URL}${LOGIN_PATH}`;
    const floorUrl = `${floor.url}${LOGIN_PATH}`;
    console.log(`console ${consoleUrl}, floor ${floorUrl}; ${RUNS} cold loads each, in turn`);

    // Warm-up (nginx workers, the OS's page cache, chromium's own start-up code): not counted.
    await coldSignInLoad(browser, consoleUrl);
    await coldSignInLoad(browser, floorUrl);
    const consoleLoads: ColdLoad[] = [];
    const floorLoads: ColdLoad[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      consoleLoads.push(await coldSignInLoad(browser, consoleUrl));
      floorLoads.push(await coldSignInLoad(browser, floorUrl));
    }
    const dashboards: DashboardLoad[] = [];
    for (let run = 0; run < RUNS; run += 1) dashboards.push(await dashboardLoad(browser));

    const first = consoleLoads[0]!;
    const floorFirst = floorLoads[0]!;
    const consistent =
      consoleLoads.every((load) => sameFiles(load.transfers, first.transfers)) &&
      floorLoads.every((load) => sameFiles(load.transfers, floorFirst.transfers));
    const notGzipped = first.transfers.filter(
      (transfer) => (transfer.kind === 'js' || transfer.kind === 'css') && transfer.encoding !== 'gzip',
    );
    const unexpected = [...first.transfers, ...floorFirst.transfers].filter(
      (transfer) => transfer.status >= 400,
    );
    if (unexpected.length > 0) {
      throw new Error(`failed requests: ${unexpected.map((t) => `${t.path} → ${t.status}`).join(', ')}`);
    }
    const dashboardFiles = dashboards[0]!.transfers.filter((t) => t.kind === 'js' || t.kind === 'css');
    const largest = [...dashboardFiles].sort((a, b) => b.bytes - a.bytes)[0] ?? null;
    const bytes = sumConsoleBytes(first.transfers, 'bytes');
    const summarize = (loads: ColdLoad[]) => ({
      submitReadyMs: stats(loads.map((load) => load.submitReady)),
      domInteractiveMs: stats(loads.map((load) => load.domInteractive)),
      loadEventEndMs: stats(loads.map((load) => load.loadEventEnd)),
      firstContentfulPaintMs: loads.every((load) => load.firstContentfulPaint !== null)
        ? stats(loads.map((load) => load.firstContentfulPaint!))
        : null,
      interactiveMs: stats(loads.map((load) => load.interactive)),
      longTasks: stats(loads.map((load) => load.longTasks)),
    });

    const result = {
      benchmark: 'admin-console',
      date: new Date().toISOString(),
      url: consoleUrl,
      floorUrl,
      runs: RUNS,
      machine: machineInfo(),
      browser: `chromium ${browser.version()}`,
      build: { hash: buildHash, log: build },
      targets: { firstPageMaxBytes: FIRST_PAGE_MAX_BYTES },
      firstPage: {
        path: LOGIN_PATH,
        bytes,
        decodedBytes: sumConsoleBytes(first.transfers, 'decodedBytes'),
        files: first.transfers,
        notGzipped: notGzipped.map((transfer) => transfer.path),
        sameFilesEveryRun: consistent,
        timings: summarize(consoleLoads),
      },
      floor: {
        description:
          'the same sign-in page without JavaScript: the DOM the console rendered, as static HTML with the same ' +
          'stylesheet, from a second nginx with the gateway configuration',
        bytes: sumConsoleBytes(floorFirst.transfers, 'bytes'),
        files: floorFirst.transfers,
        timings: summarize(floorLoads),
      },
      dashboard: {
        runs: dashboards.length,
        bytes: sumConsoleBytes(dashboards[0]!.transfers, 'bytes'),
        decodedBytes: sumConsoleBytes(dashboards[0]!.transfers, 'decodedBytes'),
        files: dashboards[0]!.transfers,
        largestChunk: largest,
        signedInMs: stats(dashboards.map((load) => load.signedIn)),
        chartMs: stats(dashboards.map((load) => load.chart)),
        afterSignInMs: stats(dashboards.map((load) => load.chart - load.signedIn)),
      },
      met: bytes.page <= FIRST_PAGE_MAX_BYTES,
    };

    const t = result.firstPage.timings;
    const f = result.floor.timings;
    console.log(
      `first page ${LOGIN_PATH}: ${kb(bytes.page)} transferred (HTML ${kb(bytes.html)}, JS ${kb(bytes.js)}, ` +
        `CSS ${kb(bytes.css)}); target ≤ ${kb(FIRST_PAGE_MAX_BYTES)} → ${result.met ? 'met' : 'NOT met'}` +
        (notGzipped.length > 0 ? `; NOT gzipped: ${notGzipped.map((x) => x.path).join(', ')}` : ''),
    );
    console.log(
      `interactive p50 ${t.interactiveMs.p50} ms, p90 ${t.interactiveMs.p90} ms (submit enabled p50 ` +
        `${t.submitReadyMs.p50} ms); floor p50 ${f.interactiveMs.p50} ms, p90 ${f.interactiveMs.p90} ms`,
    );
    console.log(
      `dashboard after sign-in: ${kb(result.dashboard.bytes.js + result.dashboard.bytes.css)} of JS/CSS, largest ` +
        `${largest ? `${largest.path} ${kb(largest.bytes)}` : 'n/a'}; chart drawn p50 ${result.dashboard.chartMs.p50} ms, ` +
        `p90 ${result.dashboard.chartMs.p90} ms after submit (sign-in answer p50 ${result.dashboard.signedInMs.p50} ms)`,
    );
    if (!consistent)
      console.log('note: the loads did not all transfer the same files (see files in the result)');

    const resultsDir = process.env.BENCH_RESULTS_DIR ?? path.join(__dirname, 'results');
    await mkdir(resultsDir, { recursive: true });
    const output = path.join(resultsDir, 'admin-console.json');
    await writeFile(output, formatJson(result));
    console.log(`written ${path.relative(process.cwd(), output)}`);
  } finally {
    await browser.close();
    await floor?.stop();
    await rm(prefixDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
