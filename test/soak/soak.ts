/**
 * The soak: many random fault schedules (fault-schedule.ts) run one after another against one real stack
 * (schedule-runner.ts), then a summary. `npm run soak`; SOAK_SCHEDULES (default 20), SOAK_SEED (default:
 * from the clock, printed), SOAK_SHAPE=ci for the small schedules `npm test` runs, SOAK_SETTLE_MS (60000),
 * SOAK_FAULTS / SOAK_JOBS (comma-separated kinds, to chase one fault), SOAK_STRAY_JOBS=1 to also inject jobs
 * the flow never sent (JobInjection `stray`), SOAK_VERBOSE=1 for progress lines, SOAK_SCHEDULE_FILE=<json> to run
 * one schedule written by hand (a FaultSchedule, e.g. test/soak/reproductions/*.json) SOAK_SCHEDULES times.
 * Needs MariaDB and Redis as the tests do (scripts/ensure-services.sh). Exits 1 if any invariant broke.
 */
import { readFileSync } from 'node:fs';
import '../support/env';
import globalSetup from '../support/global-setup';
import {
  CI_SHAPE,
  FAULT_KINDS,
  SOAK_SHAPE,
  describeSchedule,
  generateSchedule,
  type FaultKind,
  type FaultSchedule,
  type ScheduleShape,
} from './fault-schedule';
import { runSchedule, startSoakStack, type ScheduleReport } from './schedule-runner';

/** SOAK_FAULTS and SOAK_JOBS (comma-separated kinds) narrow a shape, to chase one fault; SOAK_STRAY_JOBS. */
function narrowed(shape: ScheduleShape): ScheduleShape {
  const pick = <T extends string>(variable: string, all: readonly T[]): readonly T[] => {
    const wanted = process.env[variable]?.split(',').filter(Boolean);
    if (!wanted) return all;
    const unknown = wanted.filter((kind) => !all.includes(kind as T));
    if (unknown.length > 0)
      throw new Error(`${variable}: unknown ${unknown.join(', ')} (known: ${all.join(', ')})`);
    return wanted as T[];
  };
  return {
    ...shape,
    faultKinds: pick('SOAK_FAULTS', shape.faultKinds),
    jobKinds: pick('SOAK_JOBS', shape.jobKinds),
    strayJobs: process.env.SOAK_STRAY_JOBS === '1',
  };
}

async function main(): Promise<number> {
  const schedules = Number(process.env.SOAK_SCHEDULES ?? 20);
  const firstSeed = Number(process.env.SOAK_SEED ?? Date.now() % 1_000_000_000);
  const shape = narrowed(process.env.SOAK_SHAPE === 'ci' ? CI_SHAPE : SOAK_SHAPE);
  const settleWithinMs = Number(process.env.SOAK_SETTLE_MS ?? 60_000);
  if (!Number.isInteger(schedules) || schedules < 1 || !Number.isInteger(firstSeed))
    throw new Error('SOAK_SCHEDULES must be a positive integer and SOAK_SEED an integer');
  await globalSetup();
  console.log(
    `soak: ${schedules} schedule(s) from seed ${firstSeed} (${process.env.SOAK_SHAPE ?? 'soak'} shape)`,
  );

  // A schedule written by hand (JSON, FaultSchedule's shape), e.g. a failing one cut down to a reproduction.
  const written = process.env.SOAK_SCHEDULE_FILE
    ? (JSON.parse(readFileSync(process.env.SOAK_SCHEDULE_FILE, 'utf8')) as FaultSchedule)
    : undefined;
  const soak = await startSoakStack('soak', written?.workers ?? shape.workers);
  const reports: ScheduleReport[] = [];
  try {
    for (let index = 0; index < schedules; index += 1) {
      const seed = firstSeed + index;
      const schedule = written ?? generateSchedule(seed, shape);
      const report = await runSchedule(soak, schedule, {
        settleWithinMs,
        log: process.env.SOAK_VERBOSE ? (line) => console.log(line) : undefined,
      });
      reports.push(report);
      console.log(
        `${written ? process.env.SOAK_SCHEDULE_FILE : `seed ${seed}`}: ${report.orders} orders (${report.acceptedOrders} accepted), ` +
          `${report.acceptedCancels}/${report.cancelsSent} cancels accepted, ` +
          `faults ${JSON.stringify(report.faults)}, ` +
          (report.violations.length === 0
            ? `settled ${report.settledInMs} ms after the faults`
            : `${report.violations.length} VIOLATION(S)`),
      );
      if (report.violations.length > 0) {
        for (const text of report.violations) console.log(`  - ${text}`);
        console.log(describeSchedule(schedule).replace(/^/gm, '    '));
      }
    }
  } finally {
    await soak.close();
  }

  const sum = (pick: (report: ScheduleReport) => number) => reports.reduce((total, r) => total + pick(r), 0);
  const faults = Object.fromEntries(
    FAULT_KINDS.map((kind: FaultKind) => [kind, sum((report) => report.faults[kind] ?? 0)]),
  );
  const jobs: Record<string, number> = {};
  const answers: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  for (const report of reports) {
    for (const [job, n] of Object.entries(report.injectedJobs)) jobs[job] = (jobs[job] ?? 0) + n;
    for (const [answer, n] of Object.entries(report.answers)) answers[answer] = (answers[answer] ?? 0) + n;
    for (const [status, n] of Object.entries(report.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
  }
  const failed = reports.filter((report) => report.violations.length > 0);
  const settled = reports.flatMap((report) => (report.settledInMs === undefined ? [] : [report.settledInMs]));
  console.log('\nsoak summary');
  console.log(`  schedules run: ${reports.length} (seeds ${firstSeed}..${firstSeed + reports.length - 1})`);
  console.log(
    `  orders: ${sum((r) => r.orders)} (${sum((r) => r.acceptedOrders)} accepted), final states ${JSON.stringify(statuses)}`,
  );
  console.log(`  replays: ${sum((r) => r.replays)}`);
  console.log(`  answers: ${JSON.stringify(answers)}`);
  console.log(`  cancels: ${sum((r) => r.cancelsSent)} sent, ${sum((r) => r.acceptedCancels)} accepted`);
  console.log(`  faults injected by kind: ${JSON.stringify(faults)}`);
  console.log(`  jobs injected by kind: ${JSON.stringify(jobs)}`);
  if (settled.length > 0)
    console.log(
      `  settled after the faults: max ${Math.max(...settled)} ms, mean ${Math.round(settled.reduce((a, b) => a + b, 0) / settled.length)} ms`,
    );
  console.log(`  invariant violations: ${failed.length === 0 ? 'none' : ''}`);
  for (const report of failed) {
    console.log(
      `    seed ${report.seed} (SOAK_SEED=${report.seed} SOAK_SCHEDULES=1${shape === CI_SHAPE ? ' SOAK_SHAPE=ci' : ''}):`,
    );
    for (const text of report.violations) console.log(`      - ${text}`);
  }
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
