import type { OrderStatus } from '../../shared/orders/order-state-machine';
import {
  lockedOrderOf,
  lockWithItemsStatement,
  reserveItemsStatement,
  transitionStatement,
} from '../../shared/orders/orders.repository';
import { affectedRows, rowsOf, type SqlBatches } from '../../shared/sql-batches';
import { decideRelease, decideReservation } from './stock-decisions';
import { stockStatements as stock, type StockMove } from './stock.repository';

export type ReserveOutcome =
  | { kind: 'reserved'; productIds: number[] }
  | { kind: 'rejected'; reason: string; productIds: number[] }
  | { kind: 'skipped'; status: OrderStatus | 'missing' };

export type ReleaseOutcome = { kind: 'released'; productIds: number[] } | { kind: 'nothing-to-release' };

/**
 * Reservation and release in one MySQL transaction each, sent in batches (shared/sql-batches). The order
 * row is locked first, so a reservation and a cancellation of the same order never interleave; products
 * are locked in id order, so two orders sharing products never deadlock.
 *
 * A reservation is three round trips whatever the number of items: BEGIN with one locking read of the
 * order, its items and their products, which decides; one UPDATE taking every item and moving the order to
 * STOCK_RESERVED, with one ledger INSERT; COMMIT, once the UPDATE is seen to have changed every row. Too
 * little stock: ROLLBACK and the rejection, in the second and last round trip.
 */
export function stockService(sql: SqlBatches) {
  return {
    reserve(orderId: number): Promise<ReserveOutcome> {
      return sql.transaction(async (tx): Promise<ReserveOutcome> => {
        const [locked] = await tx.run(lockWithItemsStatement(orderId));
        const { status, items } = lockedOrderOf(rowsOf(locked)); // items by product id
        if (status !== 'PENDING') {
          await tx.rollback();
          return { kind: 'skipped', status: status ?? 'missing' };
        }
        const productIds = items.map((item) => item.product_id);
        const decision = decideReservation(items);
        if (decision.kind === 'reject') {
          // Decided before any write: the rollback leaves stock, ledger and order as they were, then the
          // order is rejected in its own statement.
          await tx.rollback(
            transitionStatement(orderId, 'PENDING', 'REJECTED', { failureReason: decision.reason }),
          );
          return { kind: 'rejected', reason: decision.reason, productIds };
        }
        if (decision.kind === 'nothing-to-take') {
          await tx.commit(transitionStatement(orderId, 'PENDING', 'STOCK_RESERVED'));
          return { kind: 'reserved', productIds };
        }
        const [taken] = await tx.run(
          reserveItemsStatement(orderId),
          stock.recordMoves(
            items.map((item) => ({
              orderId,
              productId: item.product_id,
              kind: 'reserve' as const,
              quantity: -item.quantity,
            })),
          ),
        );
        // The locked rows already showed enough stock, so fewer changed rows means something is wrong:
        // throwing rolls it all back.
        if (affectedRows(taken) !== items.length + 1) {
          throw new Error(`Reserving order ${orderId} did not take all of its ${items.length} items`);
        }
        await tx.commit();
        return { kind: 'reserved', productIds };
      });
    },

    /**
     * Returns what the order reserved, once: a release row per reserved product, which the unique key
     * keeps from being written twice. Moves a CANCEL_REQUESTED order to CANCELLED in the same transaction;
     * `cancelled` says the order is CANCELLED now (by this call or an earlier one). Only an order owed a
     * release gets one (`decideRelease`): a stray job for a live order, or one that comes before a cancel's
     * refund, changes nothing. Two round trips: BEGIN with the order's lock, its ledger rows and its
     * payments; the stock returned, its ledger rows, the order's transition and COMMIT.
     */
    release(orderId: number): Promise<ReleaseOutcome & { cancelled: boolean }> {
      return sql.transaction(async (tx) => {
        const [order, ledger, payments] = await tx.run(
          stock.lockOrder(orderId),
          stock.movesOf(orderId),
          stock.paymentsOf(orderId),
        );
        const status = rowsOf<{ status: OrderStatus }>(order)[0]?.status;
        const decision = decideRelease(status, rowsOf(payments));
        if (decision.kind === 'skip' || decision.kind === 'report-cancelled') {
          await tx.rollback();
          return { kind: 'nothing-to-release', cancelled: decision.kind === 'report-cancelled' };
        }
        const moves = rowsOf<{ product_id: number; kind: StockMove['kind']; quantity: number }>(ledger);
        const released = new Set(
          moves.filter((move) => move.kind === 'release').map((move) => Number(move.product_id)),
        );
        const toRelease: StockMove[] = moves
          .filter((move) => move.kind === 'reserve' && !released.has(Number(move.product_id)))
          .map((move) => ({
            orderId,
            productId: Number(move.product_id),
            kind: 'release' as const,
            quantity: -move.quantity,
          }))
          .sort((a, b) => a.productId - b.productId);
        const results = await tx.commit(
          ...toRelease.map((move) => stock.giveBack(move.productId, move.quantity)),
          ...(toRelease.length > 0 ? [stock.recordMoves(toRelease)] : []),
          ...(decision.kind === 'release-and-cancel'
            ? [transitionStatement(orderId, 'CANCEL_REQUESTED', 'CANCELLED')]
            : []),
        );
        const cancelled = decision.kind === 'release-and-cancel' && affectedRows(results.at(-1)) === 1;
        return toRelease.length > 0
          ? { kind: 'released', productIds: toRelease.map((move) => move.productId), cancelled }
          : { kind: 'nothing-to-release', cancelled };
      });
    },
  };
}
