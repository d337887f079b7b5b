import { addDays, daysBetween, shopDayStart } from '../../shared/shop-time';
import { InvalidDateRangeError } from './admin.errors';
import type { DayOrInstant } from './admin.schemas';

/** The longest range the statistics endpoints (and a rebuild) accept: a year, leap day included. */
export const MAX_RANGE_DAYS = 366;

/** UTC bounds for a timestamp column: `>= gte` and `< lt` (a day includes all of itself) or `<= lte`. */
export interface InstantBounds {
  gte?: Date;
  lt?: Date;
  lte?: Date;
}

/** Turns `from`/`to` (shop-zone days or instants) into bounds on a UTC timestamp column. */
export function instantBounds(
  range: { from?: DayOrInstant; to?: DayOrInstant },
  timeZone: string,
): InstantBounds {
  const bounds: InstantBounds = {};
  if (range.from)
    bounds.gte = range.from.kind === 'day' ? shopDayStart(range.from.day, timeZone) : range.from.at;
  if (range.to) {
    if (range.to.kind === 'day') bounds.lt = shopDayStart(addDays(range.to.day, 1), timeZone);
    else bounds.lte = range.to.at;
  }
  const end = bounds.lt ?? bounds.lte;
  if (bounds.gte && end && end < bounds.gte) throw new InvalidDateRangeError('"to" comes before "from"');
  return bounds;
}

/**
 * A range of shop days: `to` defaults to today, `from` to `defaultDays` days up to `to`; it must not end before
 * it starts nor span more than {@link MAX_RANGE_DAYS} days.
 */
export function dayRange(
  query: { from?: string; to?: string },
  today: string,
  defaultDays: number,
): { from: string; to: string; days: number } {
  const to = query.to ?? today;
  const from = query.from ?? addDays(to, -(defaultDays - 1));
  const days = daysBetween(from, to) + 1;
  if (days < 1) throw new InvalidDateRangeError('"to" comes before "from"');
  if (days > MAX_RANGE_DAYS)
    throw new InvalidDateRangeError(`A range spans at most ${MAX_RANGE_DAYS} days; this one spans ${days}`, {
      details: { from, to, days, maxDays: MAX_RANGE_DAYS },
    });
  return { from, to, days };
}
