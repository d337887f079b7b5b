/**
 * Catalogue read benchmark against a running stack (gateway → BFF → MariaDB/Redis) at BENCH_URL
 * (default http://127.0.0.1:8080), 50 connections, BENCH_SECONDS (12) per case, after a warm-up:
 *
 * - floor-healthz:     GET /healthz through the same nginx and BFF (no Lua token check, constant JSON):
 *                      what this machine gives at 50 connections before any catalogue work;
 * - search:            GET /api/products?q=<term>, rotating realistic terms (listing pages cached, as in
 *                      production: a page is reused for 30 s unless an admin change retires it);
 * - search-uncached:   the same terms with a maxPrice that differs on every request, so every request
 *                      misses the listing cache and runs the page query and the facet query in MariaDB;
 * - detail-cached:     GET /api/products/:id over 5 warm ids (served from the Redis detail cache);
 * - detail-uncached:   GET /api/products/:id over BENCH_DETAIL_IDS (30,000) different ids whose detail
 *                      keys are deleted from Redis first, so each request is a miss (MySQL + cache fill)
 *                      as long as the run makes fewer requests than there are ids (reported as misses).
 *
 * The uncached-detail case needs the stack's Redis: REDIS_URL and REDIS_PREFIX (from the environment or
 * .env, the same values the BFF runs with). Prints a table and writes bench/results/catalogue.json.
 * Run: npx tsx bench/catalogue.ts   (docs/catalogue.md has the whole stack set-up)
 */
import 'dotenv/config';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import { productDetailKey } from '../shared/product-cache';
import { formatTable, machineInfo, runLoad, type LoadCase, type LoadResult } from './lib/autocannon-load';

const BASE_URL = process.env.BENCH_URL ?? 'http://127.0.0.1:8080';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 12);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DETAIL_IDS = Number(process.env.BENCH_DETAIL_IDS ?? 30_000);
const WARMUP_SECONDS = 2;
const SEARCH_TERMS = [
  'galaxy',
  'macbook',
  'samsung monitor',
  'rtx 4070',
  'sony headphones',
  'ipad pro',
  'gaming mouse',
];
const TARGETS_MS: Record<string, number> = { search: 50, 'detail-cached': 5 };

async function getJson(pathname: string): Promise<any> {
  const response = await fetch(`${BASE_URL}${pathname}`);
  if (!response.ok) throw new Error(`GET ${pathname} → ${response.status} ${await response.text()}`);
  return response.json();
}

/** Product ids, newest first, by walking the listing with its cursor. */
async function collectIds(count: number): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | null = null;
  while (ids.length < count) {
    const page: { items: Array<{ id: number }>; nextCursor: string | null } = await getJson(
      `/api/products?sort=newest&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
    );
    ids.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return ids.slice(0, count);
}

function rotate<T>(values: readonly T[], render: (value: T, turn: number) => string): () => string {
  let turn = 0;
  return () => {
    const value = values[turn % values.length]!;
    turn += 1;
    return render(value, turn);
  };
}

async function deleteDetailKeys(redis: Redis, prefix: string, ids: number[]): Promise<void> {
  for (let start = 0; start < ids.length; start += 1000) {
    await redis.unlink(...ids.slice(start, start + 1000).map((id) => productDetailKey(prefix, id)));
  }
}

async function main(): Promise<void> {
  const prefix = process.env.REDIS_PREFIX ?? 'vm';
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  const results: LoadResult[] = [];
  const notes: { detailIds?: number; detailUncachedRequests?: number } = {};
  const load = { connections: CONNECTIONS, seconds: SECONDS };
  try {
    process.stderr.write(`collecting ${DETAIL_IDS} product ids from ${BASE_URL} …\n`);
    const ids = await collectIds(DETAIL_IDS);
    notes.detailIds = ids.length;
    const hotIds = ids.slice(0, 5);
    const encoded = SEARCH_TERMS.map((term) => encodeURIComponent(term));

    const cases: Array<{ loadCase: LoadCase; prepare?: () => Promise<void> }> = [
      { loadCase: { name: 'floor-healthz', nextPath: () => '/healthz' } },
      {
        loadCase: { name: 'search', nextPath: rotate(encoded, (q) => `/api/products?q=${q}`) },
        prepare: async () => {
          for (const q of encoded) await getJson(`/api/products?q=${q}`);
        },
      },
      {
        loadCase: {
          name: 'search-uncached',
          nextPath: rotate(encoded, (q, turn) => `/api/products?q=${q}&maxPrice=${100_000_000 - turn}`),
        },
      },
      {
        loadCase: { name: 'detail-cached', nextPath: rotate(hotIds, (id) => `/api/products/${id}`) },
        prepare: async () => {
          for (const id of hotIds) await getJson(`/api/products/${id}`);
        },
      },
      {
        loadCase: { name: 'detail-uncached', nextPath: rotate(ids, (id) => `/api/products/${id}`) },
        prepare: async () => deleteDetailKeys(redis, prefix, ids),
      },
    ];

    for (const { loadCase, prepare } of cases) {
      await prepare?.();
      if (loadCase.name !== 'detail-uncached') {
        // Warm the connections and the JIT; the uncached detail case skips it so no id is pre-cached.
        await runLoad(BASE_URL, loadCase, { connections: CONNECTIONS, seconds: WARMUP_SECONDS });
      }
      process.stderr.write(`running ${loadCase.name} for ${SECONDS}s at ${CONNECTIONS} connections …\n`);
      const result = await runLoad(BASE_URL, loadCase, load);
      results.push(result);
      if (loadCase.name === 'detail-uncached') notes.detailUncachedRequests = result.requests;
    }
  } finally {
    redis.disconnect();
  }

  console.log(formatTable(results));
  for (const result of results) {
    const target = TARGETS_MS[result.name];
    if (target !== undefined)
      console.log(
        `${result.name}: p99 ${result.latencyMs.p99} ms, target < ${target} ms → ${result.latencyMs.p99 < target ? 'met' : 'NOT met'}`,
      );
  }
  if ((notes.detailUncachedRequests ?? 0) > (notes.detailIds ?? 0))
    console.log('note: detail-uncached made more requests than it had ids; the excess were cache hits');

  const output = path.join(
    process.env.BENCH_RESULTS_DIR ?? path.join(__dirname, 'results'),
    'catalogue.json',
  );
  await mkdir(path.dirname(output), { recursive: true });
  await writeFile(
    output,
    `${JSON.stringify(
      {
        benchmark: 'catalogue',
        at: new Date().toISOString(),
        url: BASE_URL,
        connections: CONNECTIONS,
        seconds: SECONDS,
        searchTerms: SEARCH_TERMS,
        machine: machineInfo(),
        notes,
        results,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`written ${path.relative(process.cwd(), output)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
