/**
 * Random fault schedules for the order flow, each reproducible from one seed: a timeline of customers'
 * placements, replays and cancels, jobs duplicated or re-added behind the flow's back, and faults (a worker
 * SIGKILLed, the test's Redis keys flushed, the database unreachable, a misbehaving payment gateway).
 * Pure data: schedule-runner.ts carries a schedule out against the real stack.
 */
import fc from 'fast-check';

/** The jobs a schedule may add for an order behind the flow's back. */
export const INJECTABLE_JOBS = ['place', 'reserve', 'charge', 'refund', 'release', 'cancel'] as const;
export type InjectableJob = (typeof INJECTABLE_JOBS)[number];

export type GatewayFault =
  | { kind: 'errors'; rate: number }
  | { kind: 'timeouts'; rate: number }
  | { kind: 'lost-responses'; rate: number }
  | { kind: 'declines'; rate: number }
  | { kind: 'slow'; latencyMs: number }
  | { kind: 'throttle'; calls: number; retryAfterSeconds: number };

/**
 * How a job is injected for an order. `duplicate`: the job the flow already sent for it (its id is in the
 * queue), sent again under an id of its own, so it runs a second time, maybe after later steps (at-least-once
 * delivery, a producer's retry); `re-add`: the order's own job run again once it finished (what the sweeper's
 * re-drive or an operator's retry does); `stray`: a job of that kind under a new id whether or not the flow
 * ever sent one (a step the order may not be owed at all) — only with `ScheduleShape.strayJobs`.
 */
export type JobInjection = 'duplicate' | 're-add' | 'stray';

/** A placement is referred to by its index among the schedule's placements (`ref`). */
export type ScheduleEvent = { at: number } & (
  | { kind: 'place'; ref: number; user: number; lines: { product: number; quantity: number }[] }
  /** The same Idempotency-Key and body again, by the same user. */
  | { kind: 'replay'; ref: number }
  | { kind: 'cancel'; ref: number }
  | { kind: 'job'; ref: number; job: InjectableJob; mode: JobInjection }
  | { kind: 'kill-worker'; worker: number; restartAfterMs: number }
  | { kind: 'flush-redis' }
  | { kind: 'database-outage'; durationMs: number }
  | { kind: 'gateway'; fault: GatewayFault; durationMs: number }
);

export type FaultKind = 'kill-worker' | 'flush-redis' | 'database-outage' | `gateway-${GatewayFault['kind']}`;

export const FAULT_KINDS: readonly FaultKind[] = [
  'kill-worker',
  'flush-redis',
  'database-outage',
  'gateway-errors',
  'gateway-timeouts',
  'gateway-lost-responses',
  'gateway-declines',
  'gateway-slow',
  'gateway-throttle',
];

export interface FaultSchedule {
  seed: number;
  /** Milliseconds from the first event to the last fault's end. */
  durationMs: number;
  workers: number;
  users: number;
  products: { price: number; stock: number }[];
  /** By `at`, ascending. */
  events: ScheduleEvent[];
}

/** How big a schedule is: the numbers are upper bounds, each schedule draws its own below them. */
export interface ScheduleShape {
  durationMs: number;
  workers: number;
  users: number;
  products: number;
  placements: number;
  /** Share of placements cancelled at a random moment (some before they were even answered). */
  cancelRate: number;
  replayRate: number;
  injectedJobs: number;
  /** The kinds of job a schedule may inject. */
  jobKinds: readonly InjectableJob[];
  /** Whether jobs may be injected that the flow never sent (JobInjection `stray`). */
  strayJobs: boolean;
  faults: number;
  faultKinds: readonly FaultKind[];
}

/** What one `npm test` schedule looks like: short, so a few fit well inside the test file's budget. */
export const CI_SHAPE: ScheduleShape = {
  durationMs: 6_000,
  workers: 2,
  users: 5,
  products: 4,
  placements: 24,
  cancelRate: 0.25,
  replayRate: 0.15,
  injectedJobs: 8,
  jobKinds: INJECTABLE_JOBS,
  strayJobs: false,
  faults: 3,
  faultKinds: FAULT_KINDS,
};

