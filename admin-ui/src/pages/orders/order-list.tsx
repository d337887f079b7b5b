import { useState, type FormEvent } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { api } from '../../api/client';
import type { CursorPage } from '../../api/types';
import { useApiData } from '../../api/use-api';
import { ErrorMessage } from '../../components/error-message';
import { formatDateTime, formatWon } from '../../components/format';
import { Pager, useCursorPages } from '../../components/pager';
import { PAGE_SIZE, SHOP_TIME_ZONE } from '../../config';
import { useI18n } from '../../i18n/i18n';
import { ORDER_STATUSES, type OrderListItem } from './types';
import '../products/products.css';

const FILTERS = ['q', 'status', 'userId', 'from', 'to'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

function filtersOf(search: string): Filters {
  const params = new URLSearchParams(search);
  return Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? ''])) as Filters;
}

function searchOf(filters: Filters): string {
  const params = new URLSearchParams();
  for (const name of FILTERS) if (filters[name].trim()) params.set(name, filters[name].trim());
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Orders: search (order id or the customer's e-mail), status, user id and a date range — whole days in the
 * shop's zone (the API cuts YYYY-MM-DD in Asia/Seoul) — newest first, paged with the API's cursor. The filters
 * live in the URL.
 */
export default function OrderListPage() {
  const { t, language } = useI18n();
  const search = useSearch();
  const [, navigate] = useLocation();
  const filters = filtersOf(search);
  const [draft, setDraft] = useState<Filters>(filters);
  const [seenSearch, setSeenSearch] = useState(search);
  const pages = useCursorPages();
  if (seenSearch !== search) {
    setSeenSearch(search);
    setDraft(filters);
    pages.reset();
  }
  const orders = useApiData(
    (signal) =>
      api<CursorPage<OrderListItem>>('GET', '/api/admin/orders', {
        query: {
          q: filters.q.trim().replace(/^#(?=[0-9])/, ''),
          status: filters.status,
          userId: filters.userId.trim(),
          from: filters.from,
          to: filters.to,
          limit: PAGE_SIZE,
          cursor: pages.cursor,
        },
        signal,
      }),
    `${search}|${pages.cursor ?? ''}`,
  );

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const q = draft.q.trim();
    // An order number alone opens that order.
    if (/^#?[0-9]{1,15}$/.test(q) && !draft.status && !draft.userId && !draft.from && !draft.to) {
      navigate(`/orders/${q.replace('#', '')}`);
      return;
    }
    navigate(`/orders${searchOf(draft)}`);
  }

  const set = (name: keyof Filters, value: string) => setDraft({ ...draft, [name]: value });

  return (
    <section>
      <h1>{t('orders.title')}</h1>
      <form className="filters" onSubmit={onSubmit} role="search">
        <label className="field">
          <span>{t('orders.search')}</span>
          <input
            type="search"
            maxLength={100}
            value={draft.q}
            onChange={(event) => set('q', event.target.value)}
            data-testid="orders-q"
          />
        </label>
        <label className="field">
          <span>{t('orders.status')}</span>
          <select
            value={draft.status}
            onChange={(event) => set('status', event.target.value)}
            data-testid="orders-status"
          >
            <option value="">{t('products.any')}</option>
            {ORDER_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`orders.status.${status}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('orders.userId')}</span>
          <input
            inputMode="numeric"
            size={8}
            value={draft.userId}
            onChange={(event) => set('userId', event.target.value.replace(/[^0-9]/g, ''))}
            data-testid="orders-user"
          />
        </label>
        <label className="field">
          <span>{t('common.from')}</span>
          <input type="date" value={draft.from} onChange={(event) => set('from', event.target.value)} />
        </label>
        <label className="field">
          <span>{t('common.to')}</span>
          <input type="date" value={draft.to} onChange={(event) => set('to', event.target.value)} />
        </label>
        <button type="submit" className="button button-primary" disabled={orders.loading}>
          {orders.loading && <span className="spinner" aria-hidden="true" />}
          {t('common.search')}
        </button>
        <button type="button" className="button button-secondary" onClick={() => navigate('/orders')}>
          {t('common.reset')}
        </button>
      </form>
      <p className="caption">{t('orders.zoneCaption', { zone: SHOP_TIME_ZONE })}</p>
      <ErrorMessage error={orders.error} />
      {orders.data && orders.data.items.length === 0 && <p>{t('orders.empty')}</p>}
      {orders.data && orders.data.items.length > 0 && (
        <div className="table-scroll">
          <table className="table" data-testid="orders-table">
            <thead>
              <tr>
                <th scope="col">{t('orders.id')}</th>
                <th scope="col">{t('orders.customer')}</th>
                <th scope="col">{t('orders.status')}</th>
                <th scope="col" className="number">
                  {t('orders.total')}
                </th>
                <th scope="col">{t('orders.placedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {orders.data.items.map((order) => (
                <tr key={order.id} data-testid={`order-row-${order.id}`}>
                  <th scope="row">
                    <Link href={`/orders/${order.id}`}>#{order.id}</Link>
                  </th>
                  <td>
                    {order.user.email ?? '—'}{' '}
                    <span className="hint">({t('orders.user', { id: order.user.id })})</span>
                  </td>
                  <td>
                    <span className={`badge status-${order.status}`}>
                      {t(`orders.status.${order.status}`)}
                    </span>
                  </td>
                  <td className="number">{formatWon(order.total)}</td>
                  <td>{formatDateTime(order.createdAt, language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        page={pages.page}
        hasNext={Boolean(orders.data?.nextCursor)}
        onPrevious={pages.previous}
        onNext={() => orders.data?.nextCursor && pages.next(orders.data.nextCursor)}
      />
    </section>
  );
}
