/**
 * The order page's pure parts (admin-ui/src/pages/orders): the small SSE parser the live view reads the
 * order-event stream with, and the timeline built from GET /api/admin/orders/{id}.
 */
import { sseParser } from '../../admin-ui/src/pages/orders/sse';
import { buildTimeline } from '../../admin-ui/src/pages/orders/timeline';
import type { OrderDetail } from '../../admin-ui/src/pages/orders/types';

describe('order page parts', () => {
  it('when the stream arrives in pieces, then each event is whole once its blank line came; comments are skipped', () => {
    const parse = sseParser();
    expect(parse(': keep-alive\n\nevent: status\nid: 1\ndata: {"status":')).toEqual([]);
    expect(parse('"PENDING"}\n')).toEqual([]);
    expect(parse('\r\nevent: status\ndata: a\ndata: b\n\ndata: plain\n\n')).toEqual([
      { event: 'status', data: '{"status":"PENDING"}', id: '1' },
      { event: 'status', data: 'a\nb', id: '1' },
      { event: 'message', data: 'plain', id: '1' },
    ]);
  });

  const detail = (patch: Partial<OrderDetail> = {}): OrderDetail => ({
    order: {
      id: 5,
      user: { id: 2, email: 'kim@example.com' },
      status: 'CANCELLED',
      total: 300_000,
      paymentMethod: 'card',
      failureReason: null,
      createdAt: '2026-12-04T01:00:00.000Z',
      updatedAt: '2026-12-04T01:00:09.000Z',
      confirmedAt: '2026-12-04T01:00:02.000Z',
      cancelledAt: '2026-12-04T01:00:09.000Z',
      shippingAddress: null,
      fromCart: false,
      idempotencyKey: null,
      requestId: null,
      items: [],
      payments: [
        {
          kind: 'refund',
          status: 'succeeded',
          amount: 300_000,
          attempts: 1,
          lastError: null,
          gatewayKey: 'r',
          gatewayPaymentKey: null,
          createdAt: '2026-12-04T01:00:05.000Z',
          updatedAt: '2026-12-04T01:00:08.000Z',
        },
        {
          kind: 'charge',
          status: 'succeeded',
          amount: 300_000,
          attempts: 1,
          lastError: null,
          gatewayKey: 'c',
          gatewayPaymentKey: 'pk',
          createdAt: '2026-12-04T01:00:01.000Z',
          updatedAt: '2026-12-04T01:00:02.000Z',
        },
      ],
      stockMoves: [{ productId: 9, kind: 'reserve', quantity: -1, at: '2026-12-04T01:00:00.500Z' }],
    },
    jobs: [
      {
        queue: 'payments',
        id: 'charge-5',
        name: 'charge',
        state: 'completed',
        attemptsMade: 1,
        maxAttempts: 5,
        failedReason: null,
        createdAt: '2026-12-04T01:00:00.600Z',
        processedAt: '2026-12-04T01:00:00.700Z',
        finishedAt: '2026-12-04T01:00:02.100Z',
        dashboard: '/admin/queues/queue/payments/charge-5',
      },
    ],
    ...patch,
  });

  it('when the API sends no timeline, then the order row’s times, payments, stock moves and jobs are sorted by time', () => {
    const entries = buildTimeline(detail());
    expect(entries.map((entry) => [entry.at.slice(17, 23), entry.what])).toEqual([
      ['00.000', 'placed'],
      ['00.500', 'stock'],
      ['01.000', 'charge.started'],
      ['02.000', 'status'],
      ['02.000', 'charge.result'],
      ['02.100', 'job'],
      ['05.000', 'refund.started'],
      ['08.000', 'refund.result'],
      ['09.000', 'status'],
    ]);
    expect(entries.find((entry) => entry.what === 'job')?.href).toBe('/admin/queues/queue/payments/charge-5');
  });

  it('when the API sends its timeline, then its state changes are used, an inexact time marked', () => {
    const entries = buildTimeline(
      detail({
        timeline: [
          {
            at: '2026-12-04T01:00:00.000Z',
            type: 'status',
            status: 'PENDING',
            summary: 'Order placed',
            exact: true,
          },
          {
            at: '2026-12-04T01:00:00.500Z',
            type: 'status',
            status: 'STOCK_RESERVED',
            summary: 'r',
            exact: false,
          },
          { at: '2026-12-04T01:00:04.000Z', type: 'cancel', summary: 'Cancellation requested', exact: true },
          {
            at: '2026-12-04T01:00:05.000Z',
            type: 'payment',
            summary: 'ignored: built from payments',
            exact: true,
          },
        ],
      }),
    );
    const states = entries.filter((entry) => entry.kind === 'state');
    expect(states.map((entry) => [entry.what, entry.values.status, entry.approximate])).toEqual([
      ['placed', 'PENDING', false],
      ['status', 'STOCK_RESERVED', true],
      ['cancel', 'cancel', false],
    ]);
    expect(entries.filter((entry) => entry.what === 'refund.result')).toHaveLength(1);
  });
});
