import type { Knex } from 'knex';

/**
 * Stock moves for orders. Each move is one conditional update of `products.stock` plus one ledger row
 * keyed by (order, product, kind): the unique key is what makes a retried move a no-op.
 */
export function stockRepository() {
  return {
    /** Takes `quantity` units if that many are there; false when not (stock never goes below zero). */
    async take(productId: number, quantity: number, trx: Knex.Transaction): Promise<boolean> {
      const changed = await trx('products')
        .where({ id: productId, status: 'active' })
        .where('stock', '>=', quantity)
        .decrement('stock', quantity);
      return changed === 1;
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
