import type { ChargeStart, PaymentRow } from './payments.repository';
import { decideCharge, decideRefund } from './payment-decisions';

const order = (status: string, cancelRequested = false): ChargeStart['order'] => ({
  id: 1,
  status: status as never,
  total: 10_000,
  from_cart: 0,
  cancelRequested,
});
const payment = (status: PaymentRow['status'], attempts = 1): PaymentRow => ({
  id: 5,
  order_id: 1,
  kind: 'charge',
  gateway_key: 'charge-1',
  gateway_payment_key: status === 'succeeded' ? 'pk' : null,
  status,
  amount: 10_000,
  attempts,
  last_error: null,
});

describe('decideCharge', () => {
  it.each([
    [
      'a reserved order on its first attempt',
      order('STOCK_RESERVED'),
      payment('pending'),
      { kind: 'charge' },
    ],
    [
      'a retry after an attempt of unknown outcome',
      order('STOCK_RESERVED'),
      payment('unknown', 2),
      { kind: 'look-up-first', cancelRequested: false },
    ],
    [
      'a cancel requested before anything reached the gateway',
      order('STOCK_RESERVED', true),
      payment('pending'),
      { kind: 'cancel-without-charge' },
    ],
    [
      'a cancel requested after an attempt of unknown outcome',
      order('STOCK_RESERVED', true),
      payment('unknown', 3),
      { kind: 'look-up-first', cancelRequested: true },
    ],
    [
      'a charge recorded but the order not moved',
      order('STOCK_RESERVED'),
      payment('succeeded'),
      { kind: 'record-success' },
    ],
    [
      'a decline recorded but the order not moved',
      order('STOCK_RESERVED'),
      payment('failed'),
      { kind: 'record-decline' },
    ],
    [
      'a confirmed order rerun (hand-offs lost)',
      order('CONFIRMED'),
      payment('succeeded'),
      { kind: 'report', outcome: 'confirmed' },
    ],
    [
      'a charged order whose cancel was seen at confirmation',
      order('CANCEL_REQUESTED', true),
      payment('succeeded'),
      { kind: 'report', outcome: 'cancel-requested' },
    ],
    [
      'an order between the statements that start an attempt',
      order('STOCK_RESERVED'),
      undefined,
      { kind: 'retry' },
    ],
    ['a cancelled order', order('CANCELLED', true), payment('failed'), { kind: 'skip', status: 'CANCELLED' }],
    ['a pending order', order('PENDING'), undefined, { kind: 'skip', status: 'PENDING' }],
    ['a missing order', undefined, undefined, { kind: 'skip', status: 'missing' }],
  ])('when the step meets %s, then it decides %j', (_label, o, p, decision) => {
    expect(decideCharge({ order: o, payment: p })).toEqual(decision);
  });
});

describe('decideRefund', () => {
  it.each([
    ['a paid cancel', 'CANCEL_REQUESTED', payment('succeeded'), { kind: 'refund', paymentKey: 'pk' }],
    ['a cancel that was never charged', 'CANCEL_REQUESTED', payment('failed'), { kind: 'not-charged' }],
    ['a cancel with no charge row', 'CANCEL_REQUESTED', undefined, { kind: 'not-charged' }],
    ['a charge of unknown outcome', 'CANCEL_REQUESTED', payment('unknown', 2), { kind: 'look-up-first' }],
    [
      'an order no longer cancelling',
      'CANCELLED',
      payment('succeeded'),
      { kind: 'skip', status: 'CANCELLED' },
    ],
    ['a missing order', undefined, undefined, { kind: 'skip', status: 'missing' }],
  ] as const)('when the step meets %s, then it decides %j', (_label, status, charge, decision) => {
    expect(decideRefund(status, charge)).toEqual(decision);
  });
});
