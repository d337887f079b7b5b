/**
 * The order flow's invariants, checked over a set of orders once the faults have stopped: each broken one is
 * returned as a sentence naming the order or product, so a soak run can report them instead of stopping.
 */
import type { Knex } from 'knex';
import { isSettled, STOCK_HOLDING_STATUSES, type OrderStatus } from '../../shared/orders/order-state-machine';
import { stockPicture } from '../support/products';
import { readAggregates, recomputeWithSql } from '../stats/order-fixtures';

export interface GatewayLedger {
  charges: { orderId: string }[];
  refunds: { orderId: string }[];
}

export interface InvariantScope {
  /** The orders of these users are checked (every one in the database, accepted or not). */
  userIds: number[];
  /** Orders the customers were told were accepted (202): each must exist. */
  acceptedOrderIds: number[];
  /** Orders whose cancel was answered 202. */
  acceptedCancelIds: number[];
  products: { id: number; initial: number }[];
}

const gatewayOrderId = (orderId: number) => `order-${orderId}`;

export async function orderInvariantViolations(
  db: Knex,
  gateway: GatewayLedger,
  scope: InvariantScope,
): Promise<string[]> {
  const violations: string[] = [];
  const rows = (await db('orders')
    .whereIn('user_id', scope.userIds)
    .select('id', 'status', 'cancel_requested_at')) as {
    id: number;
    status: OrderStatus;
    cancel_requested_at: Date | null;
  }[];
  const orders = new Map(rows.map((row) => [Number(row.id), row]));
  const charges = (await db('payments')
    .whereIn(
      'order_id',
      rows.map((row) => row.id),
    )
    .where({ kind: 'charge', status: 'succeeded' })
    .pluck('order_id')) as number[];
  const paidInOurBooks = new Set(charges.map(Number));
  const count = (records: { orderId: string }[]) => {
    const byOrder = new Map<string, number>();
    for (const record of records) byOrder.set(record.orderId, (byOrder.get(record.orderId) ?? 0) + 1);
    return (orderId: number) => byOrder.get(gatewayOrderId(orderId)) ?? 0;
  };
  const charged = count(gateway.charges);
  const refunded = count(gateway.refunds);

  for (const id of scope.acceptedOrderIds)
    if (!orders.has(id)) violations.push(`order ${id} was accepted (202) but is not in the database`);
  const cancelAccepted = new Set(scope.acceptedCancelIds);
  for (const [id, order] of orders) {
    const money = `charged ${charged(id)}, refunded ${refunded(id)}`;
    if (!isSettled(order.status)) violations.push(`order ${id} is stuck in ${order.status}`);
    if (charged(id) > 1) violations.push(`order ${id} was charged ${charged(id)} times`);
    if (refunded(id) > charged(id)) violations.push(`order ${id} was refunded without a charge (${money})`);
    if (order.status === 'CONFIRMED' && (charged(id) !== 1 || refunded(id) !== 0))
      violations.push(`order ${id} is CONFIRMED but ${money}`);
    if (order.status === 'CONFIRMED' && !paidInOurBooks.has(id))
      violations.push(`order ${id} is CONFIRMED without a succeeded charge row`);
    if (order.status === 'CANCELLED' && refunded(id) !== charged(id))
      violations.push(`order ${id} is CANCELLED but ${money}`);
    if ((order.status === 'REJECTED' || order.status === 'PAYMENT_FAILED') && charged(id) !== 0)
      violations.push(`order ${id} is ${order.status} but ${money}`);
    if (cancelAccepted.has(id) && order.cancel_requested_at === null)
      violations.push(`order ${id}: its cancel was answered 202 but no request is recorded`);
    if (order.cancel_requested_at !== null && isSettled(order.status)) {
      if (!['CANCELLED', 'REJECTED', 'PAYMENT_FAILED'].includes(order.status))
        violations.push(`order ${id}: its cancel was accepted but it ended ${order.status}`);
      if (charged(id) !== refunded(id))
        violations.push(`order ${id}: cancelled but the charge was kept (${money})`);
    }
  }

  // Each order's stock moves agree with its state: one that holds stock reserved every item and released
  // none; one that does not hold stock released all it reserved (or never reserved).
  const [items, moves] = await Promise.all([
    db('order_items')
      .whereIn('order_id', [...orders.keys()])
      .select('order_id', 'product_id'),
    db('stock_ledger')
      .whereIn('order_id', [...orders.keys()])
      .select('order_id', 'product_id', 'kind'),
  ]);
  const movesOf = new Map<number, string[]>();
  for (const move of moves as { order_id: number; product_id: number; kind: string }[]) {
    const list = movesOf.get(Number(move.order_id)) ?? [];
    list.push(`${move.kind}:${move.product_id}`);
    movesOf.set(Number(move.order_id), list);
  }
  const itemsOf = new Map<number, number[]>();
  for (const item of items as { order_id: number; product_id: number }[])
    itemsOf.set(Number(item.order_id), [
      ...(itemsOf.get(Number(item.order_id)) ?? []),
      Number(item.product_id),
    ]);
  for (const [id, order] of orders) {
    const ledger = movesOf.get(id) ?? [];
    const reserved = ledger.filter((move) => move.startsWith('reserve:')).length;
    const released = ledger.filter((move) => move.startsWith('release:')).length;
    const holds = STOCK_HOLDING_STATUSES.includes(order.status);
    const agrees = holds
      ? reserved === (itemsOf.get(id) ?? []).length && released === 0
      : released === reserved;
    if (!agrees)
      violations.push(
        `order ${id} is ${order.status} but its stock ledger has ${JSON.stringify(ledger.sort())}`,
      );
  }

  for (const product of scope.products) {
    const picture = await stockPicture(db, product.id);
    const { stock, held, ledgerTotal } = picture;
    if (stock < 0) violations.push(`product ${product.id} has stock ${stock}`);
    if (stock + held !== product.initial)
      violations.push(
        `product ${product.id}: stock ${stock} + held ${held} is not its initial ${product.initial}`,
      );
    if (ledgerTotal !== stock - product.initial)
      violations.push(
        `product ${product.id}: ledger sums to ${ledgerTotal}, stock moved ${stock - product.initial}`,
      );
  }
  return violations;
}

/** The incrementally kept statistics against a recomputation from the orders (every order of the database). */
export async function statisticsViolations(db: Knex): Promise<string[]> {
  const [kept, recomputed] = await Promise.all([readAggregates(db), recomputeWithSql(db)]);
  const violations: string[] = [];
  if (JSON.stringify(kept.daily) !== JSON.stringify(recomputed.daily))
    violations.push(
      `daily statistics ${JSON.stringify(kept.daily)} differ from the recomputation ${JSON.stringify(recomputed.daily)}`,
    );
  if (JSON.stringify(kept.products) !== JSON.stringify(recomputed.products))
    violations.push(
      `product statistics ${JSON.stringify(kept.products)} differ from the recomputation ${JSON.stringify(recomputed.products)}`,
    );
  return violations;
}
