import { useEffect, useState } from 'react';
import { Link, useParams } from 'wouter';
import { api } from '../../api/client';
import { useApiData } from '../../api/use-api';
import { BusyButton } from '../../components/busy-button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorMessage } from '../../components/error-message';
import { formatCount, formatDateTime, formatWon } from '../../components/format';
import { hasMessage, useI18n, type Translate } from '../../i18n/i18n';
import { followOrderEvents } from './order-stream';
import { buildTimeline, type TimelineEntry } from './timeline';
import { FINAL_STATUSES, IN_PROGRESS, type OrderDetail } from './types';
import { SHOP_TIME_ZONE } from '../../config';
import type { Language } from '../../i18n/i18n';
import '../products/products.css';

/** States an admin may cancel from (the API's CANCEL_MOVES); it answers 409 otherwise. */
const CANCELLABLE = ['PENDING', 'STOCK_RESERVED', 'CONFIRMED'];
const POLL_MS = 2_000;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** Timeline times to the second, in the shop's zone. */
function formatMoment(iso: string, language: Language): string {
  return new Intl.DateTimeFormat(language === 'ko' ? 'ko-KR' : 'en-GB', {
    timeZone: SHOP_TIME_ZONE,
    dateStyle: 'medium',
    timeStyle: 'medium',
  }).format(new Date(iso));
}

function label(t: Translate, prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return hasMessage(key) ? t(key) : value;
}

function describe(entry: TimelineEntry, t: Translate): string {
  const values = { ...entry.values };
  if (typeof values.amount === 'number') values.amount = formatWon(values.amount);
  if (typeof values.status === 'string') values.status = label(t, 'orders.status', values.status);
  if (entry.what === 'stock' && typeof values.kind === 'string')
    values.kind = label(t, 'products.ledger.kind', values.kind);
  if (entry.what === 'job' && typeof values.state === 'string')
    values.state = label(t, 'orders.jobState', values.state);
  if (entry.what.endsWith('.result') && typeof entry.values.status === 'string')
    values.status = label(t, 'orders.paymentStatus', entry.values.status);
  const key = `orders.event.${entry.what}`;
  return hasMessage(key) ? t(key, values) : entry.what;
}

/**
 * What the cancel this page sent has come to: asked for while the refund and the stock's return run (the
 * page shows the order live meanwhile), then done once the order is CANCELLED. Another final state (the
 * order ended some other way first) has nothing more to say than its status badge.
 */
function cancelNotice(status: string, t: Translate): string | undefined {
  if (status === 'CANCELLED') return t('orders.cancelDone');
  return FINAL_STATUSES.includes(status) ? undefined : t('orders.cancelRequested');
}

/**
 * One order as a timeline (state changes, payments, stock moves, jobs), its items and address; live while
 * the order is in progress (the order-event stream, re-reading the detail on each event); cancel after a
 * confirmation.
 */
