import { MAX_HINTED_RETRY_DELAY_MS, hintedExponentialDelay } from './define-queue';

describe('hintedExponentialDelay', () => {
  it('when the error carries no hint, then the delay doubles from the base with each attempt', () => {
    expect([1, 2, 3, 4].map((attempt) => hintedExponentialDelay(attempt, 1000, new Error('x')))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
  });

  it('when the provider asks for longer than the exponential delay, then the job waits as asked', () => {
    expect(hintedExponentialDelay(1, 1000, { retryAfterMs: 7000 })).toBe(7000);
  });

  it('when the hint is shorter than the exponential delay, then the exponential delay stands', () => {
    expect(hintedExponentialDelay(5, 1000, { retryAfterMs: 2000 })).toBe(16000);
  });

  it('when the hint is absurd, then it is capped; when it is not a positive number, it is ignored', () => {
    expect(hintedExponentialDelay(1, 1000, { retryAfterMs: 86_400_000 })).toBe(MAX_HINTED_RETRY_DELAY_MS);
    for (const retryAfterMs of [0, -5, Number.NaN, Infinity, '3000'])
      expect(hintedExponentialDelay(1, 1000, { retryAfterMs })).toBe(1000);
  });
});
