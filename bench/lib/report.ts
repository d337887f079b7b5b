/**
 * docs/BENCHMARKS.md and one hand-written SVG bar chart per benchmark (docs/benchmarks/<name>.svg), rendered
 * from the JSON files the benchmark scripts write to bench/results/ and the run record bench/run-all.ts
 * writes beside them (run.json: the machine, versions, date, what ran). No dependencies: the SVG is built as
 * text. Also collects the machine description (cores, CPU, memory, OS, Node, MariaDB, Redis, nginx).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

// ---------------------------------------------------------------------------------------------------------
// Result files (the shapes bench/*.ts write)

interface Latency {
  average: number;
  p50: number;
  p97_5?: number;
  p99: number;
  max: number;
}

export interface LoadFigures {
  name: string;
  requestsPerSecond: number;
  requests: number;
  latencyMs: Latency;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationSeconds: number;
}

export interface GatewayResult {
  date: string;
  machine?: { loadAverage?: number[] };
  path: string;
  connections: number;
  seconds: number;
  bffUpstreams: string[];
  auth: LoadFigures & { nginxWorkerCpuUsPerRequest: number | null };
  noAuth: LoadFigures & { nginxWorkerCpuUsPerRequest: number | null };
  /** Since session revocation: many logins, so the gateway's per-worker cache misses (absent in older results). */
  authColdCache?: LoadFigures & { nginxWorkerCpuUsPerRequest: number | null };
  /** Since session revocation: the token check with a stub that never asks Redis. */
  authNoRevocation?: LoadFigures & { nginxWorkerCpuUsPerRequest: number | null };
  coldLogins?: number;
  /** Interleaved slices per case (bench/gateway.ts measureInterleaved); absent: one slice, one case after the other. */
  rounds?: number;
  ratio: number;
  ratioColdCache?: number;
  ratioNoRevocation?: number;
  extraP50Ms: number;
  extraP99Ms: number;
  nginxWorkerCpuExtraUsPerRequest: number | null;
}

export interface CatalogueResult {
  at: string;
  machine?: { loadAverage?: number[] };
  connections: number;
  seconds: number;
  notes?: { detailIds?: number; detailUncachedRequests?: number };
  results: LoadFigures[];
}

interface CartFigures {
  requestsPerSecond: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  requests: number;
  errors: number;
  non2xx: number;
}

export interface CartResult {
  date: string;
  connections: number;
  seconds: number;
  floor: CartFigures;
  cart: CartFigures;
  bffHealthz?: CartFigures;
  ratio: number;
}

export interface OrdersResult {
  date: string;
  workerConcurrency: string;
  spread: {
    orders: number;
    connections: number;
    accepted: number;
    non2xx: number;
    errors: number;
    acceptedPerSecond: number;
    placeLatencyMs: { p50: number; p99: number };
    confirmed: number;
    confirmedPerSecondEndToEnd: number;
    acceptToConfirmedMs: { p50: number; p99: number };
  };
  hot: null | {
    orders: number;
    stock: number;
    confirmed: number;
    rejected: number;
    stockLeft: number;
    settledInSeconds: number;
  };
}

/** One run of bench/orders.ts as a benchmark that starts its own stacks records it. */
export interface OrdersRunFigures {
  confirmedPerSecond: number;
  acceptToConfirmedMs: { p50: number; p99: number };
  acceptedPerSecond: number;
  placeLatencyMs: { p50: number; p99: number };
  accepted: number;
  confirmed: number;
  non2xx: number;
  errors: number;
}

export interface ScalingResult {
  date: string;
  settings: { orders: number; connections: number; workerConcurrencyPerProcess: number };
  runs: Array<{ workers: number; loadAverageBefore: number[] } & OrdersRunFigures>;
}

interface TimingStats {
  p50: number;
  p90: number;
  min: number;
  max: number;
}

/** Bytes of a console page load by kind of transfer. */
export interface ConsoleBytes {
  html: number;
  js: number;
  css: number;
  api: number;
  other: number;
  /** HTML + JS + CSS: what the page itself is made of (API answers are data, not the page). */
  page: number;
}

interface ConsoleTimings {
  submitReadyMs: TimingStats;
  domInteractiveMs: TimingStats;
  loadEventEndMs: TimingStats;
  firstContentfulPaintMs: TimingStats | null;
  interactiveMs: TimingStats;
}

/** bench/admin-console.ts: the console's first load in chromium. */
export interface AdminConsoleResult {
  date: string;
  machine?: { loadAverage?: number[] };
  runs: number;
  browser: string;
  build: { hash: string };
  targets: { firstPageMaxBytes: number };
  firstPage: {
    path: string;
    bytes: ConsoleBytes;
    decodedBytes: ConsoleBytes;
    notGzipped: string[];
    timings: ConsoleTimings;
  };
  floor: { bytes: ConsoleBytes; timings: ConsoleTimings };
  dashboard: {
    runs: number;
    bytes: ConsoleBytes;
    decodedBytes: ConsoleBytes;
    largestChunk: { path: string; bytes: number; decodedBytes: number | null } | null;
    signedInMs: TimingStats;
    chartMs: TimingStats;
  };
}

interface ClusterCosts {
  units: number;
  /** CPU by process role (bff, orders, stock, ...): ms per order, or µs per cart read. */
  cpu: Record<string, number>;
  sql: {
    total: Record<
      'roundTrips' | 'statements' | 'select' | 'lockingSelect' | 'write' | 'transaction' | 'other',
      number
    >;
    byProcess: Record<string, number>;
  };
  /** cpuByNode (primaries) and replicasCpu (all replicas together): ms per order, or µs per cart read. */
  redis: {
    commands: number;
    byCommand: Record<string, number>;
    cpuByNode: Record<string, number>;
    replicasCpu?: number;
  };
  databaseServerCpu: number | null;
}

interface ClusterModeFigures {
  confirmedPerSecond: number;
  acceptToConfirmedMs: { p50: number; p99: number };
  acceptedPerSecond: number;
  cartReadsPerSecond: number;
  cartMs: { p50: number; p99: number };
  failures: number;
}

/** bench/cluster.ts: one Redis and a local Redis Cluster, alternating, in one run. */
export interface ClusterResult {
  date: string;
  machine: { cpus: number; cpuModel: string; loadAverage?: number[]; loadAverageAtStart?: number[] };
  settings: {
    orders: number;
    connections: number;
    cartSeconds: number;
    rounds: number;
    warmupOrders: number;
    workerProcesses: string;
    cluster: string;
    single: string;
  };
  seconds: number;
  target: number;
  modes: { single: ClusterModeFigures; cluster: ClusterModeFigures };
  ratios: { orders: number; cartReads: number };
  runs: Array<{
    round: number;
    mode: 'single' | 'cluster';
    loadAverageBefore: number[];
    orders: { confirmedPerSecond: number; acceptToConfirmedMs: { p50: number; p99: number } };
    cart: { requestsPerSecond: number; p50Ms: number; p99Ms: number };
  }>;
  costs: Record<'single' | 'cluster', { perOrder: ClusterCosts; perCartRead: ClusterCosts }>;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  kernel: string;
  node: string;
  mariadb: string;
  redis: string;
  nginx: string;
}

export type BenchmarkName =
  'gateway' | 'catalogue' | 'cart' | 'orders' | 'worker-scaling' | 'admin-console' | 'cluster';
export const BENCHMARKS: BenchmarkName[] = [
  'gateway',
  'catalogue',
  'cart',
  'orders',
  'worker-scaling',
  'admin-console',
  'cluster',
];

/** bench/results/run.json, written by bench/run-all.ts. */
export interface RunRecord {
  startedAt: string;
  finishedAt?: string;
  machine: MachineInfo;
  loadAverage: { start: number[]; end?: number[] };
  /** own: every benchmark that ran started stacks of its own (worker scaling, cluster). */
  stack: { kind: 'running' | 'isolated' | 'own'; url: string; products?: number };
  settings: Record<string, string>;
  benchmarks: Array<{
    name: BenchmarkName;
    status: 'ok' | 'failed' | 'skipped';
    seconds: number;
    note?: string;
  }>;
}

/**
 * JSON.stringify(value, null, 2), with arrays of numbers/strings on one line when that line fits in 110
 * characters (as prettier would print them): result files stay short and readable.
 */
export function formatJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  const collapsed = text.replace(
    /^( *)(.*)\[\n((?:\1 {2}(?:-?\d[\d.eE+-]*|"(?:[^"\\]|\\.)*"|true|false|null),?\n)+)\1\](,?)$/gm,
    (whole, indent: string, head: string, items: string, comma: string) => {
      const inline = `${indent}${head}[${items
        .split('\n')
        .map((item) => item.trim())
        .filter(Boolean)
        .join(' ')}]${comma}`;
      return inline.length <= 110 ? inline : whole;
    },
  );
  return `${collapsed}\n`;
}

// ---------------------------------------------------------------------------------------------------------
// Machine

function commandOutput(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
}

function osName(): string {
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(release)?.[1];
    if (pretty) return pretty;
  } catch {
    // not Linux, or no os-release
  }
  return `${os.type()} ${os.release()}`;
}

