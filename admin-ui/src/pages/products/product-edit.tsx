import { useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { api, ApiError, apiResponse } from '../../api/client';
import { useApiData } from '../../api/use-api';
import { BusyButton } from '../../components/busy-button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorMessage } from '../../components/error-message';
import { formatDateTime } from '../../components/format';
import { useI18n } from '../../i18n/i18n';
import { loadCategories } from './catalogue-lookups';
import { ConflictPanel, type Conflict } from './product-conflict';
import { ProductFields } from './product-form';
import { ProductImages } from './product-images';
import {
  checkCreate,
  checkUpdate,
  emptyValues,
  serverFieldErrors,
  valuesOf,
  type FieldErrors,
  type ProductFormValues,
} from './product-rules';
import { ProductStock } from './product-stock';
import type { AdminProduct, ConflictDetails } from './types';
import './products.css';

interface Loaded {
  product: AdminProduct;
  /** The ETag the form was loaded with: the If-Match of the next save. */
  etag: string | null;
}

async function fetchProduct(id: number, signal?: AbortSignal): Promise<Loaded> {
  const answer = await apiResponse<{ product: AdminProduct }>('GET', `/api/admin/products/${id}`, { signal });
  return { product: answer.data.product, etag: answer.headers.get('ETag') };
}

/** Validation refusals land next to their fields; anything else is shown as the page's error. */
function splitError(caught: unknown, values: ProductFormValues): { fields: FieldErrors; other?: unknown } {
  if (caught instanceof ApiError && caught.code === 'VALIDATION_FAILED') {
    const fields = serverFieldErrors(caught.details, values);
    if (Object.keys(fields).length > 0) return { fields, other: caught };
  }
  if (caught instanceof ApiError && caught.code === 'SKU_TAKEN') return { fields: { sku: caught.message } };
  return { fields: {}, other: caught };
}

/** /products/new: the create form; on success, the new product's page. */
function CreateProduct() {
  const { t } = useI18n();
  const [, navigate] = useLocation();
  const categories = useApiData(loadCategories, 'categories');
  const [values, setValues] = useState<ProductFormValues>(emptyValues);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const checked = checkCreate(values);
    setErrors(checked.ok ? {} : checked.errors);
    setError(undefined);
    if (!checked.ok) return;
    setBusy(true);
    try {
      const answer = await api<{ product: AdminProduct }>('POST', '/api/admin/products', {
        body: checked.body,
      });
      navigate(`/products/${answer.product.id}`, { replace: true });
    } catch (caught) {
      const split = splitError(caught, values);
      setErrors(split.fields);
      setError(split.other);
      setBusy(false);
    }
  }

  return (
    <section>
      <p>
        <Link href="/products">{t('products.back')}</Link>
      </p>
      <h1>{t('products.new')}</h1>
      <form className="product-form" onSubmit={onSubmit} noValidate data-testid="product-form">
        <ProductFields
          mode="create"
          values={values}
          errors={errors}
          categories={categories.data ?? []}
          onChange={setValues}
        />
        <ErrorMessage error={error} />
        <div className="actions">
          <BusyButton type="submit" busy={busy} data-testid="save-product">
            {t('products.create')}
          </BusyButton>
        </div>
      </form>
    </section>
  );
}