/** A soak schedule: longer, busier, more faults. */
export const SOAK_SHAPE: ScheduleShape = {
  durationMs: 15_000,
  workers: 2,
  users: 10,
  products: 6,
  placements: 80,
  cancelRate: 0.25,
  replayRate: 0.15,
  injectedJobs: 25,
  jobKinds: INJECTABLE_JOBS,
  strayJobs: false,
  faults: 6,
  faultKinds: FAULT_KINDS,
};

/** `arbitrary` with probability `rate`, else undefined. */
function sometimes<T>(rate: number, arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  const weight = Math.round(rate * 100);
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: 100 - weight }, { arbitrary, weight });
}

const gatewayFaultArbitraries: { [K in GatewayFault['kind']]: fc.Arbitrary<GatewayFault> } = {
  errors: fc.record({ kind: fc.constant('errors' as const), rate: fc.constantFrom(0.2, 0.3, 0.5, 1) }),
  timeouts: fc.record({ kind: fc.constant('timeouts' as const), rate: fc.constantFrom(0.2, 0.3, 0.5, 1) }),
  'lost-responses': fc.record({
    kind: fc.constant('lost-responses' as const),
    rate: fc.constantFrom(0.2, 0.3, 0.5, 1),
  }),
  declines: fc.record({ kind: fc.constant('declines' as const), rate: fc.constantFrom(0.1, 0.3) }),
  slow: fc.record({ kind: fc.constant('slow' as const), latencyMs: fc.integer({ min: 100, max: 600 }) }),
  throttle: fc.record({
    kind: fc.constant('throttle' as const),
    calls: fc.integer({ min: 1, max: 5 }),
    retryAfterSeconds: fc.integer({ min: 1, max: 2 }),
  }),
};

/** A fault of one of the shape's kinds, with the moment it starts; gateway faults are lined up later. */
function faultArbitrary(shape: ScheduleShape): fc.Arbitrary<ScheduleEvent> {
  const at = fc.integer({ min: 0, max: Math.floor(shape.durationMs * 0.8) });
  const byKind = (kind: FaultKind): fc.Arbitrary<ScheduleEvent> => {
    if (kind === 'kill-worker')
      return fc.record({
        at,
        kind: fc.constant(kind),
        worker: fc.integer({ min: 0, max: shape.workers - 1 }),
        restartAfterMs: fc.integer({ min: 0, max: 2_000 }),
      });
    if (kind === 'flush-redis') return fc.record({ at, kind: fc.constant(kind) });
    if (kind === 'database-outage')
      return fc.record({ at, kind: fc.constant(kind), durationMs: fc.integer({ min: 500, max: 4_000 }) });
    const fault = gatewayFaultArbitraries[kind.slice('gateway-'.length) as GatewayFault['kind']];
    return fc.record({
      at,
      kind: fc.constant('gateway' as const),
      fault,
      durationMs: fc.integer({ min: 1_000, max: 4_000 }),
    });
  };
  return fc.oneof(...shape.faultKinds.map(byKind));
}