/**
 * What the benchmarks ran on. The server versions come from the running servers when the caller can
 * ask them (`serverVersions`), else from the installed binaries.
 */
export function collectMachineInfo(serverVersions: { mariadb?: string; redis?: string } = {}): MachineInfo {
  const nginxBinary = process.env.NGINX_BIN ?? (existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx');
  const nginx = /nginx\/(\S+)/.exec(commandOutput(nginxBinary, ['-v']))?.[1] ?? 'unknown';
  const mariadbCli = commandOutput('mariadb', ['--version']) || commandOutput('mysql', ['--version']);
  const redisCli = commandOutput('redis-server', ['--version']);
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: osName(),
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    mariadb: serverVersions.mariadb ?? /Distrib (\S+?),/.exec(mariadbCli)?.[1] ?? (mariadbCli || 'unknown'),
    redis: serverVersions.redis ?? /v=(\S+)/.exec(redisCli)?.[1] ?? 'unknown',
    nginx,
  };
}

// ---------------------------------------------------------------------------------------------------------
// SVG bar charts

export interface ChartSeries {
  name: string;
  color: string;
  values: Array<number | null>;
}

export interface ChartPanel {
  title: string;
  unit: string;
  categories: string[];
  series: ChartSeries[];
  /** Dashed horizontal lines, e.g. a target. */
  references?: Array<{ value: number; label: string }>;
  /** Default 'linear'; 'auto' switches to a log scale when the values span more than ~40×. */
  scale?: 'linear' | 'log' | 'auto';
}

export const COLORS = {
  throughput: '#4e79a7',
  throughput2: '#a0cbe8',
  p50: '#f28e2b',
  p99: '#e15759',
  other: '#76b7b2',
};

const FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
const BAR_WIDTH = 34;
const GROUP_GAP = 26;
const PLOT_HEIGHT = 220;
const PANEL_LEFT = 58;
const PANEL_RIGHT = 18;
const PANEL_GAP = 28;

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Short label for a bar: 1,234 / 12.3k / 4.5 / 0.12 */
export function compactNumber(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 100_000) return `${Math.round(value / 1000)}k`;
  if (magnitude >= 10_000) return `${(value / 1000).toFixed(1)}k`;
  if (magnitude >= 100 || Number.isInteger(value)) return Math.round(value).toLocaleString('en-US');
  if (magnitude >= 10) return value.toFixed(1);
  return value.toFixed(2).replace(/0$/, '');
}

function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

interface Scale {
  y: (value: number) => number;
  ticks: number[];
  log: boolean;
}

function makeScale(panel: ChartPanel, top: number): Scale {
  const values = panel.series.flatMap((series) => series.values).filter((v): v is number => v !== null);
  const references = (panel.references ?? []).map((reference) => reference.value);
  const all = [...values, ...references];
  const positive = all.filter((v) => v > 0);
  const max = Math.max(0, ...all);
  const minPositive = positive.length > 0 ? Math.min(...positive) : 1;
  const bottom = top + PLOT_HEIGHT;
  const useLog =
    panel.scale === 'log' || (panel.scale === 'auto' && positive.length > 1 && max / minPositive > 40);
  if (useLog) {
    const low = 10 ** Math.floor(Math.log10(minPositive));
    let high = 10 ** Math.ceil(Math.log10(max));
    if (high <= low) high = low * 10;
    const span = Math.log10(high) - Math.log10(low);
    const ticks: number[] = [];
    for (let tick = low; tick <= high * 1.0001; tick *= 10) ticks.push(tick);
    return {
      y: (value) =>
        value <= low ? bottom : bottom - ((Math.log10(value) - Math.log10(low)) / span) * PLOT_HEIGHT,
      ticks,
      log: true,
    };
  }
  const top_ = niceCeiling(max * 1.08);
  const ticks = Array.from({ length: 6 }, (_, index) => (top_ * index) / 5);
  return { y: (value) => bottom - (Math.max(0, value) / top_) * PLOT_HEIGHT, ticks, log: false };
}

function panelWidth(panel: ChartPanel): number {
  const groupWidth = panel.series.length * BAR_WIDTH + GROUP_GAP;
  return PANEL_LEFT + Math.max(200, panel.categories.length * groupWidth) + PANEL_RIGHT;
}

const REFERENCE_COLORS = ['#222222', '#7b4ea3', '#2a8c5a'];
const LEGEND_ROW = 16;

interface LegendItem {
  label: string;
  kind: 'bar' | 'line';
  color: string;
}

function legendItems(panel: ChartPanel): LegendItem[] {
  return [
    ...panel.series.map((series) => ({ label: series.name, kind: 'bar' as const, color: series.color })),
    ...(panel.references ?? []).map((reference, index) => ({
      label: reference.label,
      kind: 'line' as const,
      color: REFERENCE_COLORS[index % REFERENCE_COLORS.length]!,
    })),
  ];
}

/** Legend entries laid out left to right, wrapping at the panel's width: [x offset, row] per item. */
function legendLayout(panel: ChartPanel): { positions: Array<[number, number]>; rows: number } {
  const width = panelWidth(panel) - 8;
  const positions: Array<[number, number]> = [];
  let x = 0;
  let row = 0;
  for (const item of legendItems(panel)) {
    const itemWidth = (item.kind === 'line' ? 30 : 16) + item.label.length * 6.2 + 12;
    if (x > 0 && x + itemWidth > width) {
      x = 0;
      row += 1;
    }
    positions.push([x, row]);
    x += itemWidth;
  }
  return { positions, rows: row + 1 };
}

function renderPanel(
  panel: ChartPanel,
  left: number,
  top: number,
  legendRows: number,
  rotate: boolean,
): string {
  const parts: string[] = [];
  const width = panelWidth(panel);
  const plotLeft = left + PANEL_LEFT;
  const plotWidth = width - PANEL_LEFT - PANEL_RIGHT;
  const plotTop = top + 30 + legendRows * LEGEND_ROW;
  const bottom = plotTop + PLOT_HEIGHT;
  const scale = makeScale(panel, plotTop);

  parts.push(
    `<text x="${left + 4}" y="${top + 14}" font-size="13" font-weight="600">${escapeXml(panel.title)}${scale.log ? ' (log scale)' : ''}</text>`,
  );
  // legend: the series, then the target lines
  const items = legendItems(panel);
  const { positions } = legendLayout(panel);
  items.forEach((item, index) => {
    const [offset, row] = positions[index]!;
    const x = left + 4 + offset;
    const y = top + 22 + row * LEGEND_ROW;
    if (item.kind === 'bar') {
      parts.push(`<rect x="${x}" y="${y}" width="10" height="10" fill="${item.color}"/>`);
    } else {
      parts.push(
        `<line x1="${x}" y1="${y + 5}" x2="${x + 24}" y2="${y + 5}" stroke="${item.color}" stroke-width="1.5" stroke-dasharray="5 3"/>`,
      );
    }
    const textX = x + (item.kind === 'line' ? 28 : 14);
    parts.push(`<text x="${textX}" y="${y + 9}" font-size="11">${escapeXml(item.label)}</text>`);
  });
  // grid and y axis
  for (const tick of scale.ticks) {
    const y = scale.y(tick).toFixed(1);
    parts.push(`<line x1="${plotLeft}" y1="${y}" x2="${plotLeft + plotWidth}" y2="${y}" stroke="#e5e5e5"/>`);
    parts.push(
      `<text x="${plotLeft - 6}" y="${Number(y) + 4}" font-size="10" text-anchor="end" fill="#555">${compactNumber(tick)}</text>`,
    );
  }
  parts.push(
    `<text x="${left + 12}" y="${plotTop + PLOT_HEIGHT / 2}" font-size="11" fill="#555" text-anchor="middle" ` +
      `transform="rotate(-90 ${left + 12} ${plotTop + PLOT_HEIGHT / 2})">${escapeXml(panel.unit)}</text>`,
  );
  // bars
  const groupWidth = plotWidth / Math.max(panel.categories.length, 1);
  const barsWidth = panel.series.length * BAR_WIDTH;
  panel.categories.forEach((category, index) => {
    const groupLeft = plotLeft + index * groupWidth + (groupWidth - barsWidth) / 2;
    panel.series.forEach((series, seriesIndex) => {
      const value = series.values[index] ?? null;
      const x = groupLeft + seriesIndex * BAR_WIDTH + 2;
      const barWidth = BAR_WIDTH - 4;
      if (value === null) {
        parts.push(
          `<text x="${x + barWidth / 2}" y="${bottom - 4}" font-size="10" text-anchor="middle" fill="#999">n/a</text>`,
        );
        return;
      }
      const y = Math.min(scale.y(value), bottom);
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth}" height="${(bottom - y).toFixed(1)}" fill="${series.color}">` +
          `<title>${escapeXml(`${category}, ${series.name}: ${value} ${panel.unit}`)}</title></rect>`,
      );
      parts.push(
        `<text x="${(x + barWidth / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" font-size="10" text-anchor="middle">${compactNumber(value)}</text>`,
      );
    });
    const labelX = plotLeft + index * groupWidth + groupWidth / 2;
    const labelY = bottom + 16;
    parts.push(
      rotate
        ? `<text x="${labelX.toFixed(1)}" y="${labelY}" font-size="11" text-anchor="end" transform="rotate(-30 ${labelX.toFixed(1)} ${labelY})">${escapeXml(category)}</text>`
        : `<text x="${labelX.toFixed(1)}" y="${labelY}" font-size="11" text-anchor="middle">${escapeXml(category)}</text>`,
    );
  });
  // target lines, drawn over the bars (named in the legend)
  (panel.references ?? []).forEach((reference, index) => {
    const y = scale.y(reference.value).toFixed(1);
    const color = REFERENCE_COLORS[index % REFERENCE_COLORS.length]!;
    parts.push(
      `<line x1="${plotLeft}" y1="${y}" x2="${plotLeft + plotWidth}" y2="${y}" stroke="${color}" stroke-width="1.5" stroke-dasharray="5 3">` +
        `<title>${escapeXml(`${reference.label}: ${reference.value} ${panel.unit}`)}</title></line>`,
    );
  });
  parts.push(
    `<line x1="${plotLeft}" y1="${bottom}" x2="${plotLeft + plotWidth}" y2="${bottom}" stroke="#888"/>`,
  );
  return parts.join('\n  ');
}

