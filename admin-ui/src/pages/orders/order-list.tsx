import { Link, useLocation } from 'wouter';
import { api } from '../../api/client';
import type { CursorPage } from '../../api/types';
import { formatDateTime, formatWon } from '../../components/format';
import { useListQuery } from '../../components/list-query';
import { DateField, FilterField, FilterForm, ResultTable, SearchField } from '../../components/list-view';
import { Pager, useCursorList } from '../../components/pager';
import { PAGE_SIZE, SHOP_TIME_ZONE } from '../../config';
import { useI18n } from '../../i18n/i18n';
import { ORDER_STATUSES, type OrderListItem } from './types';
import '../products/products.css';

const FILTERS = ['q', 'status', 'userId', 'from', 'to'] as const;

/**
 * Orders: search (order id or the customer's e-mail), status, user id and a date range — whole days in the
 * shop's zone (the API cuts YYYY-MM-DD in Asia/Seoul) — newest first, paged with the API's cursor. The filters
 * live in the URL.
 */
export default function OrderListPage() {
  const { t, language } = useI18n();
  const [, navigate] = useLocation();
  const list = useListQuery(FILTERS, { path: '/orders' });
  const { filters, draft, setDraft } = list;
  const orders = useCursorList(
    (cursor, signal) =>
      api<CursorPage<OrderListItem>>('GET', '/api/admin/orders', {
        query: {
          q: filters.q.trim().replace(/^#(?=[0-9])/, ''),
          status: filters.status,
          userId: filters.userId.trim(),
          from: filters.from,
          to: filters.to,
          limit: PAGE_SIZE,
          cursor,
        },
        signal,
      }),
    list.key,
  );

  function onSubmit() {
    const q = draft.q.trim();
    // An order number alone opens that order.
    if (/^#?[0-9]{1,15}$/.test(q) && !draft.status && !draft.userId && !draft.from && !draft.to) {
      navigate(`/orders/${q.replace('#', '')}`);
      return;
    }
    list.submit();
  }

  return (
    <section>
      <h1>{t('orders.title')}</h1>
      <FilterForm loading={orders.loading} onSubmit={onSubmit} onReset={list.reset}>
        <SearchField
          label={t('orders.search')}
          value={draft.q}
          onChange={(value) => setDraft('q', value)}
          testId="orders-q"
        />
        <FilterField label={t('orders.status')}>
          <select
            value={draft.status}
            onChange={(event) => setDraft('status', event.target.value)}
            data-testid="orders-status"
          >
            <option value="">{t('products.any')}</option>
            {ORDER_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`orders.status.${status}`)}
              </option>
            ))}
          </select>
        </FilterField>
        <FilterField label={t('orders.userId')}>
          <input
            inputMode="numeric"
            size={8}
            value={draft.userId}
            onChange={(event) => setDraft('userId', event.target.value.replace(/[^0-9]/g, ''))}
            data-testid="orders-user"
          />
        </FilterField>
        <DateField
          label={t('common.from')}
          value={draft.from}
          onChange={(value) => setDraft('from', value)}
        />
        <DateField label={t('common.to')} value={draft.to} onChange={(value) => setDraft('to', value)} />
      </FilterForm>
      <p className="caption">{t('orders.zoneCaption', { zone: SHOP_TIME_ZONE })}</p>
      <ResultTable
        result={orders}
        empty={t('orders.empty')}
        testId="orders-table"
        head={
          <>
            <th scope="col">{t('orders.id')}</th>
            <th scope="col">{t('orders.customer')}</th>
            <th scope="col">{t('orders.status')}</th>
            <th scope="col" className="number">
              {t('orders.total')}
            </th>
            <th scope="col">{t('orders.placedAt')}</th>
          </>
        }
        row={(order) => (
          <tr key={order.id} data-testid={`order-row-${order.id}`}>
            <th scope="row">
              <Link href={`/orders/${order.id}`}>#{order.id}</Link>
            </th>
            <td>
              {order.user.email ?? '—'}{' '}
              <span className="hint">({t('orders.user', { id: order.user.id })})</span>
            </td>
            <td>
              <span className={`badge status-${order.status}`}>{t(`orders.status.${order.status}`)}</span>
            </td>
            <td className="number">{formatWon(order.total)}</td>
            <td>{formatDateTime(order.createdAt, language)}</td>
          </tr>
        )}
      />
      <Pager {...orders.pager} />
    </section>
  );
}
