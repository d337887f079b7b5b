import { orderTimeline, type TimelineInput } from './order-timeline';

const at = (second: number) => new Date(Date.UTC(2026, 11, 4, 12, 0, second));

const placed: TimelineInput['order'] = {
  status: 'PENDING',
  failureReason: null,
  createdAt: at(0),
  updatedAt: at(0),
  confirmedAt: null,
  cancelRequestedAt: null,
  cancelledAt: null,
};

describe('orderTimeline', () => {
  it('when an order was confirmed, then cancelled and refunded, then every step is told in time order', () => {
    const timeline = orderTimeline({
      order: {
        ...placed,
        status: 'CANCELLED',
        updatedAt: at(9),
        confirmedAt: at(3),
        cancelRequestedAt: at(5),
        cancelledAt: at(9),
      },
      stockMoves: [
        { productId: 7, kind: 'reserve', quantity: -2, at: at(1) },
        { productId: 7, kind: 'release', quantity: 2, at: at(8) },
      ],
      payments: [
        {
          kind: 'charge',
          status: 'succeeded',
          amount: 5000,
          attempts: 1,
          lastError: null,
          createdAt: at(2),
          updatedAt: at(3),
        },
        {
          kind: 'refund',
          status: 'succeeded',
          amount: 5000,
          attempts: 2,
          lastError: null,
          createdAt: at(6),
          updatedAt: at(7),
        },
      ],
      jobs: [
        {
          name: 'place',
          state: 'completed',
          attemptsMade: 1,
          failedReason: null,
          createdAt: at(0).toISOString(),
          finishedAt: at(1).toISOString(),
        },
      ],
    });
    expect(
      timeline.map((entry) => [entry.at.slice(17, 19), entry.type, entry.status ?? entry.summary]),
    ).toEqual([
      ['00', 'status', 'PENDING'],
      ['01', 'status', 'STOCK_RESERVED'],
      ['01', 'stock', 'Stock reserve of product 7: -2'],
      ['01', 'job', 'Job place completed (1 attempt)'],
      ['02', 'payment', 'Charge of 5000 won started'],
      ['03', 'status', 'CONFIRMED'],
      ['03', 'payment', 'Charge succeeded after 1 attempt'],
      ['05', 'cancel', 'Cancellation requested'],
      ['06', 'payment', 'Refund of 5000 won started'],
      ['07', 'payment', 'Refund succeeded after 2 attempts'],
      ['08', 'stock', 'Stock release of product 7: +2'],
      ['09', 'status', 'CANCELLED'],
    ]);
    expect(timeline.find((entry) => entry.status === 'STOCK_RESERVED')?.exact).toBe(false);
  });

  it('when an order was rejected, then its final state takes the last update time, marked inexact', () => {
    const timeline = orderTimeline({
      order: { ...placed, status: 'REJECTED', failureReason: 'out of stock: 7', updatedAt: at(4) },
      stockMoves: [],
      payments: [],
      jobs: [],
    });
    expect(timeline).toEqual([
      { at: at(0).toISOString(), type: 'status', status: 'PENDING', summary: 'Order placed', exact: true },
      {
        at: at(4).toISOString(),
        type: 'status',
        status: 'REJECTED',
        summary: 'Rejected: out of stock: 7',
        exact: false,
      },
    ]);
  });

  it('when a confirmed order waits for its refund, then CANCEL_REQUESTED is its last state', () => {
    const timeline = orderTimeline({
      order: { ...placed, status: 'CANCEL_REQUESTED', confirmedAt: at(2), cancelRequestedAt: at(5) },
      stockMoves: [],
      payments: [],
      jobs: [],
    });
    expect(timeline.filter((entry) => entry.type === 'status').map((entry) => entry.status)).toEqual([
      'PENDING',
      'CONFIRMED',
      'CANCEL_REQUESTED',
    ]);
  });
});
