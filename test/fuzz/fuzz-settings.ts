/**
 * How big a fuzz run is and how to replay one. `npm test` runs a fixed seed and a few cases per
 * operation; `npm run fuzz` sets FUZZ_RUNS higher and a fresh seed unless FUZZ_SEED is given. Every run
 * prints its seed, and a failure prints the fast-check path of the failing case, so
 * `FUZZ_SEED=<seed> FUZZ_PATH=<path> FUZZ_OPERATIONS='<operation>'` replays exactly that case.
 */
import { MUTATION_KINDS, type MutationKind } from './openapi-arbitraries';

export interface FuzzSettings {
  seed: number;
  /** Cases per operation. */
  runs: number;
  /** Shrink a failure to a smaller request (slow when the failure is a hang: each try waits the deadline). */
  shrink: boolean;
  /** Replays one case of a failure (fast-check's path), with the same seed. */
  path?: string;
  /** Only these operations (`GET /api/products/{id}`, comma-separated); all when unset. */
  operations?: string[];
  kinds: MutationKind[];
  /** Deadline of one answer before the operation's documented wait is added. */
  answerDeadlineMs: number;
}

/** The seed of the CI-sized run: fixed, so `npm test` sends the same requests every time. */
export const CI_SEED = 1_414_2026;
export const CI_RUNS = 20;

function positiveInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative integer: ${raw}`);
  return value;
}

export function fuzzSettings(env: NodeJS.ProcessEnv = process.env): FuzzSettings {
  const kinds = env.FUZZ_KINDS ? env.FUZZ_KINDS.split(',').map((kind) => kind.trim()) : [...MUTATION_KINDS];
  const unknown = kinds.filter((kind) => !(MUTATION_KINDS as readonly string[]).includes(kind));
  if (unknown.length > 0) {
    throw new Error(
      `FUZZ_KINDS has unknown kinds ${unknown.join(', ')}; known: ${MUTATION_KINDS.join(', ')}`,
    );
  }
  return {
    seed:
      env.FUZZ_SEED === 'random'
        ? Math.floor(Math.random() * 2 ** 31)
        : positiveInteger('FUZZ_SEED', env.FUZZ_SEED, CI_SEED),
    runs: positiveInteger('FUZZ_RUNS', env.FUZZ_RUNS, CI_RUNS),
    shrink: env.FUZZ_SHRINK === '1' || env.FUZZ_SHRINK === 'true',
    path: env.FUZZ_PATH || undefined,
    operations: env.FUZZ_OPERATIONS ? env.FUZZ_OPERATIONS.split(',').map((key) => key.trim()) : undefined,
    kinds: kinds as MutationKind[],
    answerDeadlineMs: positiveInteger('FUZZ_DEADLINE_MS', env.FUZZ_DEADLINE_MS, 5000),
  };
}
