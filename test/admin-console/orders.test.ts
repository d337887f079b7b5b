/**
 * The console's Orders pages in a real headless chromium against the real stack through nginx (BFF, workers
 * for orders, stock and payments, the fake payment gateway answering after a delay so an order stays in
 * progress for a moment): an order placed by a customer through the API reaches CONFIRMED on the page by
 * itself (the order-event stream, read with fetch and the Bearer token); cancelled from the console after a
 * confirmation, its timeline shows the refund.
 */
import type { Page } from 'playwright-core';
import { saveScreenshot } from '../support/browser';
import { insertProducts } from '../support/products';
import { call, eventually, type TestStack } from '../support/stack';
import { useConsole, type ConsoleAccount as Account } from './console-harness';
const PRICE = 1_290_000;
const address = {
  recipient: 'Kim Min-su',
  phone: '010-1234-5678',
  postalCode: '06236',
  address1: '123 Teheran-ro, Gangnam-gu',
};

describe('the console: orders', () => {
  // Each charge and refund takes 1.5 s at the fake gateway: long enough to watch the order move.
  const ui = useConsole({
    label: 'console_orders',
    workerDomains: ['orders', 'stock', 'payments'],
    payments: { latencyMs: 1_500, timeoutMs: 5000 },
  });
  let stack: TestStack;
  let admin: Account;
  let customer: Account;
  let customerToken: string;
  let productId: number;
  let orderId: number;

  const signedInPage = async (): Promise<Page> => (await ui.signedInPage(admin)).page;

  const orderStatus = async (id: number) =>
    (await call(stack.url, 'GET', `/api/orders/${id}`, { token: customerToken })).body.order?.status;

  beforeAll(async () => {
    stack = ui.stack;
    admin = await ui.signUp('orders-admin', 'admin');
    customer = await ui.signUp('orders-customer');
    customerToken = await ui.apiToken(customer);
    [productId] = (await insertProducts(stack.database.db, [
      { name: 'Console soundbar', price: PRICE, stock: 10 },
    ])) as [number];
  });

  it('when a customer places an order, then the console shows it reach CONFIRMED by itself, with the charge in its timeline', async () => {
    const page = await signedInPage();
    const placed = await call(stack.url, 'POST', '/api/orders', {
      token: customerToken,
      body: { items: [{ productId, quantity: 1 }], shippingAddress: address, paymentMethod: 'card' },
      headers: { 'idempotency-key': `console-orders-${Date.now()}` },
    });
    expect(placed.status).toBe(202);
    orderId = placed.body.orderId;

    // The stream is opened with the Bearer token (fetch, not EventSource).
    const streamed = page.waitForRequest(
      (request) =>
        new URL(request.url()).pathname === `/api/admin/orders/${orderId}/events` &&
        /^Bearer ey/.test(request.headers().authorization ?? ''),
    );
    // Awaited only when the order is still moving on arrival; otherwise the wait is abandoned, and its
    // rejection when the context closes must not land on the next test as an unhandled one.
    streamed.catch(() => undefined);
    await page.goto(`/admin/orders/${orderId}`);
    await page.getByTestId('order-status').waitFor();
    const statusOnArrival = await orderStatus(orderId);
    let navigations = 0;
    page.on('framenavigated', () => (navigations += 1));
    if (statusOnArrival !== 'CONFIRMED') {
      await streamed;
      await page.getByTestId('order-live').waitFor();
    }
    await page.getByTestId('order-status').filter({ hasText: '결제 완료' }).waitFor();
    // Nobody reloaded the page: the change came to it.
    expect(navigations).toBe(0);
    await page.getByTestId('order-live').waitFor({ state: 'detached' });
    expect(await page.getByTestId('order-total').textContent()).toBe('₩1,290,000');
    const charge = page.locator('[data-testid=timeline] li[data-what="charge.result"]');
    await charge.waitFor();
    expect(await charge.textContent()).toContain('결제 성공: ₩1,290,000');
    // State changes, stock moves and payments in time order.
    const times = await page
      .locator('[data-testid=timeline] time')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('datetime') ?? ''));
    expect(times).toEqual([...times].sort((a, b) => Date.parse(a) - Date.parse(b)));
    const kinds = await page
      .locator('[data-testid=timeline] li')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-what')));
    expect(kinds).toEqual(
      expect.arrayContaining(['placed', 'status', 'stock', 'charge.started', 'charge.result']),
    );

    // The list finds it by the customer's e-mail, and by status.
    await page.goto(`/admin/orders?q=${encodeURIComponent(customer.email)}`);
    await page.getByTestId(`order-row-${orderId}`).waitFor();
    expect(await page.getByTestId(`order-row-${orderId}`).textContent()).toContain('₩1,290,000');
    await page.getByTestId('orders-status').selectOption('CANCELLED');
    await page.getByRole('button', { name: '검색' }).click();
    await page.getByText('조건에 맞는 주문이 없습니다.').waitFor();
    await page.getByTestId('orders-status').selectOption('CONFIRMED');
    await page.getByRole('button', { name: '검색' }).click();
    await page.getByTestId(`order-row-${orderId}`).waitFor();
    expect(new URL(page.url()).searchParams.get('status')).toBe('CONFIRMED');
    await saveScreenshot(page, 'orders');
  });

  it('when an admin cancels the order after confirming, then it is refunded and the timeline shows the refund', async () => {
    await eventually(async () => ((await orderStatus(orderId)) === 'CONFIRMED' ? true : undefined), 30_000);
    const page = await signedInPage();
    await page.getByRole('link', { name: '주문' }).click();
    await page.getByTestId('orders-q').fill(String(orderId));
    await page.getByRole('button', { name: '검색' }).click();
    await page.waitForURL(new RegExp(`/admin/orders/${orderId}$`));
    await page.getByTestId('order-status').filter({ hasText: '결제 완료' }).waitFor();

    await page.getByTestId('cancel-order').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(`#${orderId}`);
    await dialog.getByTestId('confirm').click();
    // CANCEL_REQUESTED while the refund runs, then CANCELLED, on the page by itself.
    await page.getByTestId('order-status').filter({ hasText: '취소됨' }).waitFor({ timeout: 30_000 });
    // The green notice follows the order: once it is CANCELLED it says the cancel is done, no longer that it
    // was asked for.
    expect(await page.getByTestId('order-notice').textContent()).toBe(
      '주문을 취소했습니다. 결제된 금액은 환불되었고, 잡아 두었던 재고는 돌려놓았습니다.',
    );
    expect(await page.getByText('취소를 요청했습니다').count()).toBe(0);
    const refund = page.locator('[data-testid=timeline] li[data-what="refund.result"]');
    await refund.waitFor();
    expect(await refund.textContent()).toContain('환불 성공: ₩1,290,000');
    await page.locator('[data-testid=timeline] li[data-what="cancel"]').waitFor();
    expect(await page.getByTestId('cancel-order').count()).toBe(0);
    expect(await orderStatus(orderId)).toBe('CANCELLED');
    await saveScreenshot(page, 'order-detail');
  });
});
