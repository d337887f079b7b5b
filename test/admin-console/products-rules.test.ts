/**
 * The product form's checks (admin-ui/src/pages/products/product-rules.ts): the API's own zod schemas applied to
 * what the inputs hold, each problem keyed to the field that shows it.
 */
import {
  checkCreate,
  checkImageUrl,
  checkStockAdjustment,
  checkUpdate,
  emptyValues,
  serverFieldErrors,
  valuesOf,
  type ProductFormValues,
} from '../../admin-ui/src/pages/products/product-rules';
import type { AdminProduct } from '../../admin-ui/src/pages/products/types';

const filled = (patch: Partial<ProductFormValues> = {}): ProductFormValues => ({
  ...emptyValues(),
  sku: 'TV-OLED-65',
  name: 'OLED 65',
  brand: 'Voltbrand',
  price: '2,490,000',
  categoryId: '3',
  specs: [{ key: 'screen_inches', value: '65', kind: 'number' }],
  images: ['https://img.example.com/a.jpg'],
  ...patch,
});

const product: AdminProduct = {
  id: 7,
  sku: 'TV-OLED-65',
  name: 'OLED 65',
  brand: 'Voltbrand',
  description: '',
  price: 2_490_000,
  categoryId: 3,
  categoryPath: [],
  specs: { screen_inches: 65, hdr: true, panel: 'OLED' },
  images: [],
  stock: 4,
  status: 'active',
  version: 2,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  deletedAt: null,
};

describe('product form rules', () => {
  it('when the create form is filled as the API wants, then the body is what POST /api/admin/products takes', () => {
    expect(checkCreate(filled({ stock: '5' }))).toEqual({
      ok: true,
      body: {
        sku: 'TV-OLED-65',
        name: 'OLED 65',
        brand: 'Voltbrand',
        description: '',
        price: 2_490_000,
        categoryId: 3,
        specs: { screen_inches: 65 },
        stock: 5,
        images: ['https://img.example.com/a.jpg'],
      },
    });
  });

  it('when fields break the API’s rules, then each problem is keyed to its field, spec row or image row', () => {
    const checked = checkCreate(
      filled({
        sku: 'bad sku!',
        price: '0',
        categoryId: '',
        specs: [
          { key: 'Bad Key', value: 'x', kind: 'string' },
          { key: 'ok', value: 'y', kind: 'string' },
          { key: 'ok', value: 'z', kind: 'string' },
        ],
        images: ['https://img.example.com/a.jpg', 'ftp://img.example.com/b.jpg'],
      }),
    );
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(Object.keys(checked.errors).sort()).toEqual(
      ['categoryId', 'images.1', 'price', 'sku', 'specs.0', 'specs.2'].sort(),
    );
    expect(checked.errors.sku).toBe('must be 1–64 of A-Z, a-z, 0-9, . _ -');
    expect(checked.errors['images.1']).toBe('must be an http or https URL');
    expect(checked.errors['specs.2']).toBe('duplicate key');
  });

  it('when an edit changes some fields, then only those are sent; specs in another order are no change', () => {
    const loaded = valuesOf(product);
    expect(checkUpdate(loaded, product)).toEqual({ ok: true, body: {} });
    expect(checkUpdate({ ...loaded, specs: [...loaded.specs].reverse() }, product)).toEqual({
      ok: true,
      body: {},
    });
    expect(checkUpdate({ ...loaded, price: '2390000', name: 'OLED 65 (2026)' }, product)).toEqual({
      ok: true,
      body: { name: 'OLED 65 (2026)', price: 2_390_000 },
    });
    // The spec kinds round-trip: a yes/no stays a boolean, a number a number.
    expect(loaded.specs).toEqual([
      { key: 'screen_inches', value: '65', kind: 'number' },
      { key: 'hdr', value: 'true', kind: 'boolean' },
      { key: 'panel', value: 'OLED', kind: 'string' },
    ]);
    const broken = checkUpdate({ ...loaded, brand: '' }, product);
    expect(broken.ok ? broken.body : Object.keys(broken.errors)).toEqual(['brand']);
  });

  it('when the API refuses with VALIDATION_FAILED details, then they land on the same fields', () => {
    const values = filled();
    expect(
      serverFieldErrors(
        [
          { path: 'sku', message: 'taken' },
          { path: 'specs.screen_inches', message: 'too long' },
          { path: 'images.0', message: 'bad' },
          { path: '', message: 'nothing to update' },
        ],
        values,
      ),
    ).toEqual({ sku: 'taken', 'specs.0': 'too long', 'images.0': 'bad', form: 'nothing to update' });
    expect(serverFieldErrors('not a list', values)).toEqual({});
  });

  it('when an image URL or a stock adjustment is checked, then the API’s rules answer', () => {
    expect(checkImageUrl(' https://img.example.com/x.png ')).toBeUndefined();
    expect(checkImageUrl('javascript:alert(1)')).toBe('must be an http or https URL');
    expect(checkStockAdjustment('7', 'Stocktake')).toEqual({
      ok: true,
      body: { delta: 7, reason: 'Stocktake' },
    });
    const zero = checkStockAdjustment('0', '');
    expect(zero.ok ? [] : Object.keys(zero.errors).sort()).toEqual(['delta', 'reason']);
  });
});
