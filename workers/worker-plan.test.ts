import { ConfigError } from '../shared/config';
import { planWorkers } from './worker-plan';

describe('planWorkers', () => {
  it('when domains are listed, then each runs with the default or its own concurrency', () => {
    expect(planWorkers('orders, stock', 4, { WORKER_CONCURRENCY_STOCK: '16' })).toEqual([
      { domain: 'orders', concurrency: 4 },
      { domain: 'stock', concurrency: 16 },
    ]);
  });

  it('when "all" is given, then every domain runs', () => {
    expect(planWorkers('all', 2, {}).map((plan) => plan.domain)).toEqual([
      'orders',
      'stock',
      'payments',
      'stats',
      'notifications',
    ]);
  });

  it('when a domain is unknown or a concurrency is bad, then the error names the variable', () => {
    expect(() => planWorkers('orders,shipping', 2, {})).toThrow(/unknown domain "shipping"/);
    expect(() => planWorkers('orders', 2, { WORKER_CONCURRENCY_ORDERS: 'zero' })).toThrow(ConfigError);
    expect(() => planWorkers('orders', 2, { WORKER_CONCURRENCY_ORDERS: 'zero' })).toThrow(
      /WORKER_CONCURRENCY_ORDERS/,
    );
    expect(() => planWorkers(' , ', 2, {})).toThrow(/names no domain/);
  });
});
