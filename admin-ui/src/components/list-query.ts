import { useState } from 'react';
import { useLocation, useSearch } from 'wouter';

export type ListFilters<Name extends string> = Record<Name, string>;

function filtersOf<Name extends string>(names: readonly Name[], query: string): ListFilters<Name> {
  const params = new URLSearchParams(query);
  return Object.fromEntries(names.map((name) => [name, params.get(name) ?? ''])) as ListFilters<Name>;
}

/** The filters as a query string (no `?`): trimmed, blanks left out, in the order `names` gives. */
function queryOf<Name extends string>(names: readonly Name[], filters: Partial<ListFilters<Name>>): string {
  const params = new URLSearchParams();
  for (const name of names) {
    const value = filters[name]?.trim();
    if (value) params.set(name, value);
  }
  return params.toString();
}

export interface ListQuery<Name extends string> {
  /** The filters the list shows. */
  filters: ListFilters<Name>;
  /** What the form's inputs hold; applied by submit(). */
  draft: ListFilters<Name>;
  setDraft(name: Name, value: string): void;
  /** Applies the draft (with `overrides` over it). */
  submit(overrides?: Partial<ListFilters<Name>>): void;
  /** Changes some of the applied filters (a sort, a page) and keeps the rest; the draft is dropped. */
  update(changes: Partial<ListFilters<Name>>): void;
  /** Clears every filter. */
  reset(): void;
  /**
   * Changes whenever the list should load again from its first page: other filters, or the same ones
   * applied again (Search pressed twice refreshes).
   */
  key: string;
}

/**
 * A list page's filters: the inputs' draft, and the filters applied, which live in the URL's query when
 * `path` is given (/orders?status=…: a reload, back/forward or a shared link keeps them) or else in the page
 * alone. The inputs follow the applied filters whenever those change, including by back/forward.
 */
export function useListQuery<Name extends string>(
  names: readonly Name[],
  { path }: { path?: string } = {},
): ListQuery<Name> {
  const search = useSearch();
  const [, navigate] = useLocation();
  const [pageQuery, setPageQuery] = useState('');
  const [applied, setApplied] = useState(0);
  const query = path === undefined ? pageQuery : search;
  const filters = filtersOf(names, query);
  const key = `${query}#${applied}`;
  const [draft, setDraftState] = useState(filters);
  const [draftKey, setDraftKey] = useState(key);
  let shown = draft;
  if (draftKey !== key) {
    setDraftKey(key);
    setDraftState(filters);
    shown = filters;
  }

  function apply(next: Partial<ListFilters<Name>>) {
    const text = queryOf(names, next);
    if (path === undefined) setPageQuery(text);
    else navigate(text ? `${path}?${text}` : path);
    setApplied((count) => count + 1);
  }

  return {
    filters,
    draft: shown,
    setDraft: (name, value) => setDraftState((current) => ({ ...current, [name]: value })),
    submit: (overrides = {}) => apply({ ...shown, ...overrides }),
    update: (changes) => apply({ ...filters, ...changes }),
    reset: () => apply({}),
    key,
  };
}
