import { formatWon } from '../../components/format';
import { useI18n } from '../../i18n/i18n';
import type { CategoryOption } from './catalogue-lookups';
import { EDITABLE_FIELDS, sameValue, type EditableField } from './product-rules';
import type { AdminProduct } from './types';

export interface Conflict {
  /** The changes this admin tried to save. */
  mine: Record<string, unknown>;
  /** The product as it was when the form loaded it. */
  loaded: AdminProduct;
  /** The product as it is now. */
  current: AdminProduct;
  /** The If-Match for an overwrite. */
  currentEtag: string | null;
}

function show(field: EditableField, value: unknown, categories: CategoryOption[]): string {
  if (value === undefined) return '—';
  if (field === 'price' && typeof value === 'number') return formatWon(value);
  if (field === 'categoryId') return categories.find((c) => c.id === value)?.label ?? String(value);
  if (field === 'specs' && typeof value === 'object' && value !== null)
    return Object.entries(value)
      .map(([key, spec]) => `${key}: ${String(spec)}`)
      .join(', ');
  return String(value);
}

/**
 * A 412 explained: each field someone else changed or this admin changed, theirs (now) beside yours, so the
 * admin chooses knowingly — reload (drop my changes) or overwrite (send mine against the current version).
 */
export function ConflictPanel({
  conflict,
  categories,
  busy,
  onReload,
  onOverwrite,
}: {
  conflict: Conflict;
  categories: CategoryOption[];
  busy: boolean;
  onReload(): void;
  onOverwrite(): void;
}) {
  const { t } = useI18n();
  const rows = EDITABLE_FIELDS.filter(
    (field) => field in conflict.mine || !sameValue(conflict.loaded[field], conflict.current[field]),
  );
  return (
    <section className="conflict" role="alert" aria-labelledby="conflict-heading" data-testid="conflict">
      <h2 id="conflict-heading">{t('products.conflict.title')}</h2>
      <p>{t('products.conflict.explain', { version: conflict.current.version })}</p>
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('products.conflict.field')}</th>
              <th scope="col">{t('products.conflict.theirs')}</th>
              <th scope="col">{t('products.conflict.yours')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((field) => {
              const theirs = conflict.current[field];
              const changedByThem = !sameValue(conflict.loaded[field], theirs);
              const yours = field in conflict.mine ? conflict.mine[field] : undefined;
              return (
                <tr key={field} data-testid={`conflict-${field}`} className={changedByThem ? 'changed' : ''}>
                  <th scope="row">
                    {t(`products.field.${field}`)}
                    {changedByThem && (
                      <span className="badge badge-deleted">{t('products.conflict.changed')}</span>
                    )}
                  </th>
                  <td>{show(field, theirs, categories)}</td>
                  <td>
                    {yours === undefined ? t('products.conflict.unchanged') : show(field, yours, categories)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="actions">
        <button
          type="button"
          className="button button-secondary"
          disabled={busy}
          onClick={onReload}
          data-testid="conflict-reload"
        >
          {t('products.conflict.reload')}
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={busy}
          onClick={onOverwrite}
          data-testid="conflict-overwrite"
        >
          {busy && <span className="spinner" aria-hidden="true" />}
          {t('products.conflict.overwrite')}
        </button>
      </div>
    </section>
  );
}
