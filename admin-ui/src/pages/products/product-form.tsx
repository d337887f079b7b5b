import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n';
import type { CategoryOption } from './catalogue-lookups';
import {
  MAX_IMAGES_PER_PRODUCT,
  type FieldErrors,
  type ProductFormValues,
  type SpecKind,
} from './product-rules';

interface ProductFieldsProps {
  mode: 'create' | 'edit';
  values: ProductFormValues;
  errors: FieldErrors;
  categories: CategoryOption[];
  onChange(values: ProductFormValues): void;
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <span className="field-error" id={id} role="alert">
      {message}
    </span>
  );
}

/** A labelled input with its rule's message under it (aria-invalid + aria-describedby for screen readers). */
function Field({
  name,
  label,
  error,
  children,
}: {
  name: string;
  label: string;
  error: string | undefined;
  children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = `product-${name}`;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        ...(error ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {}),
      })}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

/** Every field POST/PATCH /api/admin/products takes; stock and image URLs only when creating. */
export function ProductFields({ mode, values, errors, categories, onChange }: ProductFieldsProps) {
  const { t } = useI18n();
  const set = (patch: Partial<ProductFormValues>) => onChange({ ...values, ...patch });
  const setSpec = (index: number, patch: Partial<ProductFormValues['specs'][number]>) =>
    set({ specs: values.specs.map((row, at) => (at === index ? { ...row, ...patch } : row)) });
  const setImage = (index: number, url: string) =>
    set({ images: values.images.map((value, at) => (at === index ? url : value)) });

  return (
    <div className="product-fields">
      <Field name="sku" label={t('products.sku')} error={errors.sku}>
        {(props) => (
          <input {...props} name="sku" value={values.sku} onChange={(e) => set({ sku: e.target.value })} />
        )}
      </Field>
      <Field name="name" label={t('products.name')} error={errors.name}>
        {(props) => (
          <input {...props} name="name" value={values.name} onChange={(e) => set({ name: e.target.value })} />
        )}
      </Field>
      <Field name="brand" label={t('products.brand')} error={errors.brand}>
        {(props) => (
          <input
            {...props}
            name="brand"
            value={values.brand}
            onChange={(e) => set({ brand: e.target.value })}
          />
        )}
      </Field>
      <Field name="price" label={t('products.priceWon')} error={errors.price}>
        {(props) => (
          <input
            {...props}
            name="price"
            inputMode="numeric"
            value={values.price}
            onChange={(e) => set({ price: e.target.value })}
          />
        )}
      </Field>
      <Field name="categoryId" label={t('products.category')} error={errors.categoryId}>
        {(props) => (
          <select
            {...props}
            name="categoryId"
            value={values.categoryId}
            onChange={(e) => set({ categoryId: e.target.value })}
          >
            <option value="">{t('products.chooseCategory')}</option>
            {categories.map((category) => (
              <option key={category.id} value={category.id}>
                {category.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {mode === 'create' && (
        <Field name="stock" label={t('products.initialStock')} error={errors.stock}>
          {(props) => (
            <input
              {...props}
              name="stock"
              inputMode="numeric"
              value={values.stock}
              onChange={(e) => set({ stock: e.target.value })}
            />
          )}
        </Field>
      )}
      <Field name="description" label={t('products.description')} error={errors.description}>
        {(props) => (
          <textarea
            {...props}
            name="description"
            rows={5}
            value={values.description}
            onChange={(e) => set({ description: e.target.value })}
          />
        )}
      </Field>

      <fieldset className="field specs">
        <legend>{t('products.specs')}</legend>
        <FieldError id="product-specs-error" message={errors.specs} />
        {values.specs.map((row, index) => (
          <div className="spec-row" key={index} data-testid={`spec-row-${index}`}>
            <input
              aria-label={t('products.specKey')}
              placeholder={t('products.specKey')}
              value={row.key}
              onChange={(e) => setSpec(index, { key: e.target.value })}
              aria-invalid={errors[`specs.${index}`] ? true : undefined}
            />
            <select
              aria-label={t('products.specKind')}
              value={row.kind}
              onChange={(e) => setSpec(index, { kind: e.target.value as SpecKind })}
            >
              <option value="string">{t('products.specKind.string')}</option>
              <option value="number">{t('products.specKind.number')}</option>
              <option value="boolean">{t('products.specKind.boolean')}</option>
            </select>
            {row.kind === 'boolean' ? (
              <select
                aria-label={t('products.specValue')}
                value={row.value === 'true' ? 'true' : 'false'}
                onChange={(e) => setSpec(index, { value: e.target.value })}
              >
                <option value="true">{t('common.yes')}</option>
                <option value="false">{t('common.no')}</option>
              </select>
            ) : (
              <input
                aria-label={t('products.specValue')}
                placeholder={t('products.specValue')}
                value={row.value}
                onChange={(e) => setSpec(index, { value: e.target.value })}
              />
            )}
            <button
              type="button"
              className="button button-secondary"
              onClick={() => set({ specs: values.specs.filter((_, at) => at !== index) })}
            >
              {t('products.removeRow')}
            </button>
            <FieldError id={`product-spec-${index}-error`} message={errors[`specs.${index}`]} />
          </div>
        ))}
        <button
          type="button"
          className="button button-secondary"
          onClick={() => set({ specs: [...values.specs, { key: '', value: '', kind: 'string' }] })}
          data-testid="add-spec"
        >
          {t('products.addSpec')}
        </button>
      </fieldset>

      {mode === 'create' && (
        <fieldset className="field specs">
          <legend>{t('products.imageUrls')}</legend>
          <FieldError id="product-images-error" message={errors.images} />
          {values.images.map((url, index) => (
            <div className="spec-row" key={index}>
              <input
                type="url"
                aria-label={t('products.imageUrl')}
                placeholder="https://…"
                value={url}
                onChange={(e) => setImage(index, e.target.value)}
                aria-invalid={errors[`images.${index}`] ? true : undefined}
                data-testid={`image-url-${index}`}
              />
              <button
                type="button"
                className="button button-secondary"
                onClick={() => set({ images: values.images.filter((_, at) => at !== index) })}
              >
                {t('products.removeRow')}
              </button>
              <FieldError id={`product-image-${index}-error`} message={errors[`images.${index}`]} />
            </div>
          ))}
          <button
            type="button"
            className="button button-secondary"
            disabled={values.images.length >= MAX_IMAGES_PER_PRODUCT}
            onClick={() => set({ images: [...values.images, ''] })}
            data-testid="add-image-url"
          >
            {t('products.addImageUrl')}
          </button>
        </fieldset>
      )}
    </div>
  );
}
