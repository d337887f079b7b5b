import { DOMAIN_NAMES, type DomainName } from '../queues';
import { ConfigError } from '../shared/config';

export interface DomainPlan {
  domain: DomainName;
  concurrency: number;
}

/**
 * Which domains this process runs, from `WORKER_QUEUES=orders,stock` (or `all`), each with the concurrency
 * `WORKER_CONCURRENCY_<DOMAIN>` or else `WORKER_CONCURRENCY`.
 */
export function planWorkers(
  workerQueues: string,
  defaultConcurrency: number,
  env: NodeJS.ProcessEnv,
): DomainPlan[] {
  const names =
    workerQueues.trim() === 'all'
      ? DOMAIN_NAMES
      : workerQueues
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean);
  const problems: string[] = [];
  const plan: DomainPlan[] = [];
  for (const name of new Set(names)) {
    if (!(DOMAIN_NAMES as string[]).includes(name)) {
      problems.push(`WORKER_QUEUES names unknown domain "${name}" (known: ${DOMAIN_NAMES.join(', ')})`);
      continue;
    }
    const variable = `WORKER_CONCURRENCY_${name.toUpperCase()}`;
    const raw = env[variable];
    const concurrency = raw === undefined || raw === '' ? defaultConcurrency : Number(raw);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000) {
      problems.push(`${variable} is invalid (an integer from 1 to 1000)`);
      continue;
    }
    plan.push({ domain: name as DomainName, concurrency });
  }
  if (plan.length === 0 && problems.length === 0) problems.push('WORKER_QUEUES names no domain');
  if (problems.length > 0) throw new ConfigError(problems);
  return plan;
}