/** One SVG: a title, an optional note, and the panels side by side. */
export function renderBarChart(title: string, panels: ChartPanel[], note?: string): string {
  const rotate = panels.some((panel) => {
    const groupWidth = (panelWidth(panel) - PANEL_LEFT - PANEL_RIGHT) / Math.max(panel.categories.length, 1);
    return panel.categories.some((category) => category.length * 6.4 > groupWidth - 4);
  });
  const longest = Math.max(0, ...panels.flatMap((panel) => panel.categories.map((c) => c.length)));
  const labelSpace = rotate ? Math.ceil(longest * 6.4 * 0.5) + 24 : 28;
  const top = note ? 52 : 36;
  const legendRows = Math.max(1, ...panels.map((panel) => legendLayout(panel).rows));
  const width =
    16 + panels.reduce((sum, panel) => sum + panelWidth(panel), 0) + PANEL_GAP * (panels.length - 1) + 16;
  const height = top + 30 + legendRows * LEGEND_ROW + PLOT_HEIGHT + labelSpace + 12;
  const body: string[] = [];
  let left = 16;
  for (const panel of panels) {
    body.push(renderPanel(panel, left, top, legendRows, rotate));
    left += panelWidth(panel) + PANEL_GAP;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">`,
    `  <rect width="100%" height="100%" fill="#ffffff"/>`,
    `  <text x="16" y="24" font-size="16" font-weight="700">${escapeXml(title)}</text>`,
    ...(note ? [`  <text x="16" y="42" font-size="11" fill="#555">${escapeXml(note)}</text>`] : []),
    `  ${body.join('\n  ')}`,
    '</svg>',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------------
// Markdown

const fmt = (value: number | null | undefined, digits = 0): string =>
  value === null || value === undefined || !Number.isFinite(value)
    ? 'n/a'
    : value.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: digits });

const signed = (value: number | null | undefined, digits = 0): string =>
  value === null || value === undefined || !Number.isFinite(value)
    ? 'n/a'
    : `${value > 0 ? '+' : value < 0 ? '−' : '±'}${fmt(Math.abs(value), digits)}`;

const mark = (ok: boolean): string => (ok ? '✅' : '❌');

/** ", load average 1.00 2.00 3.00 after the run" when the result file recorded it. */
function loadNote(machine: { loadAverage?: number[] } | undefined): string {
  const values = machine?.loadAverage;
  return values && values.length > 0
    ? ` (load average ${values.map((value) => value.toFixed(2)).join(' ')} after the run)`
    : '';
}

