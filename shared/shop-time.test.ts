import { addDays, daysBetween, shopDay, shopDayStart } from './shop-time';

describe('shopDay', () => {
  it('when it is 23:59 UTC, then in Seoul it is already the next day', () => {
    expect(shopDay(new Date('2026-03-01T14:59:59Z'), 'Asia/Seoul')).toBe('2026-03-01');
    expect(shopDay(new Date('2026-03-01T15:00:00Z'), 'Asia/Seoul')).toBe('2026-03-02');
  });

  it('when the zone is UTC, then the day is the UTC date', () => {
    expect(shopDay(new Date('2026-03-01T23:59:59Z'), 'UTC')).toBe('2026-03-01');
  });
});

describe('shopDayStart', () => {
  it('when the zone is Seoul, then the day starts at 15:00 UTC the day before', () => {
    expect(shopDayStart('2026-03-02', 'Asia/Seoul').toISOString()).toBe('2026-03-01T15:00:00.000Z');
  });

  it('when the zone has DST, then each day starts at its own local midnight', () => {
    // New York: EST (-5) before 2026-03-08 02:00, EDT (-4) after.
    expect(shopDayStart('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(shopDayStart('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
  });

  it('when the zone is a quarter-hour off, then the start is exact', () => {
    expect(shopDayStart('2026-01-10', 'Asia/Kathmandu').toISOString()).toBe('2026-01-09T18:15:00.000Z');
  });
});

describe('addDays and daysBetween', () => {
  it('when crossing a month or a leap day, then calendar days are counted', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364);
    expect(daysBetween('2026-01-02', '2026-01-01')).toBe(-1);
  });
});
