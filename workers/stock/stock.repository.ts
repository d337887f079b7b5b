import { statement, type SqlStatement } from '../../shared/sql-batches';
import { ORDER_ITEMS_BY_ORDER_KEY } from '../../shared/orders/orders.repository';

export type StockMoveKind = 'reserve' | 'release';

export interface StockMove {
  orderId: number;
  productId: number;
  kind: StockMoveKind;
  quantity: number;
}

/**
 * The statements that move stock for orders (sent by stock.service in batched transactions). A move is a
 * conditional update of `products.stock` plus one ledger row keyed by (order, product, kind): the unique
 * key is what makes a retried move a no-op.
 */
export const stockStatements = {
  /**
   * Takes every item of a PENDING order from stock and moves the order to STOCK_RESERVED, in one
   * statement. A product that is not active or has fewer units than its item asks for is left alone (stock
   * never goes below zero), as is everything when the order is no longer PENDING: so the order and each of
   * its products changed only when the affected rows are the item count + 1.
   *
   * The caller holds the locks on the order, its items and their products (`lockWithItemsStatement`), so
   * this only has to touch those rows and no others. STRAIGHT_JOIN and the index hints make it read exactly
   * them: left to itself, the optimizer scans a small products table, locking other orders' products while
   * this one holds its own, which can deadlock. Each row of a multi-table UPDATE changes once.
   */
  takeForOrder: (orderId: number): SqlStatement =>
    statement(
      `UPDATE orders o
         STRAIGHT_JOIN order_items i FORCE INDEX (${ORDER_ITEMS_BY_ORDER_KEY})
           ON i.order_id = o.id
         STRAIGHT_JOIN products p FORCE INDEX (PRIMARY) ON p.id = i.product_id
          SET p.stock = p.stock - i.quantity, o.status = 'STOCK_RESERVED', o.updated_at = ?
        WHERE o.id = ? AND o.status = 'PENDING' AND p.status = 'active' AND p.stock >= i.quantity`,
      [new Date(), orderId],
    ),

  giveBack: (productId: number, quantity: number): SqlStatement =>
    statement('UPDATE products SET stock = stock + ? WHERE id = ?', [quantity, productId]),

  /** One ledger row per move, in one statement; a move already recorded fails the whole insert. */
  recordMoves: (moves: StockMove[]): SqlStatement =>
    statement(
      `INSERT INTO stock_ledger (order_id, product_id, kind, quantity)
       VALUES ${moves.map(() => '(?, ?, ?, ?)').join(', ')}`,
      moves.flatMap((move) => [move.orderId, move.productId, move.kind, move.quantity]),
    ),

  movesOf: (orderId: number): SqlStatement =>
    statement('SELECT product_id, kind, quantity FROM stock_ledger WHERE order_id = ?', [orderId]),

  lockOrder: (orderId: number): SqlStatement =>
    statement('SELECT status FROM orders WHERE id = ? FOR UPDATE', [orderId]),
};