function when(iso: string | undefined): string {
  if (!iso) return 'unknown date';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

interface TargetRow {
  benchmark: string;
  target: string;
  result: string;
  verdict: string;
}

interface Section {
  markdown: string;
  svg?: string;
  targets: TargetRow[];
}

interface Loaded<T> {
  data?: T;
  problem?: string;
}

function table(header: string[], rows: string[][], align?: string[]): string {
  const alignment = align ?? header.map((_, index) => (index === 0 ? '---' : '---:'));
  return [
    `| ${header.join(' | ')} |`,
    `| ${alignment.join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

function chartLink(name: string): string {
  return `![${name} chart](benchmarks/${name}.svg)`;
}

/** What the revocation lookup adds to the nginx workers' CPU per request, against the stubbed lookup. */
function revocationCpuNote(result: GatewayResult): string {
  const base = result.authNoRevocation?.nginxWorkerCpuUsPerRequest;
  const hot = result.auth.nginxWorkerCpuUsPerRequest;
  const cold = result.authColdCache?.nginxWorkerCpuUsPerRequest;
  if (base == null || hot === null || cold == null) return '';
  return (
    ` The revocation lookup itself adds ${signed(hot - base)} µs of nginx worker CPU per request with cache hits ` +
    `and ${signed(cold - base)} µs with a cold cache (Redis's own CPU for the MGET comes on top).`
  );
}

/** The goal for the token check including the revocation lookup: at most 15% of throughput. */
const GATEWAY_MIN_RATIO = 0.85;

function gatewaySection(result: GatewayResult): Section {
  const withRevocation = result.authColdCache !== undefined && result.authNoRevocation !== undefined;
  type Row = readonly [string, LoadFigures & { nginxWorkerCpuUsPerRequest: number | null }];
  const rows: Row[] = [
    [
      withRevocation ? 'auth (token check + revocation, 1 login: cache hits)' : 'auth (Lua token check)',
      result.auth,
    ],
    ...(result.authColdCache
      ? [
          [
            `auth, cold cache (${fmt(result.coldLogins ?? 0)} logins in turn: a Redis MGET per request)`,
            result.authColdCache,
          ] as const,
        ]
      : []),
    ...(result.authNoRevocation
      ? [['auth without revocation (stub revocation.lua)', result.authNoRevocation] as const]
      : []),
    ['no-auth (fixed identity, no Lua)', result.noAuth],
  ];
  const ratioOf = (figures: LoadFigures) =>
    figures.requestsPerSecond / Math.max(result.noAuth.requestsPerSecond, 1);
  const markdown = [
    `\`GET ${result.path}\` for the demo user through ${withRevocation ? 'three' : 'two'} nginx instances in front of the same BFF ` +
      `(${result.bffUpstreams.join(', ')}), ${result.connections} connections, ${result.seconds} s each after a warm-up. ` +
      `*auth* is the real gateway (nginx/render.ts startGateway); *no-auth* is the same rendered nginx.conf in which ` +
      `every location that checks a token sets \`$gw_user_id\`/\`$gw_user_role\`/\`$gw_secret\` to the token's user ` +
      `instead (a rewrite done by bench/gateway.ts in its own tmp prefix; production code has no such switch). ` +
      `Same worker count, same access log. Measured ${when(result.date)}${loadNote(result.machine)}.` +
      (withRevocation
        ? ' The token check includes the session revocation lookup (nginx/README.md, Session revocation): ' +
          '*auth* sends one token, so its login stays in the per-worker cache (one Redis MGET per worker and second); ' +
          '*cold cache* sends tokens of many logins in turn, each back only after its cache second, so nearly every ' +
          'request waits for Redis; *without revocation* is the same config whose lua_package_path finds a stub ' +
          'revocation.lua first (bench/gateway.ts only). One run, each case in ' +
          `${fmt(result.rounds ?? 1)} interleaved slices of ${fmt(result.seconds / (result.rounds ?? 1), 1)} s (latency: the median of the slices' percentiles), ` +
          'kept short on a 2-core machine shared with other work: the load generator, nginx, the BFF and Redis ' +
          'compete for the same cores, so throughput moves by several percent between runs; the CPU column is steadier.'
        : ''),
    '',
    table(
      [
        'gateway',
        'requests/s',
        'p50 ms',
        'p99 ms',
        'max ms',
        'nginx worker CPU µs/request',
        'non-2xx',
        'errors',
      ],
      rows.map(([label, figures]) => [
        label,
        `${fmt(figures.requestsPerSecond)}${figures === result.noAuth ? '' : ` (${fmt(ratioOf(figures), 3)})`}`,
        fmt(figures.latencyMs.p50, 2),
        fmt(figures.latencyMs.p99, 2),
        fmt(figures.latencyMs.max, 2),
        fmt(figures.nginxWorkerCpuUsPerRequest),
        fmt(figures.non2xx),
        fmt(figures.errors + figures.timeouts),
      ]),
    ),
    '',
    `**Throughput ratio auth / no-auth: ${fmt(result.ratio, 3)}** (the token check costs ` +
      `${fmt((1 - result.ratio) * 100, 1)}% of throughput); p50 ${signed(result.extraP50Ms, 2)} ms, ` +
      `p99 ${signed(result.extraP99Ms, 2)} ms` +
      (result.nginxWorkerCpuExtraUsPerRequest !== null
        ? `; nginx worker CPU ${signed(result.nginxWorkerCpuExtraUsPerRequest)} µs per request.`
        : '.') +
      (withRevocation
        ? ` With a cold cache: ${fmt(ratioOf(result.authColdCache!), 3)}; without the revocation lookup: ` +
          `${fmt(ratioOf(result.authNoRevocation!), 3)}. Requests/s in brackets: the ratio to no-auth.` +
          revocationCpuNote(result)
        : ''),
    '',
    "The CPU figure (nginx workers' user+system time from /proc, divided by requests served) is the steadier " +
      'measure of the Lua cost on a shared machine; throughput and latency also carry the BFF and the load generator.',
  ].join('\n');
  // Chart categories: the rows, by short name.
  const charted: { name: string; figures: Row[1] }[] = [
    { name: 'auth', figures: result.auth },
    ...(result.authColdCache ? [{ name: 'auth cold cache', figures: result.authColdCache }] : []),
    ...(result.authNoRevocation ? [{ name: 'no revocation', figures: result.authNoRevocation }] : []),
    { name: 'no-auth', figures: result.noAuth },
  ];
  const categories = charted.map((entry) => entry.name);
  const panels: ChartPanel[] = [
    {
      title: 'Throughput',
      unit: 'requests/s',
      categories,
      series: [
        {
          name: 'requests/s',
          color: COLORS.throughput,
          values: charted.map((entry) => entry.figures.requestsPerSecond),
        },
      ],
    },
    {
      title: 'Latency',
      unit: 'ms',
      scale: 'auto',
      categories,
      series: [
        { name: 'p50', color: COLORS.p50, values: charted.map((entry) => entry.figures.latencyMs.p50) },
        { name: 'p99', color: COLORS.p99, values: charted.map((entry) => entry.figures.latencyMs.p99) },
      ],
    },
  ];
  if (charted.every((entry) => entry.figures.nginxWorkerCpuUsPerRequest !== null)) {
    panels.push({
      title: 'nginx worker CPU',
      unit: 'µs / request',
      categories,
      series: [
        {
          name: 'CPU µs/request',
          color: COLORS.other,
          values: charted.map((entry) => entry.figures.nginxWorkerCpuUsPerRequest ?? 0),
        },
      ],
    });
  }
  const svg = renderBarChart(
    `Gateway: GET ${result.path}, token check vs none`,
    panels,
    `${result.connections} connections, ${result.seconds} s each · ratio auth/no-auth ${fmt(result.ratio, 3)} · ${when(result.date)}`,
  );
  const cpuNote =
    result.nginxWorkerCpuExtraUsPerRequest !== null
      ? `; nginx CPU ${signed(result.nginxWorkerCpuExtraUsPerRequest)} µs/request`
      : '';
  const targets: TargetRow[] = withRevocation
    ? [
        {
          benchmark: 'gateway',
          target: `token check incl. revocation ≤ 15% of throughput (auth / no-auth ≥ ${GATEWAY_MIN_RATIO}), cache hits`,
          result: `${fmt(result.ratio, 3)} (without revocation ${fmt(ratioOf(result.authNoRevocation!), 3)}); p99 ${signed(result.extraP99Ms, 2)} ms${cpuNote}`,
          verdict: mark(result.ratio >= GATEWAY_MIN_RATIO),
        },
        {
          benchmark: 'gateway',
          target: `the same with a cold cache (a Redis MGET per request)`,
          result: fmt(ratioOf(result.authColdCache!), 3),
          verdict: mark(ratioOf(result.authColdCache!) >= GATEWAY_MIN_RATIO),
        },
      ]
    : [
        {
          benchmark: 'gateway',
          target: 'report the auth / no-auth throughput ratio',
          result: `${fmt(result.ratio, 3)}; p99 ${signed(result.extraP99Ms, 2)} ms${cpuNote}`,
          verdict: 'ℹ️',
        },
      ];
  return { markdown, svg, targets };
}

const CATALOGUE_TARGETS: Record<string, number> = { search: 50, 'detail-cached': 5 };

function catalogueSection(result: CatalogueResult, products: number | undefined): Section {
  const targets: TargetRow[] = [];
  const at50 =
    result.connections === 50 ? '' : ` (measured at ${result.connections} connections, target is at 50)`;
  for (const [name, limit] of Object.entries(CATALOGUE_TARGETS)) {
    const figures = result.results.find((entry) => entry.name === name);
    targets.push({
      benchmark: 'catalogue',
      target: `${name === 'search' ? 'search' : 'cached detail'} p99 < ${limit} ms at 50 connections`,
      result: figures ? `${fmt(figures.latencyMs.p99, 2)} ms${at50}` : 'not measured',
      verdict: figures ? mark(figures.latencyMs.p99 < limit && result.connections === 50) : '❌',
    });
  }
  const detailNote =
    result.notes?.detailIds !== undefined && result.notes.detailUncachedRequests !== undefined
      ? ` detail-uncached made ${fmt(result.notes.detailUncachedRequests)} requests over ${fmt(result.notes.detailIds)} ids` +
        (result.notes.detailUncachedRequests > result.notes.detailIds
          ? ' (more requests than ids: the excess were cache hits).'
          : ' (every request a cache miss).')
      : '';
  const markdown = [
    `bench/catalogue.ts against the stack, ${result.connections} connections, ${result.seconds} s per case after a warm-up` +
      `${products !== undefined ? `, ${fmt(products)} active products` : ''}. Cases: floor-healthz (constant JSON through the same ` +
      `nginx and BFF), search (rotating terms, listing pages cached as in production), search-uncached (a different ` +
      `maxPrice on every request: page + facet queries in MariaDB), detail-cached (5 warm ids), detail-uncached ` +
      `(Redis detail keys deleted first).${detailNote} Measured ${when(result.at)}${loadNote(result.machine)}. ` +
      'Details: [catalogue.md](catalogue.md).',
    '',
    table(
      ['case', 'requests/s', 'p50 ms', 'p97.5 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors'],
      result.results.map((entry) => [
        entry.name,
        fmt(entry.requestsPerSecond),
        fmt(entry.latencyMs.p50, 2),
        fmt(entry.latencyMs.p97_5, 2),
        fmt(entry.latencyMs.p99, 2),
        fmt(entry.latencyMs.max, 2),
        fmt(entry.non2xx),
        fmt(entry.errors + entry.timeouts),
      ]),
    ),
    '',
    targetTable(targets),
  ].join('\n');
  const names = result.results.map((entry) => entry.name);
  const svg = renderBarChart(
    'Catalogue reads',
    [
      {
        title: 'Throughput',
        unit: 'requests/s',
        categories: names,
        series: [
          {
            name: 'requests/s',
            color: COLORS.throughput,
            values: result.results.map((e) => e.requestsPerSecond),
          },
        ],
      },
      {
        title: 'Latency',
        unit: 'ms',
        scale: 'auto',
        categories: names,
        series: [
          { name: 'p50', color: COLORS.p50, values: result.results.map((e) => e.latencyMs.p50) },
          { name: 'p99', color: COLORS.p99, values: result.results.map((e) => e.latencyMs.p99) },
        ],
        references: [
          { value: 50, label: 'search p99 target 50 ms' },
          { value: 5, label: 'cached detail p99 target 5 ms' },
        ],
      },
    ],
    `${result.connections} connections, ${result.seconds} s per case · ${when(result.at)}`,
  );
  return { markdown, svg, targets };
}

function cartSection(result: CartResult): Section {
  const targets: TargetRow[] = [
    {
      benchmark: 'cart',
      target: "GET /api/cart ≥ 70% of the floor's throughput",
      result: `${fmt(result.ratio * 100, 1)}%`,
      verdict: mark(result.ratio >= 0.7),
    },
    {
      benchmark: 'cart',
      target: 'GET /api/cart p99 < 10 ms',
      result: `${fmt(result.cart.p99Ms, 2)} ms`,
      verdict: mark(result.cart.p99Ms < 10),
    },
  ];
  const rows: Array<[string, string, CartFigures]> = [
    ['floor (constant JSON, bare Express)', 'floor', result.floor],
    ['cart `GET /api/cart`', 'cart', result.cart],
  ];
  if (result.bffHealthz) rows.push(['BFF `/healthz` (diagnostic)', 'BFF /healthz', result.bffHealthz]);
  const markdown = [
    `bench/cart.ts: \`GET /api/cart\` for the demo user with a 5-line cart, beside a floor (bench/floor-server.ts: the ` +
      `same bytes from bare Express), each behind its own identical nginx with the Lua token check; ` +
      `${result.connections} connections, ${result.seconds} s each after a warm-up. Measured ${when(result.date)}. ` +
      `Details: [cart.md](cart.md).`,
    '',
    table(
      ['run', 'requests/s', 'mean ms', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors'],
      rows.map(([label, , figures]) => [
        label,
        fmt(figures.requestsPerSecond),
        fmt(figures.meanMs, 2),
        fmt(figures.p50Ms, 2),
        fmt(figures.p99Ms, 2),
        fmt(figures.maxMs, 2),
        fmt(figures.non2xx),
        fmt(figures.errors),
      ]),
    ),
    '',
    `Ratio cart / floor: **${fmt(result.ratio, 3)}**.`,
    '',
    targetTable(targets),
  ].join('\n');
  const labels = rows.map(([, short]) => short);
  const svg = renderBarChart(
    'Cart read vs floor',
    [
      {
        title: 'Throughput',
        unit: 'requests/s',
        categories: labels,
        series: [
          {
            name: 'requests/s',
            color: COLORS.throughput,
            values: rows.map(([, , f]) => f.requestsPerSecond),
          },
        ],
        references: [{ value: 0.7 * result.floor.requestsPerSecond, label: '70% of floor' }],
      },
      {
        title: 'Latency',
        unit: 'ms',
        scale: 'auto',
        categories: labels,
        series: [
          { name: 'p50', color: COLORS.p50, values: rows.map(([, , f]) => f.p50Ms) },
          { name: 'p99', color: COLORS.p99, values: rows.map(([, , f]) => f.p99Ms) },
        ],
        references: [{ value: 10, label: 'cart p99 target 10 ms' }],
      },
    ],
    `${result.connections} connections, ${result.seconds} s each · ratio ${fmt(result.ratio, 3)} · ${when(result.date)}`,
  );
  return { markdown, svg, targets };
}

function ordersSection(result: OrdersResult): Section {
  const { spread, hot } = result;
  const targets: TargetRow[] = [
    {
      benchmark: 'orders',
      target: '≥ 300 confirmed orders/s end to end',
      result: `${fmt(spread.confirmedPerSecondEndToEnd)} /s`,
      verdict: mark(spread.confirmedPerSecondEndToEnd >= 300),
    },
  ];
  if (hot) {
    const standard = hot.orders === 1000 && hot.stock === 100;
    const shape = standard
      ? ''
      : ` (ran ${fmt(hot.orders)} orders on ${fmt(hot.stock)} units, not 1,000 on 100)`;
    targets.push(
      {
        benchmark: 'orders',
        target: 'hot product (1,000 orders, 100 in stock) settled in < 10 s',
        result: `${fmt(hot.settledInSeconds, 2)} s${shape}`,
        verdict: mark(standard && hot.settledInSeconds < 10),
      },
      {
        benchmark: 'orders',
        target: 'hot product: exactly 100 confirmed, stock 0',
        result: `${fmt(hot.confirmed)} confirmed, ${fmt(hot.rejected)} rejected, stock left ${fmt(hot.stockLeft)}`,
        verdict: mark(standard && hot.confirmed === 100 && hot.stockLeft === 0),
      },
    );
  } else {
    targets.push({ benchmark: 'orders', target: 'hot product case', result: 'not run', verdict: '❌' });
  }
  const markdown = [
    `bench/orders.ts against the stack (fake payment gateway at zero latency): ${fmt(spread.orders)} orders over 500 ` +
      `products fired at ${spread.connections} connections (after an unmeasured warm-up of 500 orders), then followed ` +
      `to their final state in the database; then the hot-product case. Worker concurrency ` +
      `${result.workerConcurrency}. Measured ${when(result.date)}. Where the time goes, and what each change ` +
      `gained: [orders.md](orders.md#throughput).`,
    '',
    table(
      ['spread', 'value'],
      [
        [
          'accepted (202)',
          `${fmt(spread.accepted)} of ${fmt(spread.orders)} (non-2xx ${fmt(spread.non2xx)}, errors ${fmt(spread.errors)})`,
        ],
        ['accepted orders/s at the BFF', fmt(spread.acceptedPerSecond)],
        [
          '`POST /api/orders` p50 / p99',
          `${fmt(spread.placeLatencyMs.p50)} / ${fmt(spread.placeLatencyMs.p99)} ms`,
        ],
        ['confirmed', fmt(spread.confirmed)],
        ['**confirmed orders/s end to end**', `**${fmt(spread.confirmedPerSecondEndToEnd)}**`],
        [
          'accept → confirmed p50 / p99',
          `${fmt(spread.acceptToConfirmedMs.p50)} / ${fmt(spread.acceptToConfirmedMs.p99)} ms`,
        ],
      ],
      ['---', '---'],
    ),
    '',
    hot
      ? table(
          ['hot product', 'value'],
          [
            ['orders / units in stock', `${fmt(hot.orders)} / ${fmt(hot.stock)}`],
            ['confirmed / rejected', `${fmt(hot.confirmed)} / ${fmt(hot.rejected)}`],
            ['stock left', fmt(hot.stockLeft)],
            ['all settled in', `${fmt(hot.settledInSeconds, 2)} s`],
          ],
          ['---', '---'],
        )
      : '_Hot-product case not run._',
    '',
    targetTable(targets),
  ].join('\n');
  const panels: ChartPanel[] = [
    {
      title: 'Orders/s',
      unit: 'orders/s',
      categories: ['accepted (BFF)', 'confirmed (end to end)'],
      series: [
        {
          name: 'orders/s',
          color: COLORS.throughput,
          values: [spread.acceptedPerSecond, spread.confirmedPerSecondEndToEnd],
        },
      ],
      references: [{ value: 300, label: 'target 300 confirmed/s' }],
    },
    {
      title: 'Latency',
      unit: 'ms',
      scale: 'auto',
      categories: ['POST /api/orders', 'accept → confirmed'],
      series: [
        {
          name: 'p50',
          color: COLORS.p50,
          values: [spread.placeLatencyMs.p50, spread.acceptToConfirmedMs.p50],
        },
        {
          name: 'p99',
          color: COLORS.p99,
          values: [spread.placeLatencyMs.p99, spread.acceptToConfirmedMs.p99],
        },
      ],
    },
  ];
  if (hot) {
    panels.push({
      title: `Hot product (${fmt(hot.confirmed)} of ${fmt(hot.orders)} confirmed)`,
      unit: 'seconds',
      categories: ['all settled'],
      series: [{ name: 'seconds', color: COLORS.other, values: [hot.settledInSeconds] }],
      references: [{ value: 10, label: 'target 10 s' }],
    });
  }
  const svg = renderBarChart(
    'Orders end to end',
    panels,
    `${fmt(spread.orders)} orders at ${spread.connections} connections · ${when(result.date)}`,
  );
  return { markdown, svg, targets };
}

function scalingSection(result: ScalingResult): Section {
  const runs = [...result.runs].sort((a, b) => a.workers - b.workers);
  const base = runs.find((run) => run.workers === 1)?.confirmedPerSecond;
  const counts = new Set(runs.map((run) => run.workers));
  const covered = [1, 2, 4].every((count) => counts.has(count));
  const targets: TargetRow[] = [
    {
      benchmark: 'worker scaling',
      target: 'measured with 1, 2 and 4 worker processes',
      result: runs.map((run) => `${run.workers}: ${fmt(run.confirmedPerSecond)}/s`).join(', '),
      verdict: mark(covered),
    },
  ];
  const markdown = [
    `bench/worker-scaling.ts starts its own stack (fresh database, own Redis prefix, one BFF, nginx, in-process fake ` +
      `payment gateway) and runs bench/orders.ts (${fmt(result.settings.orders)} orders, ${result.settings.connections} ` +
      `connections, no hot product) with 1, 2 and 4 worker processes (WORKER_QUEUES=all, concurrency ` +
      `${result.settings.workerConcurrencyPerProcess} each), after a warm-up. Measured ${when(result.date)}.`,
    '',
    table(
      [
        'worker processes',
        'confirmed orders/s',
        'vs 1 process',
        'accept→confirmed p50 ms',
        'p99 ms',
        'accepted/s (BFF)',
        'POST p99 ms',
        'load avg before',
      ],
      runs.map((run) => [
        String(run.workers),
        fmt(run.confirmedPerSecond),
        base ? `×${fmt(run.confirmedPerSecond / base, 2)}` : 'n/a',
        fmt(run.acceptToConfirmedMs.p50),
        fmt(run.acceptToConfirmedMs.p99),
        fmt(run.acceptedPerSecond),
        fmt(run.placeLatencyMs.p99),
        run.loadAverageBefore.map((value) => value.toFixed(2)).join(' '),
      ]),
    ),
    '',
    targetTable(targets),
  ].join('\n');
  const categories = runs.map((run) => `${run.workers} process${run.workers === 1 ? '' : 'es'}`);
  const svg = renderBarChart(
    'Worker scaling',
    [
      {
        title: 'Orders/s',
        unit: 'orders/s',
        categories,
        series: [
          {
            name: 'confirmed/s (end to end)',
            color: COLORS.throughput,
            values: runs.map((run) => run.confirmedPerSecond),
          },
          {
            name: 'accepted/s (BFF)',
            color: COLORS.throughput2,
            values: runs.map((run) => run.acceptedPerSecond),
          },
        ],
      },
      {
        title: 'Accept → confirmed',
        unit: 'ms',
        scale: 'auto',
        categories,
        series: [
          { name: 'p50', color: COLORS.p50, values: runs.map((run) => run.acceptToConfirmedMs.p50) },
          { name: 'p99', color: COLORS.p99, values: runs.map((run) => run.acceptToConfirmedMs.p99) },
        ],
      },
    ],
    `${fmt(result.settings.orders)} orders at ${result.settings.connections} connections per run · ${when(result.date)}`,
  );
  return { markdown, svg, targets };
}

const kb = (bytes: number | null | undefined): string =>
  bytes === null || bytes === undefined ? 'n/a' : `${fmt(bytes / 1000, 1)} KB`;

function adminConsoleSection(result: AdminConsoleResult): Section {
  const { firstPage, floor, dashboard } = result;
  const limit = result.targets.firstPageMaxBytes;
  const bytes = firstPage.bytes;
  const gzipNote = firstPage.notGzipped.length > 0 ? `; not gzipped: ${firstPage.notGzipped.join(', ')}` : '';
  const interactive = firstPage.timings.interactiveMs;
  const targets: TargetRow[] = [
    {
      benchmark: 'admin console',
      target: `first page (sign-in: HTML + JS + CSS) ≤ ${fmt(limit / 1000)} KB compressed`,
      result: `${kb(bytes.page)} (JS ${kb(bytes.js)}, CSS ${kb(bytes.css)}, HTML ${kb(bytes.html)})${gzipNote}`,
      verdict: mark(bytes.page <= limit),
    },
    {
      benchmark: 'admin console',
      target: "report the sign-in page's time to interactive, cold, local stack",
      result:
        `p50 ${fmt(interactive.p50)} ms, p90 ${fmt(interactive.p90)} ms (static floor p50 ` +
        `${fmt(floor.timings.interactiveMs.p50)} ms); dashboard chart p50 ${fmt(dashboard.chartMs.p50)} ms after sign-in`,
      verdict: 'ℹ️',
    },
  ];
  const chunks = dashboard.bytes.js + dashboard.bytes.css;
  const timingRow = (label: string, timings: ConsoleTimings): string[] => {
    const cell = (figures: TimingStats | null) =>
      figures ? `${fmt(figures.p50)} / ${fmt(figures.p90)}` : 'n/a';
    return [
      label,
      cell(timings.submitReadyMs),
      cell(timings.domInteractiveMs),
      cell(timings.firstContentfulPaintMs),
      cell(timings.loadEventEndMs),
      `**${cell(timings.interactiveMs)}**`,
    ];
  };
  const markdown = [
    `bench/admin-console.ts: the console's sign-in page (\`${firstPage.path}\`) loaded cold from the stack's gateway in ` +
      `Debian's ${result.browser} (playwright-core, headless; a new browser context for every load, cache disabled), ` +
      `${fmt(result.runs)} times, then signing in as the demo admin and waiting for the dashboard's sales chart, ` +
      `${fmt(dashboard.runs)} times (sign-ins spaced 3.1 s apart: the gateway allows 20 a minute). Sizes are the bytes ` +
      `as transferred (nginx's gzip_static: the Content-Length of the .gz file), bodies only. Times are from navigation ` +
      'start, read in the page: *submit enabled* when a `button[type=submit]` is in the document and enabled; ' +
      "*interactive* the latest of that, first contentful paint, the load event's end and the end of the last long task " +
      '(> 50 ms). **Floor** (baseline, same run, loaded in turn with the console): the same sign-in page without ' +
      'JavaScript, i.e. the DOM the console rendered saved as static HTML with the same stylesheet, served at ' +
      `\`${firstPage.path}\` by a second nginx with the gateway's configuration (nginx/render.ts). Console build ` +
      `\`${result.build.hash}\`. Measured ${when(result.date)}${loadNote(result.machine)}.`,
    '',
    table(
      ['transferred (compressed)', 'HTML', 'JS', 'CSS', 'total', 'uncompressed'],
      [
        [
          `sign-in page, first load`,
          kb(bytes.html),
          kb(bytes.js),
          kb(bytes.css),
          `**${kb(bytes.page)}**`,
          kb(firstPage.decodedBytes.page),
        ],
        [
          'floor: the same page, static',
          kb(floor.bytes.html),
          kb(floor.bytes.js),
          kb(floor.bytes.css),
          kb(floor.bytes.page),
          'n/a',
        ],
        [
          'dashboard, loaded after sign-in (chunks)',
          '–',
          kb(dashboard.bytes.js),
          kb(dashboard.bytes.css),
          kb(chunks),
          kb(dashboard.decodedBytes.js + dashboard.decodedBytes.css),
        ],
      ],
    ),
    '',
    `The dashboard's largest chunk: ${
      dashboard.largestChunk
        ? `\`${dashboard.largestChunk.path.replace(/^.*\//, '')}\`, ${kb(dashboard.largestChunk.bytes)} ` +
          `(${kb(dashboard.largestChunk.decodedBytes)} uncompressed)`
        : 'n/a'
    }; its API answers add ${kb(dashboard.bytes.api)}.`,
    '',
    table(
      [
        'cold load, ms p50 / p90',
        'submit enabled',
        'DOM interactive',
        'first contentful paint',
        'load event end',
        'interactive',
      ],
      [timingRow('sign-in page', firstPage.timings), timingRow('floor (static page)', floor.timings)],
    ),
    '',
    `Dashboard, from the sign-in form's submit (p50 / p90): sign-in answered ` +
      `${fmt(dashboard.signedInMs.p50)} / ${fmt(dashboard.signedInMs.p90)} ms (\`POST /api/auth/browser-session\`, with the password check), ` +
      `sales chart drawn **${fmt(dashboard.chartMs.p50)} / ${fmt(dashboard.chartMs.p90)} ms**.`,
    '',
    targetTable(targets),
  ].join('\n');
  const svg = renderBarChart(
    'Admin console: first load',
    [
      {
        title: 'Transferred (compressed)',
        unit: 'KB',
        categories: ['sign-in page', 'floor page', 'dashboard chunks'],
        series: [
          {
            name: 'JS',
            color: COLORS.throughput,
            values: [bytes.js / 1000, floor.bytes.js / 1000, dashboard.bytes.js / 1000],
          },
          {
            name: 'CSS',
            color: COLORS.throughput2,
            values: [bytes.css / 1000, floor.bytes.css / 1000, dashboard.bytes.css / 1000],
          },
          { name: 'HTML', color: COLORS.other, values: [bytes.html / 1000, floor.bytes.html / 1000, null] },
        ],
        references: [{ value: limit / 1000, label: `first page target ${fmt(limit / 1000)} KB` }],
      },
      {
        title: 'Time',
        unit: 'ms',
        categories: ['floor interactive', 'sign-in interactive', 'submit → chart'],
        series: [
          {
            name: 'p50',
            color: COLORS.p50,
            values: [floor.timings.interactiveMs.p50, interactive.p50, dashboard.chartMs.p50],
          },
          {
            name: 'p90',
            color: COLORS.p99,
            values: [floor.timings.interactiveMs.p90, interactive.p90, dashboard.chartMs.p90],
          },
        ],
      },
    ],
    `${fmt(result.runs)} cold loads each in ${result.browser} · first page ${kb(bytes.page)} · ${when(result.date)}`,
  );
  return { markdown, svg, targets };
}

const loadList = (values: number[] | undefined): string =>
  values && values.length > 0 ? values.map((value) => value.toFixed(2)).join(' ') : 'n/a';

function clusterSection(result: ClusterResult): Section {
  const { single, cluster } = result.modes;
  const { settings, ratios, costs } = result;
  const percent = (ratio: number) => `${fmt(ratio * 100, 1)} %`;
  const targets: TargetRow[] = [
    {
      benchmark: 'cluster',
      target: `confirmed orders/s on the local Redis Cluster ≥ ${percent(result.target)} of one Redis`,
      result: `${fmt(cluster.confirmedPerSecond)} vs ${fmt(single.confirmedPerSecond)}/s (${percent(ratios.orders)})`,
      verdict: mark(ratios.orders >= result.target),
    },
    {
      benchmark: 'cluster',
      target: `cart reads/s on the local Redis Cluster ≥ ${percent(result.target)} of one Redis`,
      result: `${fmt(cluster.cartReadsPerSecond)} vs ${fmt(single.cartReadsPerSecond)}/s (${percent(ratios.cartReads)})`,
      verdict: mark(ratios.cartReads >= result.target),
    },
  ];
  const modeRow = (name: string, figures: ClusterModeFigures): string[] => [
    name,
    fmt(figures.confirmedPerSecond),
    `${fmt(figures.acceptToConfirmedMs.p50)} / ${fmt(figures.acceptToConfirmedMs.p99)}`,
    fmt(figures.acceptedPerSecond),
    fmt(figures.cartReadsPerSecond),
    `${fmt(figures.cartMs.p50, 1)} / ${fmt(figures.cartMs.p99, 1)}`,
  ];
  const roles = [
    ...new Set([...Object.keys(costs.single.perOrder.cpu), ...Object.keys(costs.cluster.perOrder.cpu)]),
  ].sort((a, b) => (a === 'bff' ? -1 : b === 'bff' ? 1 : 0));
  const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);
  const costRow = (label: string, pick: (cost: ClusterCosts) => number | null, digits = 2): string[] => [
    label,
    fmt(pick(costs.single.perOrder), digits),
    fmt(pick(costs.cluster.perOrder), digits),
    fmt(pick(costs.single.perCartRead), digits),
    fmt(pick(costs.cluster.perCartRead), digits),
  ];
  const sql = (key: keyof ClusterCosts['sql']['total']) => (cost: ClusterCosts) => cost.sql.total[key];
  const topCommands = (cost: ClusterCosts) =>
    Object.entries(cost.redis.byCommand)
      .slice(0, 8)
      .map(([command, calls]) => `${command} ${fmt(calls, 2)}`)
      .join(', ');
  const markdown = [
    `bench/cluster.ts starts two stacks side by side (bench/lib/stack.ts: own database, fresh secrets, one BFF, ` +
      `the nginx gateway; worker processes: ${settings.workerProcesses}): one on ${settings.single}, one on a local Redis Cluster ` +
      `(${settings.cluster}, scripts/redis-cluster.sh). After a warm-up (${fmt(settings.warmupOrders)} orders and a ` +
      `few seconds of cart reads on each) it runs ${settings.rounds} round(s), each the orders benchmark ` +
      `(bench/orders.ts: ${fmt(settings.orders)} orders over 500 products at ${settings.connections} connections, ` +
      `confirmed orders/s end to end) on one stack, then the other, then \`GET /api/cart\` through each gateway ` +
      `(the demo user's 5-line cart, warm, ${settings.connections} connections, ${settings.cartSeconds} s), so the ` +
      `machine's noise falls on both. Figures are means over the rounds. Machine: ${result.machine.cpus} × ` +
      `${result.machine.cpuModel}, everything (load generator included) on it; load average ` +
      `${loadList(result.machine.loadAverageAtStart)} at the start, ${loadList(result.machine.loadAverage)} at the ` +
      `end (a load above 2 is other work sharing the machine: then single rounds move by a fifth or more, so ` +
      `compare the two modes within a round and over several rounds). Measured ${when(result.date)} ` +
      `(${fmt(result.seconds)} s).`,
    '',
    table(
      [
        'mode',
        'confirmed orders/s',
        'accept→confirmed p50 / p99 ms',
        'accepted/s (BFF)',
        'cart reads/s',
        'cart p50 / p99 ms',
      ],
      [
        modeRow('one Redis', single),
        modeRow('Redis Cluster (3 primaries)', cluster),
        [
          '**cluster / one Redis**',
          `**${percent(ratios.orders)}** ${mark(ratios.orders >= result.target)}`,
          '',
          '',
          `**${percent(ratios.cartReads)}** ${mark(ratios.cartReads >= result.target)}`,
          '',
        ],
      ],
    ),
    '',
    single.failures + cluster.failures === 0
      ? 'Every order of every run was accepted and confirmed; every cart read answered 200.'
      : `⚠️ ${fmt(single.failures + cluster.failures)} failures (non-2xx, errors, or orders accepted but not confirmed).`,
    '',
    table(
      [
        'round',
        'mode',
        'confirmed orders/s',
        'accept→confirmed p50 ms',
        'cart reads/s',
        'cart p99 ms',
        'load avg before',
      ],
      result.runs.map((run) => [
        String(run.round),
        run.mode === 'single' ? 'one Redis' : 'cluster',
        fmt(run.orders.confirmedPerSecond),
        fmt(run.orders.acceptToConfirmedMs.p50),
        fmt(run.cart.requestsPerSecond),
        fmt(run.cart.p99Ms, 1),
        loadList(run.loadAverageBefore),
      ]),
    ),
    '',
    'What one order and one cart read cost, summed over the measured rounds and divided by the confirmed orders or ' +
      "the cart reads: each process's CPU time (`process.cpuUsage()`) and SQL (mysql2's diagnostics channels), both " +
      'read by bench/lib/process-probe.js, preloaded into every process of the stacks; Redis commands from each ' +
      "primary's INFO commandstats (a script's inner commands count as well as the EVALSHA; a replica's replayed " +
      "writes are not counted again) and CPU from INFO used_cpu; the database server's CPU from /proc (machine-wide: " +
      "whatever else the server did meanwhile counts too). A process's CPU includes its idle work during the run " +
      "(queue polling, timers), and the orders window includes the benchmark's own login, product set-up and " +
      'settling. Per order in ms, per cart read in µs.',
    '',
    table(
      [
        'cost',
        'per order, one Redis',
        'per order, cluster',
        'per cart read, one Redis',
        'per cart read, cluster',
      ],
      [
        ...roles.map((role) =>
          costRow(
            role === 'bff' ? 'BFF CPU (ms / µs)' : `worker ${role} CPU (ms / µs)`,
            (cost) => cost.cpu[role] ?? null,
          ),
        ),
        costRow('Redis commands (all primaries)', (cost) => cost.redis.commands),
        costRow('Redis CPU, all primaries (ms / µs)', (cost) => sum(cost.redis.cpuByNode)),
        costRow('Redis CPU, busiest primary (ms / µs)', (cost) =>
          Math.max(0, ...Object.values(cost.redis.cpuByNode)),
        ),
        costRow('Redis CPU, replicas (ms / µs)', (cost) => cost.redis.replicasCpu ?? null),
        costRow('SQL round trips', sql('roundTrips')),
        costRow('SQL statements', sql('statements')),
        costRow('… plain SELECT', sql('select')),
        costRow('… locking SELECT (FOR UPDATE)', sql('lockingSelect')),
        costRow('… INSERT / UPDATE / DELETE', sql('write')),
        costRow('… BEGIN / COMMIT / ROLLBACK', sql('transaction')),
        costRow('database server CPU (ms / µs, machine-wide)', (cost) => cost.databaseServerCpu),
      ],
    ),
    '',
    `Redis commands per order, one Redis: ${topCommands(costs.single.perOrder)}. On the cluster: ` +
      `${topCommands(costs.cluster.perOrder)}. Per cart read, one Redis: ${topCommands(costs.single.perCartRead)}; ` +
      `cluster: ${topCommands(costs.cluster.perCartRead)}.`,
    '',
    targetTable(targets),
  ].join('\n');
  const categories = ['one Redis', 'Redis Cluster'];
  const svg = renderBarChart(
    'Redis Cluster beside one Redis',
    [
      {
        title: 'Confirmed orders/s',
        unit: 'orders/s',
        categories,
        series: [
          {
            name: 'confirmed/s (end to end)',
            color: COLORS.throughput,
            values: [single.confirmedPerSecond, cluster.confirmedPerSecond],
          },
        ],
        references: [
          {
            value: single.confirmedPerSecond * result.target,
            label: `${percent(result.target)} of one Redis`,
          },
        ],
      },
      {
        title: 'Cart reads/s',
        unit: 'requests/s',
        categories,
        series: [
          {
            name: 'GET /api/cart',
            color: COLORS.throughput2,
            values: [single.cartReadsPerSecond, cluster.cartReadsPerSecond],
          },
        ],
        references: [
          {
            value: single.cartReadsPerSecond * result.target,
            label: `${percent(result.target)} of one Redis`,
          },
        ],
      },
    ],
    `${settings.rounds} alternating round(s) · ${fmt(settings.orders)} orders and ${settings.cartSeconds} s of cart reads each · ${when(result.date)}`,
  );
  return { markdown, svg, targets };
}

function targetTable(targets: TargetRow[]): string {
  return table(
    ['target', 'result', ''],
    targets.map((row) => [row.target, row.result, row.verdict]),
    ['---', '---', ':---:'],
  );
}

const TITLES: Record<BenchmarkName, string> = {
  gateway: 'Gateway: the cost of the Lua token check',
  catalogue: 'Catalogue reads',
  cart: 'Cart reads vs the floor',
  orders: 'Orders end to end',
  'worker-scaling': 'Worker scaling',
  'admin-console': 'Admin console: first load',
  cluster: 'Redis Cluster beside one Redis',
};

const RESULT_FILES: Record<BenchmarkName, string> = {
  gateway: 'gateway.json',
  catalogue: 'catalogue.json',
  cart: 'cart.json',
  orders: 'orders.json',
  'worker-scaling': 'worker-scaling.json',
  'admin-console': 'admin-console.json',
  cluster: 'cluster.json',
};

async function loadJson<T>(file: string): Promise<Loaded<T>> {
  if (!existsSync(file)) return { problem: 'not run yet (no results file)' };
  try {
    return { data: JSON.parse(await readFile(file, 'utf8')) as T };
  } catch (error) {
    return { problem: `could not read ${path.basename(file)}: ${(error as Error).message}` };
  }
}

function renderSection(name: BenchmarkName, data: unknown, run: RunRecord | undefined): Section {
  switch (name) {
    case 'gateway':
      return gatewaySection(data as GatewayResult);
    case 'catalogue':
      return catalogueSection(data as CatalogueResult, run?.stack.products);
    case 'cart':
      return cartSection(data as CartResult);
    case 'orders':
      return ordersSection(data as OrdersResult);
    case 'worker-scaling':
      return scalingSection(data as ScalingResult);
    case 'admin-console':
      return adminConsoleSection(data as AdminConsoleResult);
    case 'cluster':
      return clusterSection(data as ClusterResult);
  }
}

export interface ReportPaths {
  resultsDir: string;
  /** docs/: BENCHMARKS.md goes here, the charts into docs/benchmarks/. */
  docsDir: string;
}

const REPRODUCE = `\`\`\`sh
npm start                                  # terminal 1: the stack (gateway on 127.0.0.1:8080)
npm run seed -- --products 100000          # once: the catalogue benchmark needs ≥ 100,000 products
npm run bench                              # every benchmark in turn, then rewrites this file (~10 min)
npx tsx bench/run-all.ts --report-only     # only re-render this file and the charts from bench/results/*.json
\`\`\`

Options (environment): \`BENCH_URL\` (the stack's gateway, default http://127.0.0.1:8080), \`BENCH_SECONDS\` and
\`BENCH_CONNECTIONS\` (per-benchmark defaults: 20 s / 12 s, 50 connections), \`BENCH_SEED=1\` (seed the 100,000
products when missing), \`BENCH_SCALING=0\` (skip worker scaling, which starts a stack of its own and takes a few
minutes), \`BENCH_CLUSTER=0\` (skip the cluster benchmark: two stacks and a local Redis Cluster on ports 7500-7506,
~4 minutes), \`BENCH_RESULTS_DIR\`. Flags: \`--only gateway,cart\` (a subset), \`--isolated\` (start a throw-away stack
with bench/lib/stack.ts, own database \`vm_bench_all\`, Redis prefix and free ports, instead of using the running
one). Each script can also be run alone: \`npx tsx bench/<name>.ts\`. The admin console's benchmark drives Debian's
chromium (\`/usr/bin/chromium\`, \`CHROMIUM_PATH\` overrides) and signs in as the demo admin (\`DEMO_ACCOUNTS=true\`).`;

/** Writes docs/BENCHMARKS.md and docs/benchmarks/<name>.svg from the results directory. */
export async function writeReport(
  paths: ReportPaths,
  fallbackMachine?: () => Promise<MachineInfo>,
): Promise<string> {
  const runFile = await loadJson<RunRecord>(path.join(paths.resultsDir, 'run.json'));
  const run = runFile.data;
  const machine = run?.machine ?? (fallbackMachine ? await fallbackMachine() : collectMachineInfo());
  const chartsDir = path.join(paths.docsDir, 'benchmarks');
  await mkdir(chartsDir, { recursive: true });

  const sections: string[] = [];
  const allTargets: TargetRow[] = [];
  for (const name of BENCHMARKS) {
    const loaded = await loadJson(path.join(paths.resultsDir, RESULT_FILES[name]));
    const status = run?.benchmarks.find((entry) => entry.name === name);
    const note = status?.note ? ` (${status.note})` : '';
    let warning = '';
    if (status?.status === 'failed') {
      warning =
        `> ⚠️ This benchmark **failed** in the run of ${when(run?.startedAt)}${note}` +
        (loaded.data ? '; the figures below are from an earlier run.\n\n' : '.\n\n');
    } else if (status?.status === 'skipped' && loaded.data) {
      warning = `> Not run in the run of ${when(run?.startedAt)}${note}: the figures below are from an earlier run.\n\n`;
    }
    let body: string;
    if (!loaded.data) {
      body = `_${loaded.problem ?? 'no results'}_`;
    } else {
      try {
        const section = renderSection(name, loaded.data, run);
        await writeFile(path.join(chartsDir, `${name}.svg`), section.svg ?? '');
        allTargets.push(...section.targets);
        body = `${section.markdown}\n\n${chartLink(name)}`;
      } catch (error) {
        body = `_could not render ${RESULT_FILES[name]}: ${(error as Error).message}_`;
      }
    }
    sections.push(`## ${TITLES[name]}\n\n${warning}${body}`);
  }

  const loadAverage = run
    ? `${run.loadAverage.start.map((value) => value.toFixed(2)).join(' ')} at the start` +
      (run.loadAverage.end
        ? `, ${run.loadAverage.end.map((value) => value.toFixed(2)).join(' ')} at the end`
        : '')
    : '';
  const header = [
    '# Benchmarks',
    '',
    '<!-- Generated by bench/run-all.ts (npm run bench) from bench/results/*.json: edit bench/lib/report.ts, not this file. -->',
    '',
    run
      ? `Last run: **${when(run.startedAt)}**${run.finishedAt ? ` → ${when(run.finishedAt)}` : ''}, against ` +
        (run.stack.kind === 'own'
          ? 'stacks the benchmarks started themselves'
          : `${run.stack.kind === 'isolated' ? 'an isolated stack started by the run' : 'the running stack'} at ${run.stack.url}`) +
        `${run.stack.products !== undefined ? ` (${fmt(run.stack.products)} active products)` : ''}. ` +
        'Each section gives the date of its own figures.'
      : `Rendered ${when(new Date().toISOString())} from existing results (no run record): each section gives the date of its figures.`,
    '',
    '| machine | |',
    '|---|---|',
    `| CPU | ${machine.cpus} × ${machine.cpuModel} |`,
    `| memory | ${fmt(machine.memoryGiB, 1)} GiB |`,
    `| OS | ${machine.os} (${machine.kernel}) |`,
    `| Node.js | ${machine.node} |`,
    `| MariaDB | ${machine.mariadb} |`,
    `| Redis | ${machine.redis} |`,
    `| nginx | ${machine.nginx} |`,
    ...(run
      ? [
          `| load average (1/5/15 min) | ${loadAverage} |`,
          ...Object.entries(run.settings).map(([key, value]) => `| ${key} | ${value} |`),
        ]
      : []),
    '',
    'The load generator (autocannon), nginx, the BFF, the workers, MariaDB and Redis all share this machine, so ' +
      'absolute figures are bounded by its cores; on a shared machine they also move with whatever else runs. ' +
      'Compare figures within one section (each has its own floor or baseline) rather than across runs.',
    '',
    '## Summary',
    '',
    allTargets.length > 0
      ? table(
          ['benchmark', 'target', 'result', ''],
          allTargets.map((row) => [row.benchmark, row.target, row.result, row.verdict]),
          ['---', '---', '---', ':---:'],
        )
      : '_No results yet: run `npm run bench`._',
    '',
    '## How to reproduce',
    '',
    REPRODUCE,
  ];
  const markdown = `${[...header, '', sections.join('\n\n')].join('\n')}\n`;
  const output = path.join(paths.docsDir, 'BENCHMARKS.md');
  await writeFile(output, markdown);
  return output;
}
