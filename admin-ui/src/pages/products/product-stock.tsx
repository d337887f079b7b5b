import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { CursorPage } from '../../api/types';
import { BusyButton } from '../../components/busy-button';
import { ErrorMessage } from '../../components/error-message';
import { formatCount, formatDateTime } from '../../components/format';
import { ResultTable } from '../../components/list-view';
import { Pager, useCursorList } from '../../components/pager';
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
  // Bumped by each adjustment: the ledger reloads from its first page, where the new entry is.
  const [generation, setGeneration] = useState(0);
  const base = `/api/admin/products/${productId}/stock-adjustments`;
  const ledger = useCursorList(
    (cursor, signal) =>
      api<CursorPage<LedgerEntry>>('GET', base, { query: { limit: LEDGER_PAGE, cursor }, signal }),
    `${productId}|${generation}`,
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
      <ResultTable
        result={ledger}
        empty={t('products.ledger.empty')}
        testId="ledger-table"
        head={
          <>
            <th scope="col">{t('products.ledger.at')}</th>
            <th scope="col">{t('products.ledger.kind')}</th>
            <th scope="col">{t('products.delta')}</th>
            <th scope="col">{t('products.ledger.after')}</th>
            <th scope="col">{t('products.reason')}</th>
            <th scope="col">{t('products.ledger.by')}</th>
          </>
        }
        row={(entry) => (
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
        )}
      />
      <Pager {...ledger.pager} />
    </section>
  );
}
