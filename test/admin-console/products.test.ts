/**
 * The console's Products pages in a real headless chromium against the real stack through nginx: the list's
 * filters and sort kept in the URL, create with the API's own validation shown inline, two images reordered by
 * drag and drop (keyboard and mouse), a primary chosen, stock adjusted with a reason and seen in the ledger, a
 * 412 conflict explained and overwritten knowingly, soft delete and restore.
 */
import type { Page } from 'playwright-core';
import { saveScreenshot } from '../support/browser';
import { call, type TestStack } from '../support/stack';
import { useConsole, type ConsoleAccount as Account } from './console-harness';
// Unreachable on purpose (connection refused at once, no DNS): the console only needs https URLs.
const IMAGE_A = 'https://127.0.0.1:9/console-a.jpg';
const IMAGE_B = 'https://127.0.0.1:9/console-b.jpg';

interface AdminProductBody {
  id: number;
  name: string;
  price: number;
  stock: number;
  status: string;
  version: number;
  images: { id: number; url: string; position: number; isPrimary: boolean }[];
}

/**
 * Waits until dnd-kit has shifted an image row (its transform's y: below 0 up, above 0 down). Read through
 * the DevTools protocol (page.evaluate): the console's CSP forbids eval, which page.waitForFunction's
 * polling needs.
 */
async function waitForRowShifted(
  page: Page,
  imageId: number,
  direction: 'up' | 'down',
  attempts = 300,
): Promise<boolean> {
  const shift = () =>
    page.evaluate((id) => {
      // A browser-side function: the DOM globals, which this Node project's types do not declare.
      const w = globalThis as any;
      const row = w.document.querySelector(`[data-image-id="${id}"]`);
      return row ? (new w.DOMMatrix(w.getComputedStyle(row).transform).m42 as number) : 0;
    }, imageId);
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const y = await shift();
    if (direction === 'down' ? y > 0 : y < 0) return true;
    await page.waitForTimeout(50);
  }
  return false;
}

