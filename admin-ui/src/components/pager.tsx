import { useCallback, useState } from 'react';
import { useI18n } from '../i18n/i18n';

/**
 * Cursor paging as the API does it (nextCursor): remembers the cursors of the pages already seen, so
 * "previous" goes back without the API needing a backwards cursor.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const index = cursors.length - 1;
  return {
    cursor: cursors[index],
    page: index + 1,
    next: useCallback((nextCursor: string) => setCursors((seen) => [...seen, nextCursor]), []),
    previous: useCallback(() => setCursors((seen) => (seen.length > 1 ? seen.slice(0, -1) : seen)), []),
    reset: useCallback(() => setCursors([undefined]), []),
  };
}

export function Pager({
  page,
  hasNext,
  onPrevious,
  onNext,
}: {
  page: number;
  hasNext: boolean;
  onPrevious(): void;
  onNext(): void;
}) {
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
