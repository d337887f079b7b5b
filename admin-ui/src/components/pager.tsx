import { useCallback, useState } from 'react';
import type { CursorPage } from '../api/types';
import { useApiData, type ApiData } from '../api/use-api';
import { useI18n } from '../i18n/i18n';

/**
 * Cursor paging as the API does it (nextCursor): remembers the cursors of the pages already seen, so
 * "previous" goes back without the API needing a backwards cursor. A new `resetKey` (other filters, a
 * change to the list) starts again at the first page.
 */
export function useCursorPages(resetKey = '') {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [seenKey, setSeenKey] = useState(resetKey);
  let seen = cursors;
  if (seenKey !== resetKey) {
    setSeenKey(resetKey);
    setCursors([undefined]);
    seen = [undefined];
  }
  const index = seen.length - 1;
  return {
    cursor: seen[index],
    page: index + 1,
    next: useCallback((nextCursor: string) => setCursors((pages) => [...pages, nextCursor]), []),
    previous: useCallback(() => setCursors((pages) => (pages.length > 1 ? pages.slice(0, -1) : pages)), []),
  };
}

export interface PagerProps {
  page: number;
  hasNext: boolean;
  onPrevious(): void;
  onNext(): void;
}

export interface CursorList<T> extends ApiData<CursorPage<T>> {
  /** Spread into <Pager>. */
  pager: PagerProps;
}

/**
 * A list the API pages with a cursor: loads the page the pager is on, and goes back to the first page
 * whenever `key` (what the list shows: its filters, a change made to it) changes.
 */
export function useCursorList<T>(
  load: (cursor: string | undefined, signal: AbortSignal) => Promise<CursorPage<T>>,
  key: string,
): CursorList<T> {
  const pages = useCursorPages(key);
  const list = useApiData((signal) => load(pages.cursor, signal), `${key}|${pages.cursor ?? ''}`);
  const nextCursor = list.data?.nextCursor;
  return {
    ...list,
    pager: {
      page: pages.page,
      hasNext: Boolean(nextCursor),
      onPrevious: pages.previous,
      onNext: () => nextCursor && pages.next(nextCursor),
    },
  };
}

export function Pager({ page, hasNext, onPrevious, onNext }: PagerProps) {
  const { t } = useI18n();
  return (
    <nav className="pager" aria-label={t('common.page', { page })}>
      <button type="button" className="button button-secondary" onClick={onPrevious} disabled={page <= 1}>
        {t('common.previous')}
      </button>
      <span>{t('common.page', { page })}</span>
      <button type="button" className="button button-secondary" onClick={onNext} disabled={!hasNext}>
        {t('common.next')}
      </button>
    </nav>
  );
}
