import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { api } from '../api/client';
import type { AdminUser, CursorPage } from '../api/types';
import { useApiData } from '../api/use-api';
import { ErrorMessage } from '../components/error-message';
import { formatDateTime } from '../components/format';
import { Pager, useCursorPages } from '../components/pager';
import { PAGE_SIZE } from '../config';
import { useI18n } from '../i18n/i18n';

interface Filters {
  q: string;
  from: string;
  to: string;
}

const EMPTY: Filters = { q: '', from: '', to: '' };

/** Users: search by email/name and joining dates, paged with the API's cursor. */
export default function UsersPage() {
  const { t, language } = useI18n();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const pages = useCursorPages();
  const users = useApiData(
    (signal) =>
      api<CursorPage<AdminUser>>('GET', '/api/admin/users', {
        query: {
          q: filters.q.trim(),
          from: filters.from,
          to: filters.to,
          limit: PAGE_SIZE,
          cursor: pages.cursor,
        },
        signal,
      }),
    JSON.stringify([filters, pages.cursor]),
  );

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    pages.reset();
    setFilters({ ...draft });
  }

  function onReset() {
    setDraft(EMPTY);
    setFilters(EMPTY);
    pages.reset();
  }

  return (
    <section>
      <h1>{t('users.title')}</h1>
      <form className="filters" onSubmit={onSubmit} role="search">
        <label className="field">
          <span>{t('users.search')}</span>
          <input
            type="search"
            maxLength={100}
            value={draft.q}
            onChange={(event) => setDraft({ ...draft, q: event.target.value })}
            data-testid="users-q"
          />
        </label>
        <label className="field">
          <span>{t('users.joinedFrom')}</span>
          <input
            type="date"
            value={draft.from}
            onChange={(event) => setDraft({ ...draft, from: event.target.value })}
          />
        </label>
        <label className="field">
          <span>{t('users.joinedTo')}</span>
          <input
            type="date"
            value={draft.to}
            onChange={(event) => setDraft({ ...draft, to: event.target.value })}
          />
        </label>
        <button type="submit" className="button button-primary" disabled={users.loading}>
          {users.loading && <span className="spinner" aria-hidden="true" />}
          {t('common.search')}
        </button>
        <button type="button" className="button button-secondary" onClick={onReset}>
          {t('common.reset')}
        </button>
      </form>
      <ErrorMessage error={users.error} />
      {users.data && users.data.items.length === 0 && <p>{t('users.empty')}</p>}
      {users.data && users.data.items.length > 0 && (
        <div className="table-scroll">
          <table className="table" data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">{t('users.email')}</th>
                <th scope="col">{t('users.name')}</th>
                <th scope="col">{t('users.role')}</th>
                <th scope="col">{t('users.status')}</th>
                <th scope="col">{t('users.joined')}</th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((user) => (
                <tr key={user.id}>
                  <th scope="row">
                    <Link href={`/users/${user.id}`}>{user.email}</Link>
                  </th>
                  <td>{user.name ?? '—'}</td>
                  <td>{t(`users.role.${user.role}`)}</td>
                  <td>
                    <span className={`badge badge-${user.status}`}>{t(`users.status.${user.status}`)}</span>
                  </td>
                  <td>{formatDateTime(user.createdAt, language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        page={pages.page}
        hasNext={Boolean(users.data?.nextCursor)}
        onPrevious={pages.previous}
        onNext={() => users.data?.nextCursor && pages.next(users.data.nextCursor)}
      />
    </section>
  );
}
