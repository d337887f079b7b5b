import type { Knex } from 'knex';
import { withTransaction } from '../../shared/db';
import type { OrderStatus } from '../../shared/orders/order-status';
import { ordersRepository, type OrdersRepository } from '../../shared/orders/orders.repository';
import { stockRepository } from './stock.repository';

export type ReserveOutcome =
  | { kind: 'reserved'; productIds: number[] }
  | { kind: 'rejected'; reason: string; productIds: number[] }
  | { kind: 'skipped'; status: OrderStatus | 'missing' };

export type ReleaseOutcome = { kind: 'released'; productIds: number[] } | { kind: 'nothing-to-release' };

type LockedItem = Awaited<ReturnType<OrdersRepository['lockWithItems']>>['items'][number];

/** A reservation that found too little stock: nothing was written, the order is rejected afterwards. */
type Shortage = { kind: 'short'; shortages: string[]; productIds: number[] };

/**
 * Reservation and release in one MySQL transaction each. The order row is locked first, so a reservation
 * and a cancellation of the same order never interleave; products are locked in id order, so two orders
 * sharing products never deadlock.
 *
 * A reservation is five statements whatever the number of items: BEGIN, one locking read of the order,
 * its items and their products, which decides, one UPDATE taking every item and moving the order to
 * STOCK_RESERVED, one ledger INSERT, COMMIT.
 */
export function stockService(db: Knex) {
  const orders = ordersRepository(db);
  const stock = stockRepository();

  /**
   * Takes every item and moves the order PENDING → STOCK_RESERVED. The locked rows already showed enough
   * stock, so a statement that changes fewer rows means something is wrong: throwing rolls it all back.
   */
  async function takeAll(orderId: number, items: LockedItem[], trx: Knex.Transaction): Promise<void> {
    if (items.length === 0) {
      // Placement never writes an order without items; should one exist, it has nothing to take.
      await orders.transition(orderId, 'PENDING', 'STOCK_RESERVED', {}, trx);
      return;
    }
    if (!(await stock.takeForOrder(orderId, items.length, trx))) {
      throw new Error(`Reserving order ${orderId} did not take all of its ${items.length} items`);
    }
  }

  return {
    async reserve(orderId: number): Promise<ReserveOutcome> {
      const outcome = await withTransaction(db, async (trx): Promise<ReserveOutcome | Shortage> => {
        const { status, items } = await orders.lockWithItems(orderId, trx); // items by product id
        if (status !== 'PENDING') return { kind: 'skipped', status: status ?? 'missing' };
        const productIds = items.map((item) => item.product_id);
        const short = items.filter(isShort);
        // Decided before any write: ending the transaction here leaves stock, ledger and order as they were.
        if (short.length > 0) return { kind: 'short', shortages: short.map(describeItem), productIds };
        await takeAll(orderId, items, trx);
        await stock.recordMoves(
          items.map((item) => ({
            orderId,
            productId: item.product_id,
            kind: 'reserve' as const,
            quantity: -item.quantity,
          })),
          trx,
        );
        return { kind: 'reserved', productIds };
      });
      if (outcome.kind !== 'short') return outcome;

      // The order is rejected in its own statement, after the transaction ended.
      const reason = `Not enough stock: ${outcome.shortages.join(', ')}`;
      await orders.transition(orderId, 'PENDING', 'REJECTED', { failureReason: reason });
      return { kind: 'rejected', reason, productIds: outcome.productIds };
    },

    /**
     * Returns what the order reserved, once: a release row per reserved product, which the unique key
     * keeps from being written twice. Moves a CANCEL_REQUESTED order to CANCELLED in the same transaction;
     * `cancelled` says the order is CANCELLED now (by this call or an earlier one).
     */
    async release(orderId: number): Promise<ReleaseOutcome & { cancelled: boolean }> {
      return withTransaction(db, async (trx) => {
        const order = await orders.findByIdForUpdate(orderId, trx);
        if (!order) return { kind: 'nothing-to-release', cancelled: false };
        const moves = await stock.movesOf(orderId, trx);
        const released = new Set(
          moves.filter((move) => move.kind === 'release').map((move) => move.product_id),
        );
        const toRelease = moves
          .filter((move) => move.kind === 'reserve' && !released.has(move.product_id))
          .sort((a, b) => a.product_id - b.product_id);
        for (const move of toRelease) await stock.giveBack(move.product_id, -move.quantity, trx);
        await stock.recordMoves(
          toRelease.map((move) => ({
            orderId,
            productId: move.product_id,
            kind: 'release' as const,
            quantity: -move.quantity,
          })),
          trx,
        );
        // Also true on a retry after the order was cancelled: its hand-offs (state event, statistics) may
        // not all have been sent, and each is idempotent.
        const cancelled =
          (await orders.transition(orderId, 'CANCEL_REQUESTED', 'CANCELLED', {}, trx)) ||
          order.status === 'CANCELLED';
        return toRelease.length > 0
          ? { kind: 'released', productIds: toRelease.map((move) => move.product_id), cancelled }
          : { kind: 'nothing-to-release', cancelled };
      });
    },
  };
}

/** The product cannot serve the item: it is gone, no longer active, or has fewer units than asked for. */
function isShort(item: LockedItem): boolean {
  return item.product_status !== 'active' || (item.product_stock ?? 0) < item.quantity;
}

/** How a rejection names an item it could not serve. */
function describeItem(item: LockedItem): string {
  return `${item.product_name} (#${item.product_id}) x${item.quantity}`;
}