describe('the console: products', () => {
  const ui = useConsole({ label: 'console_products' });
  let stack: TestStack;
  let admin: Account;
  let adminToken: string;
  let categoryId: number;
  let productId: number;
  const skuPrefix = `CON-${Date.now().toString(36).toUpperCase()}`;

  async function readProduct(id: number): Promise<{ product: AdminProductBody; etag: string }> {
    const answer = await call(stack.url, 'GET', `/api/admin/products/${id}`, { token: adminToken });
    expect(answer.status).toBe(200);
    return { product: answer.body.product, etag: answer.headers.get('etag')! };
  }

  const byPosition = (product: AdminProductBody) =>
    [...product.images].sort((a, b) => a.position - b.position).map((image) => image.url);

  const signedInPage = async (): Promise<Page> => (await ui.signedInPage(admin)).page;

  beforeAll(async () => {
    stack = ui.stack;
    admin = await ui.signUp('products-admin', 'admin');
    adminToken = await ui.apiToken(admin);
    categoryId = Number(
      (await stack.database.db('categories').insert({ slug: 'console-tv', name: 'Console TVs' }))[0],
    );
  });

  it('when an admin creates a product with two images, then the rules show inline, the images reorder by drag and drop, one becomes primary and a stock adjustment reaches the ledger', async () => {
    const page = await signedInPage();
    await page.getByRole('link', { name: '상품' }).click();
    await page.getByTestId('new-product').click();
    await page.getByTestId('product-form').waitFor();

    // The API's own rules (bff/catalogue/admin-products.schemas.ts), next to each field, before any request.
    let posted = 0;
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/admin/products')
        posted += 1;
    });
    await page.locator('input[name=sku]').fill('bad sku!');
    await page.locator('input[name=price]').fill('0');
    await page.getByTestId('save-product').click();
    await page.locator('#product-sku-error').waitFor();
    expect(await page.locator('#product-sku-error').textContent()).toBe(
      'must be 1–64 of A-Z, a-z, 0-9, . _ -',
    );
    expect(await page.locator('#product-price-error').textContent()).toMatch(/>=1|at least|too small/i);
    expect(await page.locator('#product-name-error').count()).toBe(1);
    expect(await page.locator('input[name=sku]').getAttribute('aria-invalid')).toBe('true');
    expect(posted).toBe(0);

    await page.locator('input[name=sku]').fill(`${skuPrefix}-OLED`);
    await page.locator('input[name=name]').fill('Console OLED 65');
    await page.locator('input[name=brand]').fill('Voltbrand');
    await page.locator('input[name=price]').fill('2,490,000');
    await page.locator('select[name=categoryId]').selectOption(String(categoryId));
    await page.locator('input[name=stock]').fill('5');
    await page.locator('textarea[name=description]').fill('A television made by the console test');
    await page.getByTestId('add-spec').click();
    await page
      .getByTestId('spec-row-0')
      .getByRole('textbox', { name: '항목 (a-z, 0-9, _)' })
      .fill('screen_inches');
    await page.getByTestId('spec-row-0').getByRole('combobox', { name: '값의 종류' }).selectOption('number');
    await page.getByTestId('spec-row-0').getByRole('textbox', { name: '값' }).fill('65');
    await page.getByTestId('add-image-url').click();
    await page.getByTestId('image-url-0').fill(IMAGE_A);
    await page.getByTestId('add-image-url').click();
    await page.getByTestId('image-url-1').fill(IMAGE_B);
    await page.getByTestId('save-product').click();

    await page.waitForURL(/\/admin\/products\/[0-9]+$/);
    productId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.getByTestId('product-title').filter({ hasText: 'Console OLED 65' }).waitFor();
    const created = (await readProduct(productId)).product;
    expect(created).toMatchObject({ price: 2_490_000, stock: 5, status: 'active' });
    expect((created as unknown as { specs: unknown }).specs).toEqual({ screen_inches: 65 });
    expect(byPosition(created)).toEqual([IMAGE_A, IMAGE_B]);
    const rows = page.getByTestId('image-row');
    await rows.nth(1).waitFor();
    const [imageA, imageB] = [
      created.images.find((i) => i.url === IMAGE_A)!,
      created.images.find((i) => i.url === IMAGE_B)!,
    ];

    // Keyboard drag and drop: Space lifts the handle, ArrowDown moves it, Space drops → PUT …/images/order.
    const reordered = page.waitForResponse(
      (response) => response.url().endsWith(`/api/admin/products/${productId}/images/order`) && response.ok(),
    );
    await page.getByTestId(`drag-${imageA.id}`).focus();
    await page.keyboard.press('Space');
    await page.locator(`[data-image-id="${imageA.id}"].dragging`).waitFor();
    // Dropped only once the other row has made way (moved up): dnd-kit then has B as the drop target. On a
    // loaded machine an arrow press may move the lifted row without reaching B yet; a keyboard user presses
    // again, and so does this test (with two images, a press past the last one changes nothing).
    let madeWay = false;
    for (let press = 0; press < 5 && !madeWay; press += 1) {
      await page.keyboard.press('ArrowDown');
      madeWay = await waitForRowShifted(page, imageB.id, 'up', 60);
    }
    expect(madeWay).toBe(true);
    await page.keyboard.press('Space');
    await reordered;
    expect(byPosition((await readProduct(productId)).product)).toEqual([IMAGE_B, IMAGE_A]);
    expect(await rows.first().getAttribute('data-image-id')).toBe(String(imageB.id));

    // And with the mouse: drag the second row's handle above the first.
    const mouseMoved = page.waitForResponse(
      (response) => response.url().endsWith(`/api/admin/products/${productId}/images/order`) && response.ok(),
    );
    const from = (await page.getByTestId(`drag-${imageA.id}`).boundingBox())!;
    const to = (await page.getByTestId(`drag-${imageB.id}`).boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2, from.y - 10, { steps: 5 });
    await page.locator(`[data-image-id="${imageA.id}"].dragging`).waitFor();
    await page.mouse.move(to.x + to.width / 2, to.y + 2, { steps: 10 });
    expect(await waitForRowShifted(page, imageB.id, 'down')).toBe(true);
    await page.mouse.up();
    await mouseMoved;
    expect(byPosition((await readProduct(productId)).product)).toEqual([IMAGE_A, IMAGE_B]);

    // The primary: B (A was the first URL, so it started as the primary).
    expect(imageA.isPrimary).toBe(true);
    await page.getByTestId(`primary-${imageB.id}`).click();
    await page.locator(`[data-image-id="${imageB.id}"]`).getByTestId('primary-badge').waitFor();
    const afterPrimary = (await readProduct(productId)).product;
    expect(afterPrimary.images.find((image) => image.isPrimary)?.id).toBe(imageB.id);

    // Stock: +7 with a reason → 12, and the ledger says so.
    await page.getByTestId('stock-delta').fill('+7');
    await page.getByTestId('stock-reason').fill('Stocktake after delivery');
    await page.getByTestId('stock-submit').click();
    await page.getByTestId('stock-now').filter({ hasText: '12' }).waitFor();
    const ledgerRow = page
      .getByTestId('ledger-table')
      .locator('tbody tr')
      .filter({ hasText: 'Stocktake after delivery' });
    await ledgerRow.waitFor();
    expect(await ledgerRow.textContent()).toContain('+7');
    expect((await readProduct(productId)).product.stock).toBe(12);

    // A stock adjustment the API refuses: the rule first (zero), then the API's own refusal as a sentence.
    await page.getByTestId('stock-delta').fill('-100');
    await page.getByTestId('stock-reason').fill('Too many');
    await page.getByTestId('stock-submit').click();
    await page.getByText('재고가 0보다 적어질 수는 없습니다.').waitFor();
    await saveScreenshot(page, 'product-edit');
  });

  it('when the product changed between loading and saving, then the 412 shows what changed and "overwrite" saves knowingly', async () => {
    const page = await signedInPage();
    await page.goto(`/admin/products/${productId}`);
    await page.getByTestId('product-title').waitFor();
    await page.locator('input[name=price]').fill('2390000');

    // Someone else renames it meanwhile.
    const { etag } = await readProduct(productId);
    const other = await call(stack.url, 'PATCH', `/api/admin/products/${productId}`, {
      token: adminToken,
      headers: { 'if-match': etag },
      body: { name: 'Console OLED 65 (renamed)' },
    });
    expect(other.status).toBe(200);

    await page.getByTestId('save-product').click();
    const conflict = page.getByTestId('conflict');
    await conflict.waitFor();
    expect(await conflict.getByTestId('conflict-name').textContent()).toContain('Console OLED 65 (renamed)');
    expect(await conflict.getByTestId('conflict-name').textContent()).toContain('바뀜');
    expect(await conflict.getByTestId('conflict-price').textContent()).toContain('₩2,390,000');
    expect(await conflict.getByTestId('conflict-price').textContent()).toContain('₩2,490,000');
    await saveScreenshot(page, 'product-conflict');

    await page.getByTestId('conflict-overwrite').click();
    await page.getByTestId('notice').filter({ hasText: '저장했습니다.' }).waitFor();
    expect(await conflict.count()).toBe(0);
    const saved = (await readProduct(productId)).product;
    // My price, their name: the overwrite sent only what this admin changed.
    expect(saved).toMatchObject({ price: 2_390_000, name: 'Console OLED 65 (renamed)' });
    expect(await page.locator('input[name=name]').inputValue()).toBe('Console OLED 65 (renamed)');
  });

  it('when an admin deletes a product after confirming, then it is listed as deleted and can be restored', async () => {
    const page = await signedInPage();
    await page.goto(`/admin/products/${productId}`);
    await page.getByTestId('delete-product').click();
    await page.getByRole('dialog').getByTestId('confirm').click();
    await page.getByTestId('product-status').filter({ hasText: '삭제됨' }).waitFor();
    expect((await readProduct(productId)).product.status).toBe('deleted');
    expect(await page.locator('input[name=name]').isDisabled()).toBe(true);

    await page.goto(`/admin/products?status=deleted&q=${skuPrefix}`);
    await page.getByTestId(`product-row-${productId}`).waitFor();

    await page.goto(`/admin/products/${productId}`);
    await page.getByTestId('restore-product').click();
    await page.getByRole('dialog').getByTestId('confirm').click();
    await page.getByTestId('product-status').filter({ hasText: '판매 중' }).waitFor();
    expect((await readProduct(productId)).product.status).toBe('active');
  });

  it('when the list is searched, filtered and sorted, then the URL keeps it across a reload', async () => {
    for (const [suffix, price, stock] of [
      ['CHEAP', 90_000, 0],
      ['MID', 590_000, 3],
    ] as const) {
      const made = await call(stack.url, 'POST', '/api/admin/products', {
        token: adminToken,
        body: {
          sku: `${skuPrefix}-${suffix}`,
          name: `Console ${suffix}`,
          brand: 'Voltbrand',
          price,
          categoryId,
          stock,
          images: [IMAGE_A],
        },
      });
      expect(made.status).toBe(201);
    }
    const page = await signedInPage();
    await page.getByRole('link', { name: '상품' }).click();
    await page.getByTestId('products-q').fill(skuPrefix);
    await page.getByRole('button', { name: '검색' }).click();
    await page.getByTestId('products-total').filter({ hasText: '상품 3개' }).waitFor();

    // Sort by price: ascending, then descending.
    await page.getByTestId('sort-price').click();
    await page.waitForURL(/sort=price/);
    const names = () => page.getByTestId('products-table').locator('tbody th[scope=row]').allTextContents();
    await page
      .getByTestId('products-table')
      .locator('tbody tr')
      .first()
      .filter({ hasText: 'Console CHEAP' })
      .waitFor();
    expect(await names()).toEqual(['Console CHEAP', 'Console MID', 'Console OLED 65 (renamed)']);
    await page.getByTestId('sort-price').click();
    await page.waitForURL(/sort=-price/);
    await page
      .getByTestId('products-table')
      .locator('tbody tr')
      .first()
      .filter({ hasText: 'OLED' })
      .waitFor();

    // Low stock only (1..5): MID (3 units).
    await page.locator('select').filter({ hasText: '재고 부족' }).selectOption('low');
    await page.getByRole('button', { name: '검색' }).click();
    await page.waitForURL(/stock=low/);
    await page.getByTestId('products-total').filter({ hasText: '상품 1개' }).waitFor();
    await page.reload();
    await page.getByTestId('products-total').filter({ hasText: '상품 1개' }).waitFor();
    expect(await names()).toEqual(['Console MID']);
    expect(await page.getByTestId('products-q').inputValue()).toBe(skuPrefix);
    const search = new URL(page.url()).searchParams;
    expect(Object.fromEntries(search)).toEqual({ q: skuPrefix, stock: 'low', sort: '-price' });

    await page.goto(`/admin/products?q=${skuPrefix}`);
    await page.getByTestId('products-total').filter({ hasText: '상품 3개' }).waitFor();
    await saveScreenshot(page, 'products');
  });
});
