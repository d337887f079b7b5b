import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { CursorPage } from '../../api/types';
import { useApiData } from '../../api/use-api';
import { BusyButton } from '../../components/busy-button';
import { ErrorMessage } from '../../components/error-message';
import { formatCount, formatDateTime } from '../../components/format';
import { Pager, useCursorPages } from '../../components/pager';
import { hasMessage, useI18n } from '../../i18n/i18n';
import { checkStockAdjustment, type FieldErrors } from './product-rules';
import type { LedgerEntry } from './types';

const LEDGER_PAGE = 10;

/** Stock: adjust by a delta with a reason (POST …/stock-adjustments); the ledger below, newest first. */
export function ProductStock({
  productId,
  stock,
  onStock,
}: {
  productId: number;
  stock: number;
  onStock(stock: number): void;
}) {
  const { t, language } = useI18n();
  const [delta, setDelta] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [generation, setGeneration] = useState(0);
  const pages = useCursorPages();
  const base = `/api/admin/products/${productId}/stock-adjustments`;
  const ledger = useApiData(
    (signal) =>
      api<CursorPage<LedgerEntry>>('GET', base, {
        query: { limit: LEDGER_PAGE, cursor: pages.cursor },
        signal,
      }),
    `${productId}|${pages.cursor ?? ''}|${generation}`,
  );

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const checked = checkStockAdjustment(delta, reason);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api<{ stock: number }>('POST', base, { body: checked.body });
      onStock(answer.stock);
      setDelta('');
      setReason('');
      pages.reset();
      setGeneration((value) => value + 1);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const kindLabel = (kind: string) => {
    const key = `products.ledger.kind.${kind}`;
    return hasMessage(key) ? t(key) : kind;
  };

  return (
    <section className="panel" aria-labelledby="stock-heading">
      <h2 id="stock-heading">
        {t('products.stock')}: <span data-testid="stock-now">{formatCount(stock)}</span>
      </h2>
      <form className="filters" onSubmit={onSubmit}>
        <div className={`field${errors.delta ? ' field-invalid' : ''}`}>
          <label htmlFor="stock-delta">{t('products.delta')}</label>
          <input
            id="stock-delta"
            inputMode="numeric"
            placeholder="+10 / -3"
            value={delta}
            onChange={(event) => setDelta(event.target.value.replace(/^\+/, ''))}
            aria-invalid={errors.delta ? true : undefined}
            data-testid="stock-delta"
          />
          {errors.delta && (
            <span className="field-error" role="alert">
              {errors.delta}
            </span>
          )}
        </div>
        <div className={`field field-wide${errors.reason ? ' field-invalid' : ''}`}>
          <label htmlFor="stock-reason">{t('products.reason')}</label>
          <input
            id="stock-reason"
            maxLength={200}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            aria-invalid={errors.reason ? true : undefined}
            data-testid="stock-reason"
          />
          {errors.reason && (
            <span className="field-error" role="alert">
              {errors.reason}
            </span>
          )}
        </div>
        <BusyButton type="submit" busy={busy} data-testid="stock-submit">
          {t('products.adjust')}
        </BusyButton>
      </form>
      <ErrorMessage error={error} />
      <h3>{t('products.ledger')}</h3>
      <ErrorMessage error={ledger.error} />
      {ledger.data && ledger.data.items.length === 0 && <p>{t('products.ledger.empty')}</p>}
      {ledger.data && ledger.data.items.length > 0 && (
        <div className="table-scroll">
          <table className="table" data-testid="ledger-table">
            <thead>
              <tr>
                <th scope="col">{t('products.ledger.at')}</th>
                <th scope="col">{t('products.ledger.kind')}</th>
                <th scope="col">{t('products.delta')}</th>
                <th scope="col">{t('products.ledger.after')}</th>
                <th scope="col">{t('products.reason')}</th>
                <th scope="col">{t('products.ledger.by')}</th>
              </tr>
            </thead>
            <tbody>
              {ledger.data.items.map((entry) => (
                <tr key={entry.id}>
                  <td>{formatDateTime(entry.createdAt, language)}</td>
                  <td>{kindLabel(entry.kind)}</td>
                  <td className={`number ${entry.delta < 0 ? 'negative' : 'positive'}`}>
                    {entry.delta > 0 ? '+' : ''}
                    {formatCount(entry.delta)}
                  </td>
                  <td className="number">
                    {entry.stockAfter === undefined || entry.stockAfter === null
                      ? '—'
                      : formatCount(entry.stockAfter)}
                  </td>
                  <td>{entry.reason ?? '—'}</td>
                  <td>
                    {entry.orderId !== null
                      ? t('products.ledger.order', { id: entry.orderId })
                      : entry.adminId !== null
                        ? t('products.ledger.admin', { id: entry.adminId })
                        : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        page={pages.page}
        hasNext={Boolean(ledger.data?.nextCursor)}
        onPrevious={pages.previous}
        onNext={() => ledger.data?.nextCursor && pages.next(ledger.data.nextCursor)}
      />
    </section>
  );
}
