import type { Knex } from 'knex';
import { ORDER_ITEMS_BY_ORDER_KEY } from '../../shared/orders/orders.repository';

/**
 * Stock moves for orders. A move is a conditional update of `products.stock` plus one ledger row keyed by
 * (order, product, kind): the unique key is what makes a retried move a no-op.
 */
export function stockRepository() {
  return {
    /**
     * Takes every item of a PENDING order from stock and moves the order to STOCK_RESERVED, in one
     * statement; true only when the order and each of its `itemCount` products changed. A product that
     * is not active or has fewer units than its item asks for is left alone (stock never goes below zero),
     * as is everything when the order is no longer PENDING: on false the caller rolls back.
     *
     * The caller holds the locks on the order, its items and their products (`lockWithItems`), so this
     * only has to touch those rows and no others. STRAIGHT_JOIN and the index hints make it read exactly
     * them: left to itself, the optimizer scans a small products table, locking other orders' products
     * while this one holds its own, which can deadlock. Each row of a multi-table UPDATE changes once.
     */
    async takeForOrder(orderId: number, itemCount: number, trx: Knex.Transaction): Promise<boolean> {
      const [result] = (await trx.raw(
        `UPDATE orders o
           STRAIGHT_JOIN order_items i FORCE INDEX (${ORDER_ITEMS_BY_ORDER_KEY})
             ON i.order_id = o.id
           STRAIGHT_JOIN products p FORCE INDEX (PRIMARY) ON p.id = i.product_id
            SET p.stock = p.stock - i.quantity, o.status = 'STOCK_RESERVED', o.updated_at = ?
          WHERE o.id = ? AND o.status = 'PENDING' AND p.status = 'active' AND p.stock >= i.quantity`,
        [new Date(), orderId],
      )) as [{ affectedRows: number }];
      // Every matched row changes (quantities are at least 1): rows matched and rows changed agree.
      return result.affectedRows === itemCount + 1;
    },

    async giveBack(productId: number, quantity: number, trx: Knex.Transaction): Promise<void> {
      await trx('products').where({ id: productId }).increment('stock', quantity);
    },

    /** One ledger row per move, in one statement; a move already recorded fails the whole insert. */
    async recordMoves(
      moves: { orderId: number; productId: number; kind: 'reserve' | 'release'; quantity: number }[],
      trx: Knex.Transaction,
    ): Promise<void> {
      if (moves.length === 0) return;
      await trx('stock_ledger').insert(
        moves.map((move) => ({
          order_id: move.orderId,
          product_id: move.productId,
          kind: move.kind,
          quantity: move.quantity,
        })),
      );
    },

    async movesOf(
      orderId: number,
      trx: Knex.Transaction,
    ): Promise<{ product_id: number; kind: string; quantity: number }[]> {
      return trx('stock_ledger').where({ order_id: orderId }).select('product_id', 'kind', 'quantity');
    },
  };
}
