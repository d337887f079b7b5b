import { InvalidCursorError } from '../../shared/errors';

/** Keyset pagination over `id DESC`: the cursor is the last id of the page, opaque to clients. */
export const encodeIdCursor = (id: number): string => Buffer.from(`id:${id}`).toString('base64url');

export function decodeIdCursor(cursor: string): number {
  const match = /^id:([1-9][0-9]{0,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  const id = match ? Number(match[1]) : Number.NaN;
  if (!Number.isSafeInteger(id)) throw new InvalidCursorError('cursor is not valid');
  return id;
}

/** The page of `rows` (fetched with limit + 1) and the cursor of the next page, if there is one. */
export function pageOf<T extends { id: number | string }>(
  rows: T[],
  limit: number,
): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextCursor: rows.length > limit && last ? encodeIdCursor(Number(last.id)) : null };
}
