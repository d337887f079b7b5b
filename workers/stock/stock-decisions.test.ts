import type { LockedItem } from '../../shared/orders/orders.repository';
import { decideRelease, decideReservation } from './stock-decisions';

const item = (
  id: number,
  quantity: number,
  stock: number | null,
  status: LockedItem['product_status'] = 'active',
): LockedItem => ({
  product_id: id,
  product_name: `Phone ${id}`,
  quantity,
  product_stock: stock,
  product_status: status,
});

describe('decideReservation', () => {
  it('when every product has the units, then all are taken', () => {
    expect(decideReservation([item(1, 2, 2), item(2, 1, 9)])).toEqual({ kind: 'reserve' });
  });

  it('when products are short, deleted or gone, then the order is rejected naming each of them', () => {
    expect(
      decideReservation([item(1, 3, 2), item(2, 1, 9), item(3, 1, 5, 'deleted'), item(4, 1, null, null)]),
    ).toEqual({
      kind: 'reject',
      reason: 'Not enough stock: Phone 1 (#1) x3, Phone 3 (#3) x1, Phone 4 (#4) x1',
    });
  });

  it('when the order has no items, then there is nothing to take', () => {
    expect(decideReservation([])).toEqual({ kind: 'nothing-to-take' });
  });
});

describe('decideRelease', () => {
  const charged = { kind: 'charge' as const, status: 'succeeded' as const };
  const refunded = { kind: 'refund' as const, status: 'succeeded' as const };
  const refundRetrying = { kind: 'refund' as const, status: 'unknown' as const };
  const notCharged = { kind: 'charge' as const, status: 'failed' as const };

  it.each([
    ['a declined order', 'PAYMENT_FAILED', [notCharged], { kind: 'release' }],
    [
      'a cancel whose refund went through',
      'CANCEL_REQUESTED',
      [charged, refunded],
      { kind: 'release-and-cancel' },
    ],
    ['a cancel that was never charged', 'CANCEL_REQUESTED', [notCharged], { kind: 'release-and-cancel' }],
    ['a cancel with no payment at all', 'CANCEL_REQUESTED', [], { kind: 'release-and-cancel' }],
    [
      'a cancel whose refund is still retrying',
      'CANCEL_REQUESTED',
      [charged, refundRetrying],
      { kind: 'skip', status: 'CANCEL_REQUESTED' },
    ],
    [
      'a cancel whose refund has not started',
      'CANCEL_REQUESTED',
      [charged],
      { kind: 'skip', status: 'CANCEL_REQUESTED' },
    ],
    ['a confirmed order (a stray job)', 'CONFIRMED', [charged], { kind: 'skip', status: 'CONFIRMED' }],
    ['a reserved order (a stray job)', 'STOCK_RESERVED', [], { kind: 'skip', status: 'STOCK_RESERVED' }],
    ['a pending order', 'PENDING', [], { kind: 'skip', status: 'PENDING' }],
    ['an order already cancelled', 'CANCELLED', [charged, refunded], { kind: 'report-cancelled' }],
    ['a missing order', undefined, [], { kind: 'skip', status: 'missing' }],
  ] as const)('when the release meets %s, then it decides %j', (_label, status, payments, decision) => {
    expect(decideRelease(status, [...payments])).toEqual(decision);
  });
});
