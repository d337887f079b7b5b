/** The calendar day (YYYY-MM-DD) of `instant` in the shop's time zone: statistics days are cut there. */
export function shopDay(instant: Date, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

const DAY_MS = 24 * 3600 * 1000;
const QUARTER_HOUR_MS = 15 * 60 * 1000;
const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** Milliseconds the zone's wall clock is ahead of UTC at `instantMs`. */
function zoneOffsetMs(instantMs: number, timeZone: string): number {
  let format = wallClocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallClocks.set(timeZone, format);
  }
  const part = (type: string) => Number(format.formatToParts(instantMs).find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wall - (instantMs - (((instantMs % 1000) + 1000) % 1000));
}

/**
 * The first instant of the shop day `day` (YYYY-MM-DD) in `timeZone`, as a UTC Date: the bound to compare
 * stored UTC timestamps with. Time zones shift by whole quarter hours, so the start is searched on that grid,
 * which also covers a day whose midnight a DST change skips.
 */
export function shopDayStart(day: string, timeZone: string): Date {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(utcMidnight)) throw new RangeError(`not a day: ${day}`);
  let start = utcMidnight - zoneOffsetMs(utcMidnight, timeZone);
  start -= ((start % QUARTER_HOUR_MS) + QUARTER_HOUR_MS) % QUARTER_HOUR_MS;
  while (shopDay(new Date(start - QUARTER_HOUR_MS), timeZone) >= day) start -= QUARTER_HOUR_MS;
  while (shopDay(new Date(start), timeZone) < day) start += QUARTER_HOUR_MS;
  return new Date(start);
}

/** The calendar day `days` after (or before, when negative) `day`; both YYYY-MM-DD. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (YYYY-MM-DD): 0 for the same day, negative when `to` comes first. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