/** /products/:id: edit (with If-Match and the 412 explained), images, stock, delete and restore. */
function EditProduct({ id }: { id: number }) {
  const { t, language } = useI18n();
  const categories = useApiData(loadCategories, 'categories');
  const first = useApiData((signal) => fetchProduct(id, signal), String(id));
  const [loaded, setLoaded] = useState<Loaded>();
  const [values, setValues] = useState<ProductFormValues>(emptyValues);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState<'save' | 'overwrite' | 'status' | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [confirmStatus, setConfirmStatus] = useState(false);

  function take(next: Loaded) {
    setLoaded(next);
    setValues(valuesOf(next.product));
    setErrors({});
  }

  useEffect(() => {
    if (first.data) take(first.data);
  }, [first.data]);

  if (!loaded) {
    return (
      <section>
        <p>
          <Link href="/products">{t('products.back')}</Link>
        </p>
        <ErrorMessage error={first.error} />
        {first.loading && (
          <p className="loading" role="status">
            <span className="spinner" aria-hidden="true" /> {t('common.loading')}
          </p>
        )}
      </section>
    );
  }
  const product = loaded.product;
  const deleted = product.status === 'deleted';

  async function save(changes: Record<string, unknown>, etag: string | null, version: number) {
    // If-Match with the ETag the form was loaded with; a deleted product has none, so the version goes in the body.
    const answer = await apiResponse<{ product: AdminProduct }>('PATCH', `/api/admin/products/${id}`, {
      body: etag ? changes : { ...changes, version },
      headers: etag ? { 'If-Match': etag } : {},
    });
    take({ product: answer.data.product, etag: answer.headers.get('ETag') });
    setConflict(null);
    setNotice(t('products.saved'));
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!loaded) return;
    setNotice(undefined);
    setError(undefined);
    const checked = checkUpdate(values, product);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    if (Object.keys(checked.body).length === 0) {
      setNotice(t('products.nothingChanged'));
      return;
    }
    setBusy('save');
    try {
      await save(checked.body, loaded.etag, product.version);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 412) {
        const details = (caught.details ?? {}) as ConflictDetails;
        // The answer carries the product as it is now; an older API does not: then read it again.
        const current = details.current
          ? { product: details.current, etag: details.currentEtag ?? null }
          : await fetchProduct(id).catch(() => undefined);
        if (current) {
          setConflict({
            mine: checked.body,
            loaded: product,
            current: current.product,
            currentEtag: current.etag,
          });
        } else setError(caught);
      } else {
        const split = splitError(caught, values);
        setErrors(split.fields);
        setError(split.other);
      }
    } finally {
      setBusy(null);
    }
  }

  async function onOverwrite() {
    if (!conflict) return;
    setBusy('overwrite');
    setError(undefined);
    try {
      await save(conflict.mine, conflict.currentEtag, conflict.current.version);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  }

  function onReload() {
    if (!conflict) return;
    take({ product: conflict.current, etag: conflict.currentEtag });
    setConflict(null);
    setNotice(t('products.reloaded'));
  }

  async function onStatus() {
    setBusy('status');
    setError(undefined);
    setNotice(undefined);
    try {
      if (deleted) await api('POST', `/api/admin/products/${id}/restore`);
      else await api('DELETE', `/api/admin/products/${id}`);
      take(await fetchProduct(id));
      setNotice(t(deleted ? 'products.restored' : 'products.deleted'));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
      setConfirmStatus(false);
    }
  }

  return (
    <section>
      <p>
        <Link href="/products">{t('products.back')}</Link>
      </p>
      <div className="page-head">
        <h1 data-testid="product-title">{product.name}</h1>
        <span className={`badge badge-${product.status}`} data-testid="product-status">
          {t(`products.status.${product.status}`)}
        </span>
        <BusyButton
          variant={deleted ? 'primary' : 'danger'}
          busy={busy === 'status'}
          onClick={() => setConfirmStatus(true)}
          data-testid={deleted ? 'restore-product' : 'delete-product'}
        >
          {t(deleted ? 'products.restore' : 'products.delete')}
        </BusyButton>
      </div>
      <p className="hint">
        {t('products.meta', {
          id: product.id,
          version: product.version,
          updated: formatDateTime(product.updatedAt, language),
        })}
      </p>
      {notice && (
        <p className="notice" role="status" data-testid="notice">
          {notice}
        </p>
      )}
      {conflict && (
        <ConflictPanel
          conflict={conflict}
          categories={categories.data ?? []}
          busy={busy === 'overwrite'}
          onReload={onReload}
          onOverwrite={onOverwrite}
        />
      )}
      <ErrorMessage error={error} />
      {deleted && <p className="notice">{t('products.deletedHint')}</p>}
      <form className="product-form" onSubmit={onSubmit} noValidate data-testid="product-form">
        <fieldset disabled={deleted} className="plain">
          <ProductFields
            mode="edit"
            values={values}
            errors={errors}
            categories={categories.data ?? []}
            onChange={setValues}
          />
          <div className="actions">
            <BusyButton
              type="submit"
              busy={busy === 'save'}
              disabled={conflict !== null}
              data-testid="save-product"
            >
              {t('products.save')}
            </BusyButton>
          </div>
        </fieldset>
      </form>
      <ProductImages
        productId={id}
        images={product.images}
        onImages={(images) =>
          setLoaded((now) => (now ? { ...now, product: { ...now.product, images } } : now))
        }
      />
      <ProductStock
        productId={id}
        stock={product.stock}
        onStock={(stock) => setLoaded((now) => (now ? { ...now, product: { ...now.product, stock } } : now))}
      />
      <ConfirmDialog
        open={confirmStatus}
        title={t(deleted ? 'products.restore' : 'products.delete')}
        confirmLabel={t(deleted ? 'products.restore' : 'products.delete')}
        danger={!deleted}
        busy={busy === 'status'}
        onCancel={() => setConfirmStatus(false)}
        onConfirm={onStatus}
      >
        <p>{t(deleted ? 'products.confirmRestore' : 'products.confirmDelete', { name: product.name })}</p>
      </ConfirmDialog>
    </section>
  );
}

export default function ProductEditPage() {
  const { t } = useI18n();
  const { id } = useParams<{ id?: string }>();
  if (id === undefined || id === 'new') return <CreateProduct />;
  const productId = Number(id);
  if (!Number.isSafeInteger(productId) || productId < 1) return <p role="alert">{t('products.badId')}</p>;
  return <EditProduct key={productId} id={productId} />;
}