export default function OrderDetailPage() {
  const { t, language } = useI18n();
  const { id } = useParams<{ id: string }>();
  const orderId = Number(id);
  const detail = useApiData(
    (signal) => api<OrderDetail>('GET', `/api/admin/orders/${encodeURIComponent(id)}`, { signal }),
    id,
  );
  const [live, setLive] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>();
  const [cancelSent, setCancelSent] = useState(false);
  const status = detail.data?.order.status;
  const reload = detail.reload;

  // Live while in progress: follow the stream; when it ends or cannot be had, poll; stop once final.
  useEffect(() => {
    if (!status || !IN_PROGRESS.includes(status)) return;
    const controller = new AbortController();
    setLive(true);
    void (async () => {
      let streaming = true;
      while (!controller.signal.aborted) {
        if (streaming) {
          const end = await followOrderEvents(orderId, () => reload(), controller.signal);
          if (end !== 'ended') streaming = false;
        } else await sleep(POLL_MS, controller.signal);
        if (controller.signal.aborted) return;
        reload();
        await sleep(500, controller.signal);
      }
    })();
    return () => {
      controller.abort();
      setLive(false);
    };
  }, [status, orderId, reload]);

  async function onCancel() {
    setBusy(true);
    setActionError(undefined);
    try {
      await api('POST', `/api/admin/orders/${orderId}/cancel`);
      setCancelSent(true);
      reload();
    } catch (caught) {
      setActionError(caught);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }

  const data = detail.data;
  if (!data) {
    return (
      <section>
        <p>
          <Link href="/orders">{t('orders.back')}</Link>
        </p>
        <ErrorMessage error={detail.error} />
        {detail.loading && (
          <p className="loading" role="status">
            <span className="spinner" aria-hidden="true" /> {t('common.loading')}
          </p>
        )}
      </section>
    );
  }
  const { order } = data;
  const cancelAsked =
    Boolean(order.cancelRequestedAt) || Boolean(data.timeline?.some((e) => e.type === 'cancel'));
  const timeline = buildTimeline(data);
  const address = order.shippingAddress ?? {};
  const notice = cancelSent ? cancelNotice(order.status, t) : undefined;

  return (
    <section>
      <p>
        <Link href="/orders">{t('orders.back')}</Link>
      </p>
      <div className="page-head">
        <h1>{t('orders.detailTitle', { id: order.id })}</h1>
        <span className={`badge status-${order.status}`} data-testid="order-status">
          {label(t, 'orders.status', order.status)}
        </span>
        {live && (
          <span className="live" role="status" data-testid="order-live">
            <span className="spinner" aria-hidden="true" /> {t('orders.live')}
          </span>
        )}
        {CANCELLABLE.includes(order.status) && !cancelAsked && (
          <BusyButton
            variant="danger"
            busy={busy}
            onClick={() => setConfirming(true)}
            data-testid="cancel-order"
          >
            {t('orders.cancel')}
          </BusyButton>
        )}
      </div>
      {notice && (
        <p className="notice" role="status" data-testid="order-notice">
          {notice}
        </p>
      )}
      <ErrorMessage error={actionError} />
      <ErrorMessage error={detail.error} />
      <dl className="facts-grid">
        <div>
          <dt>{t('orders.customer')}</dt>
          <dd>
            <Link href={`/users/${order.user.id}`}>
              {order.user.email ?? t('orders.user', { id: order.user.id })}
            </Link>
          </dd>
        </div>
        <div>
          <dt>{t('orders.total')}</dt>
          <dd data-testid="order-total">{formatWon(order.total)}</dd>
        </div>
        <div>
          <dt>{t('orders.payment')}</dt>
          <dd>{order.paymentMethod}</dd>
        </div>
        <div>
          <dt>{t('orders.placedAt')}</dt>
          <dd>{formatDateTime(order.createdAt, language)}</dd>
        </div>
        <div>
          <dt>{t('orders.address')}</dt>
          <dd>
            {[address.recipient, address.phone, address.postalCode, address.address1, address.address2]
              .filter(Boolean)
              .join(' · ') || '—'}
          </dd>
        </div>
        {order.failureReason && (
          <div>
            <dt>{t('orders.failure')}</dt>
            <dd>{order.failureReason}</dd>
          </div>
        )}
      </dl>

      <h2>{t('orders.items')}</h2>
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('products.name')}</th>
              <th scope="col" className="number">
                {t('products.price')}
              </th>
              <th scope="col" className="number">
                {t('orders.quantity')}
              </th>
              <th scope="col" className="number">
                {t('orders.lineTotal')}
              </th>
            </tr>
          </thead>
          <tbody>
            {order.items.map((item) => (
              <tr key={item.productId}>
                <th scope="row">
                  <Link href={`/products/${item.productId}`}>{item.name}</Link>
                </th>
                <td className="number">{formatWon(item.unitPrice)}</td>
                <td className="number">{formatCount(item.quantity)}</td>
                <td className="number">{formatWon(item.lineTotal)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t('orders.timeline')}</h2>
      {data.jobs === null && <p className="hint">{t('orders.jobsUnavailable')}</p>}
      <ol className="timeline" data-testid="timeline">
        {timeline.map((entry, index) => (
          <li key={index} className={`kind-${entry.kind}`} data-kind={entry.kind} data-what={entry.what}>
            <time dateTime={entry.at} title={entry.approximate ? t('orders.approximate') : undefined}>
              {entry.approximate ? '≈ ' : ''}
              {formatMoment(entry.at, language)}
            </time>
            <span>{describe(entry, t)}</span>
            {entry.note && <span className="hint"> — {entry.note}</span>}
            {entry.href && (
              <>
                {' '}
                <a href={entry.href} target="_blank" rel="noreferrer">
                  {t('orders.openJob')}
                </a>
              </>
            )}
          </li>
        ))}
      </ol>

      <ConfirmDialog
        open={confirming}
        title={t('orders.cancel')}
        confirmLabel={t('orders.cancel')}
        danger
        busy={busy}
        onCancel={() => setConfirming(false)}
        onConfirm={onCancel}
      >
        <p>{t('orders.confirmCancel', { id: order.id, total: formatWon(order.total) })}</p>
      </ConfirmDialog>
    </section>
  );
}
