import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CI_SHAPE,
  FAULT_KINDS,
  type FaultSchedule,
  describeSchedule,
  faultKindOf,
  generateSchedule,
} from '../soak/fault-schedule';
import { runSchedule, startSoakStack, type SoakStack } from '../soak/schedule-runner';
import { quietConnectionLoss } from '../support/quiet-connection-loss';

/**
 * Random fault schedules (test/soak/fault-schedule.ts) against the real MariaDB, Redis, nginx, BFF, worker
 * processes and fake payment gateway: placements, replays, cancels at random moments, duplicated and
 * re-added jobs, a worker SIGKILLed, the test's Redis keys flushed, the database unreachable, a misbehaving
 * gateway. After each schedule's faults stop, every invariant of the order flow must hold within a bound.
 * A bounded number from a fixed seed here (chosen so that together they inject every kind of fault);
 * `npm run soak` (test/soak/soak.ts) runs many more.
 */
const FIRST_SEED = Number(process.env.FAULT_SCHEDULES_SEED ?? 740);
const SCHEDULES = Number(process.env.FAULT_SCHEDULES ?? 5);
const SETTLE_WITHIN_MS = 45_000;
const seeds = Array.from({ length: SCHEDULES }, (_, index) => FIRST_SEED + index);
/** Hand-written schedules that once broke an invariant (test/soak/reproductions/): each must hold now. */
const REPRODUCTIONS_DIR = path.join(__dirname, '../soak/reproductions');
const reproductions = readdirSync(REPRODUCTIONS_DIR).filter((name) => name.endsWith('.json'));

describe('the order flow under random fault schedules', () => {
  let soak: SoakStack;
  let restoreConsole: () => void;

  beforeAll(async () => {
    restoreConsole = quietConnectionLoss();
    soak = await startSoakStack('fault_schedules', CI_SHAPE.workers);
  });
  afterAll(async () => {
    await soak?.close();
    restoreConsole?.();
  });

  it('when the schedules of this file are generated, then together they inject every kind of fault', () => {
    const injected = new Set(
      seeds.flatMap((seed) => generateSchedule(seed, CI_SHAPE).events.map(faultKindOf)),
    );
    expect(FAULT_KINDS.filter((kind) => !injected.has(kind))).toEqual([]);
    expect(generateSchedule(FIRST_SEED, CI_SHAPE)).toEqual(generateSchedule(FIRST_SEED, CI_SHAPE));
  });

  it.each(seeds)(
    'when the schedule of seed %i runs, then every accepted order and cancel is settled and every invariant holds',
    async (seed) => {
      const schedule = generateSchedule(seed, CI_SHAPE);
      const report = await runSchedule(soak, schedule, { settleWithinMs: SETTLE_WITHIN_MS });
      if (report.violations.length > 0) {
        throw new Error(
          [
            `seed ${seed}: ${report.violations.length} invariant violation(s); reproduce with`,
            `  SOAK_SHAPE=ci SOAK_SEED=${seed} SOAK_SCHEDULES=1 npx tsx test/soak/soak.ts`,
            ...report.violations.map((text) => `- ${text}`),
            describeSchedule(schedule),
          ].join('\n'),
        );
      }
      expect(report.acceptedOrders).toBeGreaterThan(0);
      expect(report.settledInMs).toBeLessThanOrEqual(SETTLE_WITHIN_MS);
    },
    Math.max(...seeds.map((seed) => generateSchedule(seed, CI_SHAPE).durationMs)) + SETTLE_WITHIN_MS + 20_000,
  );

  it.each(reproductions)(
    'when the reproduction %s runs, then every invariant holds',
    async (name) => {
      const schedule = JSON.parse(readFileSync(path.join(REPRODUCTIONS_DIR, name), 'utf8')) as FaultSchedule;
      const report = await runSchedule(soak, schedule, { settleWithinMs: SETTLE_WITHIN_MS });
      expect(report.violations).toEqual([]);
    },
    120_000,
  );
});
