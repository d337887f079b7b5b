import { InvalidCursorError } from '../../shared/errors';
import { decodeCursor, encodeCursor, queryFingerprint } from './listing-cursor';

const fingerprint = queryFingerprint({ brands: ['lg'] });

describe('listing cursors', () => {
  it('when a cursor is encoded, then it decodes to the same position', () => {
    const cursor = encodeCursor({ sort: 'price_asc', fingerprint, key: 159_000, id: 42 });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, { sort: 'price_asc', fingerprint })).toEqual({
      sort: 'price_asc',
      fingerprint,
      key: 159_000,
      id: 42,
      since: undefined,
    });
  });

  it('when the sort or the query differs, then the cursor is refused', () => {
    const cursor = encodeCursor({ sort: 'newest', fingerprint, id: 7 });
    expect(() => decodeCursor(cursor, { sort: 'price_asc', fingerprint })).toThrow(InvalidCursorError);
    expect(() => decodeCursor(cursor, { sort: 'newest', fingerprint: queryFingerprint({}) })).toThrow(
      InvalidCursorError,
    );
  });

  const encoded = (payload: object) => Buffer.from(JSON.stringify(payload)).toString('base64url');

  it.each([
    ['not base64 json', 'newest', 'bm90LWpzb24'],
    ['a sort key on newest', 'newest', encoded({ v: 1, s: 'newest', f: fingerprint, k: 1, i: 1 })],
    ['no key on price_asc', 'price_asc', encoded({ v: 1, s: 'price_asc', f: fingerprint, i: 1 })],
    ['a fractional id', 'newest', encoded({ v: 1, s: 'newest', f: fingerprint, i: 1.5 })],
    ['an extra field', 'newest', encoded({ v: 1, s: 'newest', f: fingerprint, i: 1, x: 1 })],
    ['no sales window', 'best_selling', encoded({ v: 1, s: 'best_selling', f: fingerprint, k: 1, i: 1 })],
    [
      'a sales window before the shop calendar',
      'best_selling',
      encoded({ v: 1, s: 'best_selling', f: fingerprint, k: 1, i: 1, d: '0999-12-31' }),
    ],
    [
      'a sales window after the shop calendar',
      'best_selling',
      encoded({ v: 1, s: 'best_selling', f: fingerprint, k: 1, i: 1, d: '9999-12-31' }),
    ],
  ] as const)('when the cursor has %s, then it is refused', (_label, sort, cursor) => {
    expect(() => decodeCursor(cursor, { sort, fingerprint })).toThrow(InvalidCursorError);
  });
});
