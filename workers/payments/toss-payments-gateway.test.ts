import { classifyTossError, retryAfterMs } from './toss-payments-gateway';

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

describe('classifyTossError', () => {
  it.each([
    // Toss's temporary errors, whatever their status: retried.
    [400, 'PROVIDER_ERROR', 'retry'],
    [403, 'FORBIDDEN_CONSECUTIVE_REQUEST', 'retry'],
    [500, 'FAILED_PAYMENT_INTERNAL_SYSTEM_PROCESSING', 'retry'],
    [500, 'UNKNOWN_PAYMENT_ERROR', 'retry'],
    [503, undefined, 'retry'],
    [429, 'TOO_MANY_REQUESTS', 'retry'],
    // Our key: retried loudly, never taken for the customer's decline.
    [401, 'UNAUTHORIZED_KEY', 'misconfigured'],
    [400, 'INVALID_API_KEY', 'misconfigured'],
    [403, 'INCORRECT_BASIC_AUTH_FORMAT', 'misconfigured'],
    [403, 'FORBIDDEN_REQUEST', 'misconfigured'],
    // Declines and refusals Toss answers with 403 or 404 are final: the same request meets them again.
    [403, 'REJECT_CARD_PAYMENT', 'final'],
    [403, 'REJECT_CARD_COMPANY', 'final'],
    [404, 'NOT_FOUND_PAYMENT_SESSION', 'final'],
    [400, 'INVALID_STOPPED_CARD', 'final'],
    [403, 'NOT_CANCELABLE_AMOUNT', 'final'],
    [403, 'NOT_CANCELABLE_PAYMENT', 'final'],
    [400, 'ALREADY_PROCESSED_PAYMENT', 'final'],
  ] as const)('when Toss answers %i %s, then %s', (status, code, kind) => {
    expect(classifyTossError(status, code)).toBe(kind);
  });
});
