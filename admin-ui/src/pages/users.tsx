import { Link } from 'wouter';
import { api } from '../api/client';
import type { AdminUser, CursorPage } from '../api/types';
import { formatDateTime } from '../components/format';
import { useListQuery } from '../components/list-query';
import { DateField, FilterForm, ResultTable, SearchField } from '../components/list-view';
import { Pager, useCursorList } from '../components/pager';
import { PAGE_SIZE } from '../config';
import { useI18n } from '../i18n/i18n';

const FILTERS = ['q', 'from', 'to'] as const;

/** Users: search by email/name and joining dates, paged with the API's cursor. */
export default function UsersPage() {
  const { t, language } = useI18n();
  const list = useListQuery(FILTERS);
  const { filters, draft, setDraft } = list;
  const users = useCursorList(
    (cursor, signal) =>
      api<CursorPage<AdminUser>>('GET', '/api/admin/users', {
        query: { q: filters.q.trim(), from: filters.from, to: filters.to, limit: PAGE_SIZE, cursor },
        signal,
      }),
    list.key,
  );

  return (
    <section>
      <h1>{t('users.title')}</h1>
      <FilterForm loading={users.loading} onSubmit={() => list.submit()} onReset={list.reset}>
        <SearchField
          label={t('users.search')}
          value={draft.q}
          onChange={(value) => setDraft('q', value)}
          testId="users-q"
        />
        <DateField
          label={t('users.joinedFrom')}
          value={draft.from}
          onChange={(value) => setDraft('from', value)}
        />
        <DateField label={t('users.joinedTo')} value={draft.to} onChange={(value) => setDraft('to', value)} />
      </FilterForm>
      <ResultTable
        result={users}
        empty={t('users.empty')}
        testId="users-table"
        head={
          <>
            <th scope="col">{t('users.email')}</th>
            <th scope="col">{t('users.name')}</th>
            <th scope="col">{t('users.role')}</th>
            <th scope="col">{t('users.status')}</th>
            <th scope="col">{t('users.joined')}</th>
          </>
        }
        row={(user) => (
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
        )}
      />
      <Pager {...users.pager} />
    </section>
  );
}
