import { statement, type SqlStatement } from '../../shared/sql-batches';

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
 * key is what makes a retried move a no-op. Taking an order's items moves the order too, so that
 * statement is the orders repository's (`reserveItemsStatement`).
 */
export const stockStatements = {
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

  /** The order's payment rows (read, never written here): a cancel's release waits for its refund. */
  paymentsOf: (orderId: number): SqlStatement =>
    statement('SELECT kind, status FROM payments WHERE order_id = ?', [orderId]),

  lockOrder: (orderId: number): SqlStatement =>
    statement('SELECT status FROM orders WHERE id = ? FOR UPDATE', [orderId]),
};