/** Every schedule of a shape (fast-check), before its seed is attached. */
export function scheduleArbitrary(shape: ScheduleShape): fc.Arbitrary<Omit<FaultSchedule, 'seed'>> {
  const span = shape.durationMs;
  const sizes = fc.record({
    users: fc.integer({ min: 2, max: shape.users }),
    products: fc.integer({ min: 2, max: shape.products }),
    placements: fc.integer({ min: Math.ceil(shape.placements / 2), max: shape.placements }),
  });
  return sizes.chain((size) => {
    // Limited stock: some products run out, others do not (an order wants about 2.7 units over its lines).
    const product = fc.record({
      price: fc.integer({ min: 1, max: 50 }).map((thousands) => thousands * 1_000),
      stock: fc.integer({ min: 1, max: Math.max(2, Math.ceil((size.placements * 4) / size.products)) }),
    });
    const placement = fc.record({
      // Over the first three quarters, so cancels and faults still meet work in flight.
      at: fc.integer({ min: 0, max: Math.floor(span * 0.75) }),
      user: fc.integer({ min: 0, max: size.users - 1 }),
      lines: fc.uniqueArray(
        fc.record({
          product: fc.integer({ min: 0, max: size.products - 1 }),
          quantity: fc.integer({ min: 1, max: 2 }),
        }),
        { selector: (line) => line.product, minLength: 1, maxLength: Math.min(3, size.products) },
      ),
      replayAfter: sometimes(shape.replayRate, fc.integer({ min: 0, max: 1_500 })),
      // A cancel at a random moment after the placement was sent: mostly soon (the flow takes well under a
      // second when nothing fails), so before its answer or mid-flow; some once it settled.
      cancelAfter: sometimes(
        shape.cancelRate,
        fc.oneof(
          { arbitrary: fc.integer({ min: 0, max: 400 }), weight: 7 },
          { arbitrary: fc.integer({ min: 0, max: 3_000 }), weight: 3 },
        ),
      ),
    });
    const job = fc.record({
      at: fc.integer({ min: 0, max: span }),
      kind: fc.constant('job' as const),
      ref: fc.integer({ min: 0, max: size.placements - 1 }),
      job: fc.constantFrom(...shape.jobKinds),
      mode: fc.constantFrom<JobInjection>(
        'duplicate',
        're-add',
        ...(shape.strayJobs ? (['stray'] as const) : []),
      ),
    });
    return fc
      .record({
        products: fc.array(product, { minLength: size.products, maxLength: size.products }),
        placements: fc.array(placement, { minLength: size.placements, maxLength: size.placements }),
        jobs: fc.array(job, {
          minLength: Math.floor(shape.injectedJobs / 2),
          maxLength: shape.injectedJobs,
        }),
        faults: fc.array(faultArbitrary(shape), { minLength: 1, maxLength: shape.faults }),
      })
      .map(({ products, placements, jobs, faults }) => {
        // A job is injected for an order placed before it (`ref` picks among those).
        const placedBefore = (at: number) =>
          placements.flatMap((placement, ref) => (placement.at < at ? [ref] : []));
        const events: ScheduleEvent[] = jobs.flatMap((job) => {
          const earlier = placedBefore(job.at);
          return earlier.length === 0 ? [] : [{ ...job, ref: earlier[job.ref % earlier.length]! }];
        });
        placements.forEach(({ at, user, lines, replayAfter, cancelAfter }, ref) => {
          events.push({ at, kind: 'place', ref, user, lines });
          if (replayAfter !== undefined) events.push({ at: at + replayAfter, kind: 'replay', ref });
          if (cancelAfter !== undefined) events.push({ at: at + cancelAfter, kind: 'cancel', ref });
        });
        // Gateway faults take turns (each sets the gateway's knobs for its window); the others may overlap.
        let gatewayFreeAt = 0;
        for (const fault of [...faults].sort((a, b) => a.at - b.at)) {
          if (fault.kind !== 'gateway') {
            events.push(fault);
            continue;
          }
          const at = Math.max(fault.at, gatewayFreeAt);
          gatewayFreeAt = at + fault.durationMs;
          events.push({ ...fault, at });
        }
        events.sort((a, b) => a.at - b.at);
        return {
          durationMs: Math.max(0, ...events.map(endOf)),
          workers: shape.workers,
          users: size.users,
          products,
          events,
        };
      });
  });
}

/** When an event is over (a fault window's end, a killed worker's restart). */
function endOf(event: ScheduleEvent): number {
  if (event.kind === 'database-outage' || event.kind === 'gateway') return event.at + event.durationMs;
  if (event.kind === 'kill-worker') return event.at + event.restartAfterMs;
  return event.at;
}

/** The schedule for `seed`: the same seed and shape give the same schedule. */
export function generateSchedule(seed: number, shape: ScheduleShape): FaultSchedule {
  const [schedule] = fc.sample(scheduleArbitrary(shape), { seed, numRuns: 1 });
  return { seed, ...schedule! };
}

/** The fault kind an event injects, if it is a fault. */
export function faultKindOf(event: ScheduleEvent): FaultKind | undefined {
  if (event.kind === 'gateway') return `gateway-${event.fault.kind}`;
  if (event.kind === 'kill-worker' || event.kind === 'flush-redis' || event.kind === 'database-outage')
    return event.kind;
  return undefined;
}

/** One line per event, for a failure message or a soak log. */
export function describeSchedule(schedule: FaultSchedule): string {
  const cast = `seed ${schedule.seed}: ${schedule.users} users, ${schedule.workers} worker processes, products ${JSON.stringify(schedule.products)}`;
  return `${cast}\n${schedule.events
    .map((event) => {
      const { at, kind, ...rest } = event;
      return `${String(at).padStart(6)} ms ${kind} ${JSON.stringify(rest)}`;
    })
    .join('\n')}`;
}
