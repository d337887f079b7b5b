import { shopDay } from './shop-time';

describe('shopDay', () => {
  it('when it is 23:59 UTC, then in Seoul it is already the next day', () => {
    expect(shopDay(new Date('2026-03-01T14:59:59Z'), 'Asia/Seoul')).toBe('2026-03-01');
    expect(shopDay(new Date('2026-03-01T15:00:00Z'), 'Asia/Seoul')).toBe('2026-03-02');
  });

  it('when the zone is UTC, then the day is the UTC date', () => {
    expect(shopDay(new Date('2026-03-01T23:59:59Z'), 'UTC')).toBe('2026-03-01');
  });
});
