/** The parts every list page is built from: its filter form and fields, and its table of results. */
import type { FormEvent, ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import { ErrorMessage } from './error-message';

/** The filters, then Search (a spinner while the list loads) and Reset. */
export function FilterForm({
  loading,
  onSubmit,
  onReset,
  children,
}: {
  loading: boolean;
  onSubmit(): void;
  onReset(): void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit();
  }
  return (
    <form className="filters" onSubmit={submit} role="search">
      {children}
      <button type="submit" className="button button-primary" disabled={loading}>
        {loading && <span className="spinner" aria-hidden="true" />}
        {t('common.search')}
      </button>
      <button type="button" className="button button-secondary" onClick={onReset}>
        {t('common.reset')}
      </button>
    </form>
  );
}

/** One filter: its label wraps the input, so the label names it. */
export function FilterField({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

interface InputFilterProps {
  label: string;
  value: string;
  onChange(value: string): void;
}

/** Free text (a name, an e-mail, an id). */
export function SearchField({ label, value, onChange, testId }: InputFilterProps & { testId: string }) {
  return (
    <FilterField label={label}>
      <input
        type="search"
        maxLength={100}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        data-testid={testId}
      />
    </FilterField>
  );
}

/** A day (YYYY-MM-DD). */
export function DateField({ label, value, onChange }: InputFilterProps) {
  return (
    <FilterField label={label}>
      <input type="date" value={value} onChange={(event) => onChange(event.target.value)} />
    </FilterField>
  );
}

/**
 * A list's answer: the error if it failed, `summary` (e.g. a count) once loaded, then either `empty` or the
 * table — `head` (the header row's cells) and a `row` per item — in a box that scrolls sideways on a narrow
 * screen.
 */
export function ResultTable<T>({
  result,
  empty,
  testId,
  summary,
  head,
  row,
}: {
  result: { data: { items: readonly T[] } | undefined; error: unknown };
  empty: string;
  testId: string;
  summary?: ReactNode;
  head: ReactNode;
  /** The item's <tr>, with its key. */
  row(item: T): ReactNode;
}) {
  const { data, error } = result;
  return (
    <>
      <ErrorMessage error={error} />
      {data && summary}
      {data && data.items.length === 0 && <p>{empty}</p>}
      {data && data.items.length > 0 && (
        <div className="table-scroll">
          <table className="table" data-testid={testId}>
            <thead>
              <tr>{head}</tr>
            </thead>
            <tbody>{data.items.map(row)}</tbody>
          </table>
        </div>
      )}
    </>
  );
}
