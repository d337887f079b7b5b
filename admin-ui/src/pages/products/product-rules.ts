/**
 * The product form's values and their validation, by the API's own rules: the zod schemas are imported from
 * bff/catalogue/admin-products.schemas.ts (a module that imports nothing but zod, so Vite bundles it and zod
 * into the products pages' chunk and nothing of the server), so the form and the API can never disagree.
 */
// eslint-disable-next-line no-restricted-imports -- the one server module the console shares: zod rules only
import * as rules from '../../../../bff/catalogue/admin-products.schemas';
import type { AdminProduct, SpecValue } from './types';

const { createProductBody, imageUrl, stockAdjustmentBody, updateProductBody } = rules;
export const MAX_IMAGES_PER_PRODUCT = rules.MAX_IMAGES_PER_PRODUCT;

export type SpecKind = 'string' | 'number' | 'boolean';

export interface SpecRow {
  key: string;
  value: string;
  kind: SpecKind;
}

/** What the inputs hold (text, as typed). */
export interface ProductFormValues {
  sku: string;
  name: string;
  brand: string;
  description: string;
  price: string;
  categoryId: string;
  specs: SpecRow[];
  /** Create only. */
  stock: string;
  /** Create only. */
  images: string[];
}

/** Field → message; spec rows as `specs.<index>`, image rows as `images.<index>`. */
export type FieldErrors = Record<string, string>;

export const EDITABLE_FIELDS = [
  'sku',
  'name',
  'brand',
  'description',
  'price',
  'categoryId',
  'specs',
] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

export function emptyValues(): ProductFormValues {
  return {
    sku: '',
    name: '',
    brand: '',
    description: '',
    price: '',
    categoryId: '',
    specs: [],
    stock: '0',
    images: [],
  };
}

function specKind(value: SpecValue): SpecKind {
  return typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string';
}

export function valuesOf(product: AdminProduct): ProductFormValues {
  return {
    sku: product.sku,
    name: product.name,
    brand: product.brand,
    description: product.description,
    price: String(product.price),
    categoryId: String(product.categoryId),
    specs: Object.entries(product.specs).map(([key, value]) => ({
      key,
      value: String(value),
      kind: specKind(value),
    })),
    stock: String(product.stock),
    images: [],
  };
}

/** "1,234" or " 1234 " → 1234; anything else stays as text so the schema names the problem. */
function numberOrText(text: string): number | string {
  const plain = text.replace(/,/g, '').trim();
  return /^-?[0-9]+(\.[0-9]+)?$/.test(plain) ? Number(plain) : text;
}

function specValue(row: SpecRow): unknown {
  if (row.kind === 'number') return numberOrText(row.value);
  if (row.kind === 'boolean') return row.value === 'true';
  return row.value;
}

export function specsOf(rows: SpecRow[]): Record<string, unknown> {
  return Object.fromEntries(rows.map((row) => [row.key.trim(), specValue(row)]));
}

function fieldsOf(values: ProductFormValues) {
  return {
    sku: values.sku.trim(),
    name: values.name,
    brand: values.brand,
    description: values.description,
    price: numberOrText(values.price),
    categoryId: numberOrText(values.categoryId),
    specs: specsOf(values.specs),
  };
}

/** The schema's issues, keyed by the form's field names (spec issues land on their row). */
function errorsOf(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  values: ProductFormValues,
): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const [field, sub] = issue.path;
    let key = String(field ?? 'form');
    if (field === 'specs' && sub !== undefined) {
      const row = values.specs.findIndex((spec) => spec.key.trim() === String(sub));
      key = row >= 0 ? `specs.${row}` : 'specs';
    } else if (field === 'images' && typeof sub === 'number') key = `images.${sub}`;
    if (field === 'stock' && values.stock.trim() === '') continue;
    errors[key] ??= issue.message;
  }
  return errors;
}

function duplicateSpecKeys(values: ProductFormValues, errors: FieldErrors): void {
  const seen = new Set<string>();
  values.specs.forEach((row, index) => {
    const key = row.key.trim();
    if (seen.has(key)) errors[`specs.${index}`] ??= 'duplicate key';
    seen.add(key);
  });
}

export type Checked<T> = { ok: true; body: T } | { ok: false; errors: FieldErrors };

/** The POST /api/admin/products body, or the problems by field. */
export function checkCreate(values: ProductFormValues): Checked<Record<string, unknown>> {
  const input: Record<string, unknown> = {
    ...fieldsOf(values),
    ...(values.stock.trim() === '' ? {} : { stock: numberOrText(values.stock) }),
    images: values.images.map((url) => url.trim()).filter((url) => url !== ''),
  };
  const result = createProductBody.safeParse(input);
  const errors = result.success ? {} : errorsOf(result.error.issues, values);
  duplicateSpecKeys(values, errors);
  if (result.success && Object.keys(errors).length === 0) return { ok: true, body: input };
  return { ok: false, errors };
}

/** The fields that differ from the loaded product, checked; an empty `changes` means nothing to save. */
export function checkUpdate(
  values: ProductFormValues,
  loaded: AdminProduct,
): Checked<Record<string, unknown>> {
  const all = fieldsOf(values);
  const changes: Record<string, unknown> = {};
  for (const field of EDITABLE_FIELDS) {
    if (!sameValue(all[field], loaded[field])) changes[field] = all[field];
  }
  const errors: FieldErrors = {};
  if (Object.keys(changes).length > 0) {
    const result = updateProductBody.safeParse(changes);
    if (!result.success) Object.assign(errors, errorsOf(result.error.issues, values));
  }
  duplicateSpecKeys(values, errors);
  return Object.keys(errors).length === 0 ? { ok: true, body: changes } : { ok: false, errors };
}

export function checkImageUrl(url: string): string | undefined {
  const result = imageUrl.safeParse(url.trim());
  return result.success ? undefined : (result.error.issues[0]?.message ?? 'invalid');
}

export function checkStockAdjustment(
  delta: string,
  reason: string,
): Checked<{ delta: number; reason: string }> {
  const input = { delta: numberOrText(delta), reason };
  const result = stockAdjustmentBody.safeParse(input);
  if (result.success) return { ok: true, body: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
  return { ok: false, errors };
}

/** The API's 400 details (`[{ path, message }]`) by field, like the form's own check. */
export function serverFieldErrors(details: unknown, values: ProductFormValues): FieldErrors {
  if (!Array.isArray(details)) return {};
  const issues = details.flatMap((detail: unknown) => {
    const { path, message } = (detail ?? {}) as { path?: unknown; message?: unknown };
    if (typeof path !== 'string' || typeof message !== 'string') return [];
    return [{ path: path === '' ? [] : path.split('.'), message }];
  });
  return errorsOf(
    issues.map((issue) => ({
      ...issue,
      path: issue.path.map((part, index) => (index === 1 && /^[0-9]+$/.test(part) ? Number(part) : part)),
    })),
    values,
  );
}

/** Deep equality for the JSON values a product holds (specs compare key by key, in any order). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return (
    keys.length === Object.keys(right).length &&
    keys.every((key) => key in right && sameValue(left[key], right[key]))
  );
}
