import {
  CANCEL_MOVES,
  FINAL_STATUSES,
  IllegalTransitionError,
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  SETTLED_STATUSES,
  WORKING_STATUSES,
  assertTransition,
  canTransition,
  isCancellable,
  owedStep,
} from './order-state-machine';
import { reserveItemsStatement, requestCancelStatement, transitionStatement } from './orders.repository';

describe('the order state machine', () => {
  it('when the table is read, then every move stays inside the known states and nothing leaves a final one', () => {
    for (const [from, targets] of Object.entries(ORDER_TRANSITIONS)) {
      expect(ORDER_STATUSES).toContain(from);
      for (const to of targets) expect(ORDER_STATUSES).toContain(to);
    }
    expect(FINAL_STATUSES).toEqual(['REJECTED', 'PAYMENT_FAILED', 'CANCELLED']);
    expect(SETTLED_STATUSES).toEqual(['CONFIRMED', 'REJECTED', 'PAYMENT_FAILED', 'CANCELLED']);
  });

  it('when every state is followed, then each one can reach a final state (no order can be stuck by design)', () => {
    const reachesFinal = (status: string, seen = new Set<string>()): boolean => {
      if (FINAL_STATUSES.includes(status as never)) return true;
      if (seen.has(status)) return false;
      seen.add(status);
      return ORDER_TRANSITIONS[status as keyof typeof ORDER_TRANSITIONS].some((next) =>
        reachesFinal(next, seen),
      );
    };
    for (const status of ORDER_STATUSES) expect([status, reachesFinal(status)]).toEqual([status, true]);
  });

  it.each([
    ['PENDING', 'CONFIRMED'],
    ['CONFIRMED', 'CANCELLED'],
    ['CANCELLED', 'PENDING'],
    ['PAYMENT_FAILED', 'CONFIRMED'],
    ['CANCEL_REQUESTED', 'CONFIRMED'],
  ] as const)('when %s → %s is asked for, then it is a programming error, not a silent no-op', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    expect(() => assertTransition(from, to)).toThrow(IllegalTransitionError);
    expect(() => transitionStatement(1, from, to)).toThrow(`illegal order transition ${from} → ${to}`);
  });

  it('when a move is allowed, then its statement is conditional on the state it leaves', () => {
    const { sql, values } = transitionStatement(7, 'STOCK_RESERVED', 'PAYMENT_FAILED', {
      failureReason: 'no',
    });
    expect(sql).toMatch(/WHERE id = \? AND status IN \(\?\)$/);
    expect(values.slice(-2)).toEqual([7, 'STOCK_RESERVED']);
    expect(reserveItemsStatement(7).values).toEqual(['STOCK_RESERVED', expect.any(Date), 7, 'PENDING']);
  });

  it('when a cancel is asked for, then only the cancellable states move, each to where CANCEL_MOVES says', () => {
    expect(Object.entries(CANCEL_MOVES)).toEqual([
      ['PENDING', 'CANCELLED'],
      ['STOCK_RESERVED', 'STOCK_RESERVED'],
      ['CONFIRMED', 'CANCEL_REQUESTED'],
      ['CANCEL_REQUESTED', 'CANCEL_REQUESTED'],
    ]);
    for (const status of FINAL_STATUSES) expect(isCancellable(status)).toBe(false);
    const { sql, values } = requestCancelStatement(3, 9);
    expect(sql).toMatch(/WHERE id = \? AND user_id = \? AND status IN \(\?, \?, \?, \?\)$/);
    expect(values.slice(-6)).toEqual([9, 3, 'PENDING', 'STOCK_RESERVED', 'CONFIRMED', 'CANCEL_REQUESTED']);
    // cancelled_at is assigned before status, so it still sees the state the order was in.
    expect(sql.indexOf('cancelled_at =')).toBeLessThan(sql.indexOf('status = CASE'));
  });

  it.each([
    [{ status: 'PENDING' }, 'reserve'],
    [{ status: 'STOCK_RESERVED' }, 'charge'],
    [{ status: 'CANCEL_REQUESTED' }, 'refund'],
    [{ status: 'PAYMENT_FAILED', stockUnreleased: true }, 'release'],
    [{ status: 'PAYMENT_FAILED' }, null],
    [{ status: 'CONFIRMED' }, null],
    [{ status: 'REJECTED' }, null],
    [{ status: 'CANCELLED' }, null],
  ] as const)('when an order is %j, then it is owed %s', (order, step) => {
    expect(owedStep(order)).toBe(step);
  });

  it('when the sweeper looks for work, then it looks at exactly the states that owe a step', () => {
    expect(ORDER_STATUSES.filter((status) => owedStep({ status }) !== null)).toEqual([...WORKING_STATUSES]);
  });
});
