/**
 * A typed wrapper around autocannon's programmatic API for the benchmarks: one load case (a path
 * generator, so every request can differ), its figures in milliseconds, and a plain-text table.
 */
import os from 'node:os';

interface Histogram {
  average: number;
  p50: number;
  p97_5: number;
  p99: number;
  max: number;
}
interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}
interface AutocannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
  requests: Array<{ method: string; setupRequest: (request: AutocannonRequest) => AutocannonRequest }>;
}) => Promise<AutocannonResult>;
// autocannon ships no type declarations; the shape above is the part used here.
const autocannon = require('autocannon') as Autocannon;

export interface LoadCase {
  name: string;
  /** Called for every request: the path (and query) to GET. */
  nextPath: () => string;
  headers?: Record<string, string>;
  /** Called for every request when set: headers for that request only (e.g. a different token each time). */
  nextHeaders?: () => Record<string, string>;
}

export interface LoadResult {
  name: string;
  requestsPerSecond: number;
  requests: number;
  latencyMs: { average: number; p50: number; p97_5: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  durationSeconds: number;
}

/** Runs one case at `connections` for `seconds` against `baseUrl`. */
export async function runLoad(
  baseUrl: string,
  loadCase: LoadCase,
  options: { connections: number; seconds: number },
): Promise<LoadResult> {
  const result = await autocannon({
    url: baseUrl,
    connections: options.connections,
    duration: options.seconds,
    headers: loadCase.headers,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({
          ...request,
          path: loadCase.nextPath(),
          ...(loadCase.nextHeaders ? { headers: { ...request.headers, ...loadCase.nextHeaders() } } : {}),
        }),
      },
    ],
  });
  const { average, p50, p97_5, p99, max } = result.latency;
  return {
    name: loadCase.name,
    requestsPerSecond: Math.round(result.requests.average),
    requests: result.requests.total,
    latencyMs: { average, p50, p97_5, p99, max },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationSeconds: result.duration,
  };
}

/** A fixed-width table: case, req/s, p50, p97.5, p99, max, non-2xx and errors. */
export function formatTable(results: LoadResult[]): string {
  const header = ['case', 'req/s', 'p50 ms', 'p97.5 ms', 'p99 ms', 'max ms', 'non2xx', 'errors'];
  const rows = results.map((r) => [
    r.name,
    String(r.requestsPerSecond),
    String(r.latencyMs.p50),
    String(r.latencyMs.p97_5),
    String(r.latencyMs.p99),
    String(r.latencyMs.max),
    String(r.non2xx),
    String(r.errors + r.timeouts),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** What the figures were measured on: CPU count and the load average at the time. */
export function machineInfo(): { cpus: number; loadAverage: number[]; node: string } {
  return {
    cpus: os.cpus().length,
    loadAverage: os.loadavg().map((value) => Number(value.toFixed(2))),
    node: process.version,
  };
}
