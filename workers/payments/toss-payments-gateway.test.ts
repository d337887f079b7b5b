import { retryAfterMs } from './toss-payments-gateway';

describe('retryAfterMs', () => {
  const now = Date.parse('2026-12-04T10:00:00Z');

  it('when Retry-After gives seconds, then they are milliseconds', () => {
    expect(retryAfterMs('3', now)).toBe(3000);
  });

  it('when Retry-After gives an HTTP-date, then the time until it', () => {
    expect(retryAfterMs('Fri, 04 Dec 2026 10:00:30 GMT', now)).toBe(30_000);
  });

  it('when Retry-After is missing, past, zero or garbage, then there is no hint', () => {
    for (const header of [undefined, '', '0', 'soon', '-1', 'Fri, 04 Dec 2026 09:00:00 GMT'])
      expect(retryAfterMs(header, now)).toBeUndefined();
  });
});
