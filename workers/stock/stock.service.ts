import type { Knex } from 'knex';
import { withTransaction } from '../../shared/db';
import type { OrderStatus } from '../../shared/orders/order-status';
import { ordersRepository } from '../../shared/orders/orders.repository';
import { stockRepository } from './stock.repository';

export type ReserveOutcome =
  | { kind: 'reserved'; productIds: number[] }
  | { kind: 'rejected'; reason: string; productIds: number[] }
  | { kind: 'skipped'; status: OrderStatus | 'missing' };

export type ReleaseOutcome = { kind: 'released'; productIds: number[] } | { kind: 'nothing-to-release' };

/**
 * Reservation and release in one MySQL transaction each. The order row is locked first, so a reservation
 * and a cancellation of the same order never interleave; products are decremented in id order, so two
 * orders sharing products never deadlock.
 */
export function stockService(db: Knex) {
  const orders = ordersRepository(db);
  const stock = stockRepository();

  return {
    async reserve(orderId: number): Promise<ReserveOutcome> {
      const shortages: string[] = [];
      let productIds: number[] = [];
      const outcome = await withTransaction(db, async (trx): Promise<ReserveOutcome> => {
        const { status, items } = await orders.lockWithItems(orderId, trx); // items by product id
        if (status !== 'PENDING') return { kind: 'skipped', status: status ?? 'missing' };
        productIds = items.map((item) => item.product_id);
        for (const item of items) {
          if (!(await stock.take(item.product_id, item.quantity, trx))) {
            shortages.push(`${item.product_name} (#${item.product_id}) x${item.quantity}`);
          }
        }
        if (shortages.length > 0) {
          // Throwing rolls back every decrement made above; the order is rejected in its own statement.
          throw new ShortageSignal();
        }
        await stock.recordMoves(
          items.map((item) => ({
            orderId,
            productId: item.product_id,
            kind: 'reserve' as const,
            quantity: -item.quantity,
          })),
          trx,
        );
        await orders.transition(orderId, 'PENDING', 'STOCK_RESERVED', {}, trx);
        return { kind: 'reserved', productIds: items.map((item) => item.product_id) };
      }).catch((error: unknown) => {
        if (error instanceof ShortageSignal) return undefined;
        throw error;
      });
      if (outcome) return outcome;

      const reason = `Not enough stock: ${shortages.join(', ')}`;
      await orders.transition(orderId, 'PENDING', 'REJECTED', { failureReason: reason });
      return { kind: 'rejected', reason, productIds };
    },

    /**
     * Returns what the order reserved, once: a release row per reserved product, which the unique key
     * keeps from being written twice. Moves a CANCEL_REQUESTED order to CANCELLED in the same transaction.
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
        const cancelled = await orders.transition(orderId, 'CANCEL_REQUESTED', 'CANCELLED', {}, trx);
        return toRelease.length > 0
          ? { kind: 'released', productIds: toRelease.map((move) => move.product_id), cancelled }
          : { kind: 'nothing-to-release', cancelled };
      });
    },
  };
}

class ShortageSignal extends Error {}
