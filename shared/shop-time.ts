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
