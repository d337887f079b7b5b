import { lazy, Suspense, useMemo, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { Granularity, SalesStats, StatsOverview, TopProducts } from '../api/types';
import { useApiData } from '../api/use-api';
import { ErrorMessage } from '../components/error-message';
import { addDays, dayInZone, formatCount, formatWon } from '../components/format';
import { SHOP_TIME_ZONE } from '../config';
import { useI18n } from '../i18n/i18n';

// Chart.js is the largest dependency: loaded with the dashboard's charts, not with the first page.
const SalesChart = lazy(() =>
  import('../components/charts').then((module) => ({ default: module.SalesChart })),
);
const TopProductsChart = lazy(() =>
  import('../components/charts').then((module) => ({ default: module.TopProductsChart })),
);

interface Range {
  from: string;
  to: string;
  granularity: Granularity;
}

function defaultRange(): Range {
  const today = dayInZone(new Date());
  return { from: addDays(today, -29), to: today, granularity: 'day' };
}

function Overview() {
  const { t } = useI18n();
  const overview = useApiData(
    (signal) => api<StatsOverview>('GET', '/api/admin/stats/overview', { signal }),
    'overview',
  );
  if (overview.error) return <ErrorMessage error={overview.error} />;
  const data = overview.data;
  if (!data) return <p role="status">{t('common.loading')}</p>;
  const failed =
    data.failedJobs === null ? null : Object.values(data.failedJobs).reduce((sum, n) => sum + n, 0);
  return (
    <div className="cards" data-testid="overview">
      <article className="card">
        <h2>{t('dashboard.orders')}</h2>
        <p className="card-figure">{formatCount(data.today.orders)}</p>
        <p className="card-note">
          {t('dashboard.today')} · {t('dashboard.yesterday')} {formatCount(data.yesterday.orders)}
        </p>
      </article>
      <article className="card">
        <h2>{t('dashboard.revenue')}</h2>
        <p className="card-figure" data-testid="today-revenue">
          {formatWon(data.today.revenue)}
        </p>
        <p className="card-note">
          {t('dashboard.today')} · {t('dashboard.yesterday')} {formatWon(data.yesterday.revenue)}
        </p>
      </article>
      <article className="card">
        <h2>{t('dashboard.inProgress')}</h2>
        <p className="card-figure">{formatCount(data.pendingOrders.total)}</p>
        <p className="card-note">
          {Object.entries(data.pendingOrders.byStatus)
            .map(([status, n]) => `${status} ${n}`)
            .join(' · ')}
        </p>
      </article>
      <article className="card">
        <h2>{t('dashboard.failedJobs')}</h2>
        <p className="card-figure">{failed === null ? '—' : formatCount(failed)}</p>
        <p className="card-note">
          {data.failedJobs === null
            ? t('dashboard.failedJobsUnknown')
            : Object.entries(data.failedJobs)
                .filter(([, n]) => n > 0)
                .map(([queue, n]) => `${queue} ${n}`)
                .join(' · ')}
        </p>
      </article>
      <article className="card">
        <h2>{t('dashboard.newUsers')}</h2>
        <p className="card-figure">{formatCount(data.newUsersToday)}</p>
      </article>
    </div>
  );
}

export default function DashboardPage() {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Range>(defaultRange);
  const [range, setRange] = useState<Range>(draft);
  const key = `${range.from}|${range.to}|${range.granularity}`;
  const sales = useApiData(
    (signal) => api<SalesStats>('GET', '/api/admin/stats/sales', { query: { ...range }, signal }),
    `sales|${key}`,
  );
  const top = useApiData(
    (signal) =>
      api<TopProducts>('GET', '/api/admin/stats/top-products', {
        query: { from: range.from, to: range.to, limit: 10 },
        signal,
      }),
    `top|${range.from}|${range.to}`,
  );
  const zone = sales.data?.timeZone ?? SHOP_TIME_ZONE;

  const salesSeries = useMemo(() => {
    const buckets = sales.data?.buckets ?? [];
    return {
      labels: buckets.map((bucket) => bucket.period),
      revenue: buckets.map((bucket) => bucket.revenue),
      net: buckets.map((bucket) => bucket.net),
    };
  }, [sales.data]);
  const topSeries = useMemo(() => {
    const items = top.data?.items ?? [];
    return {
      labels: items.map((item) => item.name ?? `#${item.productId}`),
      revenue: items.map((item) => item.revenue),
    };
  }, [top.data]);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setRange({ ...draft });
    if (sales.error) sales.reload();
  }

  return (
    <section>
      <h1>{t('dashboard.title')}</h1>
      <Overview />

      <h2>{t('dashboard.sales')}</h2>
      <form className="filters" onSubmit={onSubmit}>
        <label className="field">
          <span>{t('common.from')}</span>
          <input
            type="date"
            required
            value={draft.from}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          />
        </label>
        <label className="field">
          <span>{t('common.to')}</span>
          <input
            type="date"
            required
            value={draft.to}
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          />
        </label>
        <label className="field">
          <span>{t('dashboard.granularity')}</span>
          <select
            value={draft.granularity}
            onChange={(e) => setDraft({ ...draft, granularity: e.target.value as Granularity })}
          >
            <option value="day">{t('dashboard.day')}</option>
            <option value="week">{t('dashboard.week')}</option>
            <option value="month">{t('dashboard.month')}</option>
          </select>
        </label>
        <button type="submit" className="button button-primary" disabled={sales.loading}>
          {sales.loading && <span className="spinner" aria-hidden="true" />}
          {t('dashboard.show')}
        </button>
      </form>
      <p className="caption" data-testid="time-zone-caption">
        {t('dashboard.timeZoneCaption', { zone })}
      </p>
      <ErrorMessage error={sales.error} />
      {sales.data && (
        <>
          <Suspense fallback={<div className="chart" />}>
            <SalesChart
              labels={salesSeries.labels}
              revenue={salesSeries.revenue}
              net={salesSeries.net}
              revenueLabel={t('dashboard.revenue')}
              netLabel={t('dashboard.net')}
              ariaLabel={t('dashboard.chartLabel', { from: sales.data.from, to: sales.data.to })}
            />
          </Suspense>
          <div className="table-scroll">
            <table className="table" data-testid="sales-table">
              <caption className="visually-hidden">
                {t('dashboard.chartLabel', { from: sales.data.from, to: sales.data.to })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('dashboard.period')}</th>
                  <th scope="col">{t('dashboard.orders')}</th>
                  <th scope="col">{t('dashboard.units')}</th>
                  <th scope="col">{t('dashboard.revenue')}</th>
                  <th scope="col">{t('dashboard.refunds')}</th>
                  <th scope="col">{t('dashboard.net')}</th>
                </tr>
              </thead>
              <tbody>
                {sales.data.buckets
                  .filter((bucket) => bucket.orders > 0 || bucket.refunds > 0)
                  .map((bucket) => (
                    <tr key={bucket.period}>
                      <th scope="row">{bucket.period}</th>
                      <td className="number">{formatCount(bucket.orders)}</td>
                      <td className="number">{formatCount(bucket.units)}</td>
                      <td className="number">{formatWon(bucket.revenue)}</td>
                      <td className="number">{formatWon(bucket.refunds)}</td>
                      <td className="number">{formatWon(bucket.net)}</td>
                    </tr>
                  ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('dashboard.total')}</th>
                  <td className="number">{formatCount(sales.data.totals.orders)}</td>
                  <td className="number">{formatCount(sales.data.totals.units)}</td>
                  <td className="number" data-testid="sales-total-revenue">
                    {formatWon(sales.data.totals.revenue)}
                  </td>
                  <td className="number">{formatWon(sales.data.totals.refunds)}</td>
                  <td className="number">{formatWon(sales.data.totals.net)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        </>
      )}

      <h2>{t('dashboard.topProducts')}</h2>
      <ErrorMessage error={top.error} />
      {top.data && top.data.items.length === 0 && <p>{t('dashboard.noSales')}</p>}
      {top.data && top.data.items.length > 0 && (
        <>
          <Suspense fallback={<div className="chart" />}>
            <TopProductsChart
              labels={topSeries.labels}
              revenue={topSeries.revenue}
              revenueLabel={t('dashboard.revenue')}
              ariaLabel={t('dashboard.topChartLabel', { from: top.data.from, to: top.data.to })}
            />
          </Suspense>
          <div className="table-scroll">
            <table className="table" data-testid="top-products-table">
              <thead>
                <tr>
                  <th scope="col">{t('dashboard.product')}</th>
                  <th scope="col">{t('dashboard.units')}</th>
                  <th scope="col">{t('dashboard.revenue')}</th>
                </tr>
              </thead>
              <tbody>
                {top.data.items.map((item) => (
                  <tr key={item.productId}>
                    <th scope="row">{item.name ?? `#${item.productId}`}</th>
                    <td className="number">{formatCount(item.units)}</td>
                    <td className="number">{formatWon(item.revenue)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
