import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InvalidCursorError } from '../../shared/errors';
import { isShopDay } from '../../shared/shop-time';
import { SORT_ORDERS, type SortOrder } from './products.schemas';

/**
 * The keyset position after the last row of a page: the row's sort key (price, units sold or relevance
 * score; none for `newest`) and its id, which breaks ties so the order is total. The cursor also carries
 * the sort and a fingerprint of the filters, so it cannot be replayed against another query.
 */
export interface ListingPosition {
  sort: SortOrder;
  /** Fingerprint of the query the cursor was issued for (see {@link queryFingerprint}). */
  fingerprint: string;
  key?: number;
  id: number;
  /** best_selling only: the first day of the sales window, fixed for the whole walk. */
  since?: string;
}

const SORTS_WITH_KEY: ReadonlySet<SortOrder> = new Set([
  'relevance',
  'price_asc',
  'price_desc',
  'best_selling',
]);

const payload = z
  .strictObject({
    v: z.literal(1),
    s: z.enum(SORT_ORDERS),
    f: z.string().regex(/^[A-Za-z0-9_-]{12}$/),
    k: z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER).optional(),
    i: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    d: z.string().refine(isShopDay).optional(),
  })
  .refine((value) => SORTS_WITH_KEY.has(value.s) === (value.k !== undefined), 'sort key mismatch')
  .refine((value) => (value.s === 'best_selling') === (value.d !== undefined), 'window mismatch');

export function encodeCursor(position: ListingPosition): string {
  const body: z.input<typeof payload> = { v: 1, s: position.sort, f: position.fingerprint, i: position.id };
  if (position.key !== undefined) body.k = position.key;
  if (position.since !== undefined) body.d = position.since;
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** Decodes a cursor for `sort` and `fingerprint`; anything else is a 400 INVALID_CURSOR. */
export function decodeCursor(
  cursor: string,
  expected: { sort: SortOrder; fingerprint: string },
): ListingPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('The cursor is not valid');
  }
  const result = payload.safeParse(parsed);
  if (!result.success) throw new InvalidCursorError('The cursor is not valid');
  const { s, f, k, i, d } = result.data;
  if (s !== expected.sort || f !== expected.fingerprint)
    throw new InvalidCursorError('The cursor belongs to a different query or sort; start again without it');
  return { sort: s, fingerprint: f, key: k, id: i, since: d };
}

/** A short, stable digest of a query's canonical form (filters and sort, not the page size). */
export function queryFingerprint(canonical: unknown): string {
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url').slice(0, 12);
}
