/**
 * The stock reservation (and its release) against a real MariaDB: many orders of several items, written in shuffled item
 * order, reserving at once over a few shared products. Locks are taken in product id order whatever order the
 * items were written in, so no reservation deadlocks; every reservation takes all of its items or none.
 */
import { createRandom } from '../../fakes/fake-server';
import { stockService, type ReserveOutcome } from '../../workers/stock/stock.service';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { insertProducts, stockPicture } from '../support/products';
import { insertOrder, insertUser } from '../stats/order-fixtures';

/** Runs `work` over `items` with at most `concurrency` at a time, as a worker with that concurrency would. */
async function inParallel<T, R>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}

const INITIAL_STOCK = 120;

describe('stock reservation (stock worker service)', () => {
  let database: TestDatabase;
  let userId: number;
  let productIds: number[];

  beforeEach(async () => {
    database = await createTestDatabase('stock_reserve');
    userId = await insertUser(database.db);
    productIds = await insertProducts(
      database.db,
      Array.from({ length: 6 }, (_, index) => ({ price: 1_000 * (index + 1), stock: INITIAL_STOCK })),
    );
  });
  afterEach(async () => {
    await database?.drop();
  });

  /** A PENDING order of the given items, written in the order given. */
  const pendingOrder = (items: { productId: number; quantity: number }[]) =>
    insertOrder(database.db, {
      userId,
      status: 'PENDING',
      items: items.map((item) => ({ ...item, unitPrice: 1_000 })),
    });

  it('when 150 orders of 2 to 5 items in shuffled order reserve at once over 6 products, then none fails and stock, holds and ledger agree', async () => {
    const random = createRandom(20261125);
    const orderIds: number[] = [];
    for (let index = 0; index < 150; index += 1) {
      const chosen = [...productIds].sort(() => random() - 0.5).slice(0, 2 + Math.floor(random() * 4));
      orderIds.push(
        await pendingOrder(
          chosen.map((productId) => ({ productId, quantity: 1 + Math.floor(random() * 3) })),
        ),
      );
    }

    // Any deadlock or lock wait timeout would reject here and fail the test: none is retried.
    const stock = stockService(database.sqlBatches);
    const outcomes = await inParallel(orderIds, 10, (orderId) => stock.reserve(orderId));

    const kinds = outcomes.map((outcome: ReserveOutcome) => outcome.kind);
    expect(kinds.filter((kind) => kind === 'reserved').length).toBeGreaterThan(20);
    expect(kinds.filter((kind) => kind === 'rejected').length).toBeGreaterThan(0); // demand exceeds stock
    expect(kinds.every((kind) => kind === 'reserved' || kind === 'rejected')).toBe(true);

    for (const productId of productIds) {
      const picture = await stockPicture(database.db, productId);
      expect(picture.stock).toBeGreaterThanOrEqual(0);
      expect(picture.stock + picture.held).toBe(INITIAL_STOCK);
      expect(picture.ledgerTotal).toBe(-picture.held);
    }
    // A rejected order took nothing: no ledger row, and its reason names what was short.
    const rejected = orderIds.filter((_, index) => kinds[index] === 'rejected');
    expect(await database.db('stock_ledger').whereIn('order_id', rejected).count({ n: '*' })).toEqual([
      { n: 0 },
    ]);
    const reasons = await database.db('orders').whereIn('id', rejected).pluck('failure_reason');
    for (const reason of reasons) expect(reason).toMatch(/^Not enough stock: .+ \(#\d+\) x\d/);
  });

  it('when a reservation runs again, then it changes nothing', async () => {
    const orderId = await pendingOrder([
      { productId: productIds[3]!, quantity: 2 },
      { productId: productIds[1]!, quantity: 1 },
    ]);
    const stock = stockService(database.sqlBatches);

    expect(await stock.reserve(orderId)).toEqual({
      kind: 'reserved',
      productIds: [productIds[1], productIds[3]],
    });
    expect(await stock.reserve(orderId)).toEqual({ kind: 'skipped', status: 'STOCK_RESERVED' });

    expect(await stockPicture(database.db, productIds[3]!)).toEqual({
      stock: INITIAL_STOCK - 2,
      held: 2,
      ledgerTotal: -2,
    });
    expect(await stockPicture(database.db, productIds[1]!)).toEqual({
      stock: INITIAL_STOCK - 1,
      held: 1,
      ledgerTotal: -1,
    });
  });

  it('when a release runs again after the order was cancelled, then nothing is given back twice and the order still reads as cancelled', async () => {
    const orderId = await pendingOrder([{ productId: productIds[4]!, quantity: 3 }]);
    const stock = stockService(database.sqlBatches);
    await stock.reserve(orderId);
    await database.db('orders').where({ id: orderId }).update({ status: 'CANCEL_REQUESTED' });

    expect(await stock.release(orderId)).toEqual({
      kind: 'released',
      productIds: [productIds[4]],
      cancelled: true,
    });
    // A retry (its hand-offs may have been lost): cancelled again, so they are re-sent; no stock moves.
    expect(await stock.release(orderId)).toEqual({ kind: 'nothing-to-release', cancelled: true });
    expect(await stockPicture(database.db, productIds[4]!)).toEqual({
      stock: INITIAL_STOCK,
      held: 0,
      ledgerTotal: 0,
    });
    expect((await database.db('orders').where({ id: orderId }).first('status')).status).toBe('CANCELLED');
  });

  it('when one item asks for more than there is, then the order is rejected naming it and no stock moves', async () => {
    await database.db('products').where({ id: productIds[2] }).update({ name: 'Scarce phone', stock: 1 });
    const orderId = await pendingOrder([
      { productId: productIds[0]!, quantity: 1 },
      { productId: productIds[2]!, quantity: 2 },
    ]);

    const outcome = await stockService(database.sqlBatches).reserve(orderId);

    expect(outcome).toMatchObject({ kind: 'rejected' });
    const order = await database.db('orders').where({ id: orderId }).first('status', 'failure_reason');
    expect(order).toEqual({
      status: 'REJECTED',
      failure_reason: `Not enough stock: Product ${productIds[2]} (#${productIds[2]}) x2`,
    });
    expect((await stockPicture(database.db, productIds[0]!)).stock).toBe(INITIAL_STOCK);
    expect((await stockPicture(database.db, productIds[2]!)).stock).toBe(1);
    expect(await database.db('stock_ledger').where({ order_id: orderId }).count({ n: '*' })).toEqual([
      { n: 0 },
    ]);
  });
});
