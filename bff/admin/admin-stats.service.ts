import { randomUUID } from 'node:crypto';
import { addDays, daysBetween, shopDay, shopDayStart } from '../../shared/shop-time';
import { currentRequestId } from '../../shared/tracing';
import { WORKING_STATUSES } from '../../shared/orders/order-state-machine';
import { auditRepository } from '../audit/audit.repository';
import type { BffContext } from '../context';
import { enqueue } from '../http/enqueue';
import type { Granularity } from './admin.schemas';
import { adminStatsRepository, type AdminStatsRepository, type DailySales } from './admin-stats.repository';
import { dayRange } from './date-range';

/** Orders still being worked on: the overview's "pending" count. */
// Orders in progress: those that still owe a step.
const PENDING_STATUSES = WORKING_STATUSES;
const DEFAULT_RANGE_DAYS = 30;

export interface SalesFigures {
  orders: number;
  units: number;
  revenue: number;
  refunds: number;
  refundedOrders: number;
  /** revenue − refunds */
  net: number;
}

const zero = (): SalesFigures => ({ orders: 0, units: 0, revenue: 0, refunds: 0, refundedOrders: 0, net: 0 });

function add(into: SalesFigures, day: DailySales | undefined): void {
  if (!day) return;
  into.orders += day.orders;
  into.units += day.units;
  into.revenue += day.revenue;
  into.refunds += day.refunds;
  into.refundedOrders += day.refundedOrders;
  into.net = into.revenue - into.refunds;
}

/** ISO 8601 week of a Monday: the week belongs to the year of its Thursday. */
function isoWeek(monday: string): string {
  const thursday = addDays(monday, 3);
  const year = thursday.slice(0, 4);
  const week = Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The bucket a day falls in: itself, its ISO week (Monday first) or its month. */
export function periodOf(day: string, granularity: Granularity): string {
  if (granularity === 'day') return day;
  if (granularity === 'month') return day.slice(0, 7);
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return isoWeek(addDays(day, -((weekday + 6) % 7)));
}

/**
 * Sales statistics, read only from the aggregate tables (never by scanning orders on a request), in days of
 * the shop's time zone. Revenue counts orders on the day they were confirmed; refunds count on the day the
 * paid order was cancelled.
 */
export function adminStatsService(
  ctx: Pick<BffContext, 'db' | 'reads' | 'config' | 'producers' | 'queues' | 'logger'>,
) {
  // The aggregates are written by the stats worker, behind the orders anyway: a replica's moment of lag
  // changes nothing a reader could tell, so the reports are lag-tolerant reads (shared/read-replica).
  const report = <T>(read: (stats: AdminStatsRepository) => Promise<T>) =>
    ctx.reads.read((db) => read(adminStatsRepository(db)));
  const audit = auditRepository(ctx.db);
  const timeZone = ctx.config.SHOP_TIME_ZONE;
  const today = (now: Date) => shopDay(now, timeZone);

  return {
    /** Every period of the range, empty ones as zeros; a week or month at an edge covers only its days in range. */
    async sales(query: { from?: string; to?: string; granularity: Granularity }, now = new Date()) {
      const { from, to, days } = dayRange(query, today(now), DEFAULT_RANGE_DAYS);
      const byDay = new Map(
        (await report((stats) => stats.dailySales(from, to))).map((row) => [row.day, row]),
      );
      const buckets: ({ period: string; start: string; end: string } & SalesFigures)[] = [];
      const totals = zero();
      for (let index = 0; index < days; index += 1) {
        const day = addDays(from, index);
        const period = periodOf(day, query.granularity);
        let bucket = buckets[buckets.length - 1];
        if (!bucket || bucket.period !== period) {
          bucket = { period, start: day, end: day, ...zero() };
          buckets.push(bucket);
        }
        bucket.end = day;
        add(bucket, byDay.get(day));
        add(totals, byDay.get(day));
      }
      return { from, to, granularity: query.granularity, timeZone, buckets, totals };
    },

    /** Best sellers by units (then revenue) over the range: gross sales, refunds are not split by product. */
    async topProducts(query: { from?: string; to?: string; limit: number }, now = new Date()) {
      const { from, to } = dayRange(query, today(now), DEFAULT_RANGE_DAYS);
      return { from, to, timeZone, items: await report((stats) => stats.topProducts(from, to, query.limit)) };
    },

    /**
     * Today against yesterday (shop zone), new users today, orders in progress, and failed jobs per queue.
     * Failed-job counts come from Redis: when it does not answer they are null, the rest is still shown.
     */
    async overview(now = new Date()) {
      const day = today(now);
      const yesterday = addDays(day, -1);
      const [rows, newUsersToday, pendingByStatus] = await report((stats) =>
        Promise.all([
          stats.dailySales(yesterday, day),
          stats.usersCreatedBetween(shopDayStart(day, timeZone), shopDayStart(addDays(day, 1), timeZone)),
          stats.ordersByStatus(PENDING_STATUSES),
        ]),
      );
      const figures = (wanted: string) => {
        const result = zero();
        add(
          result,
          rows.find((row) => row.day === wanted),
        );
        return { day: wanted, ...result };
      };
      let failedJobs: Record<string, number> | null = null;
      try {
        const counts = await Promise.all(
          ctx.queues
            .all()
            .map(async (queue) => [queue.name, (await queue.getJobCounts('failed')).failed ?? 0]),
        );
        failedJobs = Object.fromEntries(counts) as Record<string, number>;
      } catch (error) {
        ctx.logger.warn({ err: error }, 'failed job counts unavailable');
      }
      return {
        timeZone,
        today: figures(day),
        yesterday: figures(yesterday),
        newUsersToday,
        pendingOrders: {
          total: Object.values(pendingByStatus).reduce((sum, n) => sum + n, 0),
          byStatus: pendingByStatus,
        },
        failedJobs,
      };
    },

    /** Enqueues a rebuild of the range's aggregates (done by the stats worker); audited with its job id. */
    async requestRebuild(actorUserId: number, query: { from: string; to: string }) {
      const { from, to } = dayRange(query, query.to, 1);
      const jobId = `rebuild-${from}-${to}-${randomUUID()}`;
      await enqueue(() =>
        ctx.producers.stats.add('rebuild', { from, to, requestId: currentRequestId() }, { jobId }),
      );
      await audit.record({
        actorUserId,
        action: 'stats.rebuild.request',
        entityType: 'stats',
        entityId: `${from}..${to}`,
        after: { from, to, jobId },
      });
      return {
        jobId,
        from,
        to,
        links: { dashboard: `/admin/queues/queue/stats/${encodeURIComponent(jobId)}` },
      };
    },
  };
}
