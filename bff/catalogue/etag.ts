import { createHash } from 'node:crypto';

/**
 * A product's strong ETag: `"v<version>-<digest of the representation>"`. The digest changes whenever
 * the body does (availability moves with stock), so a 304 is never stale; the version part is what an
 * admin's If-Match is checked against, so a stock move between read and edit is not a conflict.
 */
export function productEtag(version: number, body: string): string {
  return `"v${version}-${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
}

function entityTags(header: string): string[] {
  return header
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

/** If-None-Match uses weak comparison: `W/"x"` matches `"x"`; `*` matches anything. */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return entityTags(header).some((tag) => tag === '*' || tag.replace(/^W\//, '') === etag);
}

export type IfMatch = { kind: 'absent' } | { kind: 'any' } | { kind: 'versions'; versions: number[] };

/**
 * The versions named by an If-Match header. Weak or foreign tags name no version (If-Match compares
 * strongly), so a header with only those can never match: the write is refused with 412.
 */
export function parseIfMatch(header: string | undefined): IfMatch {
  if (header === undefined || header.trim() === '') return { kind: 'absent' };
  const tags = entityTags(header);
  if (tags.includes('*')) return { kind: 'any' };
  const versions = tags.flatMap((tag) => {
    const match = /^"v([1-9][0-9]{0,9})-[A-Za-z0-9_-]{1,64}"$/.exec(tag);
    return match?.[1] ? [Number(match[1])] : [];
  });
  return { kind: 'versions', versions };
}
