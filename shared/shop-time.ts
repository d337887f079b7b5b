/**
 * Shop days: calendar days (YYYY-MM-DD) cut in the shop's time zone, and the arithmetic on them.
 *
 * Every function here does a bounded amount of work for any input: a day that is malformed, does not exist,
 * or falls outside years 0001–9999 is a RangeError, never a search without end.
 */

/** The first day the shop accepts as input (API date parameters, statistics rebuilds). */
export const FIRST_SHOP_DAY = '2000-01-01';
/** The last day the shop accepts as input; the day arithmetic itself works to year 9999. */
export const LAST_SHOP_DAY = '2100-12-31';

const DAY_MS = 24 * 3600 * 1000;
const SECOND_MS = 1000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
/** The earliest and the day after the last accepted instant: UTC years 2000–2100. */
const FIRST_SHOP_INSTANT_MS = Date.UTC(2000, 0, 1);
const AFTER_LAST_SHOP_INSTANT_MS = Date.UTC(2101, 0, 1);

/** UTC midnight of `day` in ms; a RangeError unless it is an existing YYYY-MM-DD day of years 0001–9999. */
function utcMidnightOf(day: string): number {
  const match = DAY_PATTERN.exec(day);
  if (match) {
    const [year, month, dayOfMonth] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const midnight = new Date(0);
    midnight.setUTCFullYear(year, month - 1, dayOfMonth); // unlike Date.UTC, years 0–99 stay themselves
    if (
      year >= 1 &&
      midnight.getUTCFullYear() === year &&
      midnight.getUTCMonth() === month - 1 &&
      midnight.getUTCDate() === dayOfMonth
    )
      return midnight.getTime();
  }
  throw new RangeError(`not a day (YYYY-MM-DD, years 0001–9999): ${day.slice(0, 40)}`);
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** YYYY-MM-DD of calendar fields; a RangeError outside years 0001–9999, where the string order breaks. */
function formatDay(year: number, month: number, dayOfMonth: number): string {
  if (!(Number.isInteger(year) && year >= 1 && year <= 9999))
    throw new RangeError(`year ${year} is outside 0001–9999`);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(dayOfMonth, 2)}`;
}

/** Whether `day` is an existing YYYY-MM-DD day from {@link FIRST_SHOP_DAY} to {@link LAST_SHOP_DAY}. */
export function isShopDay(day: string): boolean {
  // The fixed-width format makes string order the calendar order.
  return DAY_PATTERN.test(day) && day >= FIRST_SHOP_DAY && day <= LAST_SHOP_DAY && isCalendarDay(day);
}

/** Whether `day` is an existing YYYY-MM-DD day of years 0001–9999 (no 2026-02-30). */
function isCalendarDay(day: string): boolean {
  try {
    utcMidnightOf(day);
    return true;
  } catch {
    return false;
  }
}

/** Whether `instant` is a valid time in UTC years 2000–2100, the instants the shop accepts as input. */
export function isShopInstant(instant: Date): boolean {
  const ms = instant.getTime();
  return ms >= FIRST_SHOP_INSTANT_MS && ms < AFTER_LAST_SHOP_INSTANT_MS;
}

const wallClocks = new Map<string, Intl.DateTimeFormat>();

function wallClock(timeZone: string): Intl.DateTimeFormat {
  let format = wallClocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short', // so that a year before 1 would show as such instead of passing as a later one
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallClocks.set(timeZone, format);
  }
  return format;
}

/** The zone's wall clock at `instantMs`, to the second. */
function wallClockFields(instantMs: number, timeZone: string) {
  const parts = wallClock(timeZone).formatToParts(instantMs);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const year = Number(part('year'));
  return {
    // 1 BC is year 0 on the ISO calendar; anything before year 1 is refused by formatDay anyway.
    year: part('era') === 'BC' ? 1 - year : year,
    month: Number(part('month')),
    day: Number(part('day')),
    hour: Number(part('hour')),
    minute: Number(part('minute')),
    second: Number(part('second')),
  };
}

/** The calendar day (YYYY-MM-DD) of `instant` in the shop's time zone: statistics days are cut there. */
export function shopDay(instant: Date, timeZone: string): string {
  const wall = wallClockFields(instant.getTime(), timeZone);
  return formatDay(wall.year, wall.month, wall.day);
}

/** Milliseconds the zone's wall clock is ahead of UTC at `instantMs` (whole seconds: tz offsets are). */
function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const wall = wallClockFields(instantMs, timeZone);
  const asUtc = new Date(0);
  asUtc.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  asUtc.setUTCHours(wall.hour, wall.minute, wall.second);
  return asUtc.getTime() - (instantMs - (((instantMs % SECOND_MS) + SECOND_MS) % SECOND_MS));
}

/**
 * The first instant of the shop day `day` (YYYY-MM-DD) in `timeZone`, as a UTC Date: the bound to compare
 * stored UTC timestamps with.
 *
 * Usually that is local midnight, found from the zone's offset there. When midnight does not exist (a DST
 * change at midnight, a skipped day) or the offset is not constant around it, the start is bisected to the
 * second between two days before and two days after UTC midnight: no zone is 2 days off UTC, so that bracket
 * always holds the start and the search takes at most 19 steps.
 */
export function shopDayStart(day: string, timeZone: string): Date {
  const utcMidnight = utcMidnightOf(day);
  const startsDay = (instantMs: number) =>
    shopDay(new Date(instantMs), timeZone) >= day && shopDay(new Date(instantMs - 1), timeZone) < day;

  const guess = utcMidnight - zoneOffsetMs(utcMidnight - zoneOffsetMs(utcMidnight, timeZone), timeZone);
  if (startsDay(guess)) return new Date(guess);

  let before = utcMidnight - 2 * DAY_MS; // shopDay < day
  let atOrAfter = utcMidnight + 2 * DAY_MS; // shopDay >= day
  // Offsets and their changes are whole seconds, so the first instant of the day is a whole second.
  while (atOrAfter - before > SECOND_MS) {
    const middle = before + Math.floor((atOrAfter - before) / (2 * SECOND_MS)) * SECOND_MS;
    if (shopDay(new Date(middle), timeZone) >= day) atOrAfter = middle;
    else before = middle;
  }
  return new Date(atOrAfter);
}

/** The calendar day `days` after (or before, when negative) `day`; both YYYY-MM-DD of years 0001–9999. */
export function addDays(day: string, days: number): string {
  if (!Number.isSafeInteger(days)) throw new RangeError(`not a whole number of days: ${days}`);
  const date = new Date(utcMidnightOf(day) + days * DAY_MS);
  if (Number.isNaN(date.getTime())) throw new RangeError(`${day} + ${days} days is not a date`);
  return formatDay(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/** Whole days from `from` to `to` (YYYY-MM-DD): 0 for the same day, negative when `to` comes first. */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcMidnightOf(to) - utcMidnightOf(from)) / DAY_MS);
}
