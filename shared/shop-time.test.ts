import {
  FIRST_SHOP_DAY,
  LAST_SHOP_DAY,
  addDays,
  daysBetween,
  isShopDay,
  isShopInstant,
  shopDay,
  shopDayStart,
} from './shop-time';

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

describe('the shop calendar (years 2000–2100)', () => {
  it('when a day is in 2000–2100, then it is a shop day; before, after or malformed, then not', () => {
    expect(isShopDay('2000-01-01')).toBe(true);
    expect(isShopDay('2100-12-31')).toBe(true);
    expect(isShopDay('2028-02-29')).toBe(true);
    for (const day of ['1999-12-31', '2101-01-01', '0999-12-31', '9999-12-31', '0100-01-01', '2026-02-30'])
      expect(isShopDay(day)).toBe(false);
    for (const day of ['2026-1-01', '+02026-01-01', '2026-01-01T00:00:00Z', ' 2026-01-01', ''])
      expect(isShopDay(day)).toBe(false);
  });

  it('when an instant is in UTC years 2000–2100, then it is a shop instant; otherwise not', () => {
    expect(isShopInstant(new Date('2000-01-01T00:00:00.000Z'))).toBe(true);
    expect(isShopInstant(new Date('2100-12-31T23:59:59.999Z'))).toBe(true);
    expect(isShopInstant(new Date('1999-12-31T23:59:59.999Z'))).toBe(false);
    expect(isShopInstant(new Date('2101-01-01T00:00:00.000Z'))).toBe(false);
    expect(isShopInstant(new Date(Number.NaN))).toBe(false);
  });
});

describe('day arithmetic is correct in range and bounded for any input', () => {
  it('when a day comes before year 1000, then its start is computed, not searched for ever', () => {
    // Before 1908 Seoul kept local mean time, +8:27:52: not a whole number of quarter hours.
    expect(shopDayStart('0999-12-31', 'Asia/Seoul').toISOString()).toBe('0999-12-30T15:32:08.000Z');
    expect(shopDayStart('0100-01-01', 'UTC').toISOString()).toBe('0100-01-01T00:00:00.000Z');
    expect(shopDay(new Date('0999-12-30T15:32:08.000Z'), 'Asia/Seoul')).toBe('0999-12-31');
  });

  it('when the zone kept a local mean time, then the day starts at that offset to the second', () => {
    expect(shopDayStart('1900-01-01', 'Asia/Seoul').toISOString()).toBe('1899-12-31T15:32:08.000Z');
    expect(shopDayStart('1900-01-01', 'Asia/Kolkata').toISOString()).toBe('1899-12-31T18:38:50.000Z');
  });

  it('when the last day of year 9999 is asked for, then the day after it is a RangeError, not a loop', () => {
    expect(shopDayStart('9999-12-31', 'Asia/Seoul').toISOString()).toBe('9999-12-30T15:00:00.000Z');
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
    expect(() => shopDayStart('+010000-01-01', 'Asia/Seoul')).toThrow(RangeError);
  });

  it('when a day is malformed or does not exist, then every function throws RangeError', () => {
    for (const day of ['0000-01-01', '2026-02-30', '2026-13-01', '20260101', '+010000-01', 'x']) {
      expect(() => shopDayStart(day, 'Asia/Seoul')).toThrow(RangeError);
      expect(() => addDays(day, 1)).toThrow(RangeError);
      expect(() => daysBetween(day, '2026-01-01')).toThrow(RangeError);
    }
    expect(() => addDays('2026-01-01', Number.NaN)).toThrow(RangeError);
    expect(() => addDays('2026-01-01', 1.5)).toThrow(RangeError);
  });

  it('when a zone skips a whole day, then that day starts where the next one does (it is empty)', () => {
    // Samoa crossed the date line: 2011-12-29 23:59:59 (-10) was followed by 2011-12-31 00:00 (+14).
    expect(shopDayStart('2011-12-30', 'Pacific/Apia').toISOString()).toBe('2011-12-30T10:00:00.000Z');
    expect(shopDayStart('2011-12-31', 'Pacific/Apia').toISOString()).toBe('2011-12-30T10:00:00.000Z');
  });

  it('when DST starts at midnight, then the day starts when the clocks jump', () => {
    // Santiago: 2022-09-11 00:00 (-4) did not exist, clocks went from 23:59:59 to 01:00 (-3).
    expect(shopDayStart('2022-09-11', 'America/Santiago').toISOString()).toBe('2022-09-11T04:00:00.000Z');
  });

  it('when every day of the shop calendar is cut in Seoul and New York, then each start is that day’s first instant', () => {
    for (const timeZone of ['Asia/Seoul', 'America/New_York']) {
      for (let day = FIRST_SHOP_DAY; day <= LAST_SHOP_DAY; day = addDays(day, 97)) {
        const start = shopDayStart(day, timeZone);
        expect(shopDay(start, timeZone)).toBe(day);
        expect(shopDay(new Date(start.getTime() - 1), timeZone)).toBe(addDays(day, -1));
      }
    }
  });
});
