/**
 * Prometheus metrics: the BFF's /metrics (served directly, never through nginx) and a worker process's own
 * metrics server, scraped after a request and after jobs.
 */
import { call, createUserWithToken, eventually, startStack, type TestStack } from '../support/stack';

/** The value of one sample line (`name{labels} value`), or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = /\{(.*)\}/.exec(line)?.[1] ?? '';
    const have = labelText.split(',');
    if (wanted.every((pair) => have.includes(pair))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('metrics', () => {
  let stack: TestStack;
  let admin: { userId: number; token: string };

  beforeAll(async () => {
    stack = await startStack({ label: 'metrics', workerDomains: ['stats'] });
    admin = await createUserWithToken(stack, 'admin');
  });
  afterAll(async () => {
    await stack?.close();
  });

  const scrapeBff = async () => {
    const response = await fetch(`${stack.bff.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };

  it('when a request was served, then the BFF reports its duration by method, route pattern and status', async () => {
    for (const id of [111111, 222222])
      expect((await call(stack.url, 'GET', `/api/admin/users/${id}`, { token: admin.token })).status).toBe(
        404,
      );
    expect((await call(stack.url, 'GET', '/api/admin/stats/overview', { token: admin.token })).status).toBe(
      200,
    );

    const text = await scrapeBff();
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    const labels = { method: 'GET', route: '/api/admin/users/:id', status_code: '404' };
    expect(sample(text, 'http_request_duration_seconds_count', labels)).toBe(2);
    expect(sample(text, 'http_request_duration_seconds_bucket', { ...labels, le: '+Inf' })).toBe(2);
    expect(
      sample(text, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/admin/stats/overview',
        status_code: '200',
      }),
    ).toBe(1);
    // Raw ids never become label values.
    expect(text).not.toContain('111111');
    // Queue gauges, read from Redis on scrape, and the process metrics.
    for (const queue of ['orders', 'stock', 'payments', 'stats', 'notifications'])
      expect(sample(text, 'voltmall_queue_jobs', { queue, state: 'waiting' })).toEqual(expect.any(Number));
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('when the dashboard serves a job route, then its pattern under /admin/queues is the label', async () => {
    await call(stack.url, 'GET', '/admin/queues/api/queues/stats/some-job-id', { token: admin.token });
    const text = await scrapeBff();
    expect(
      sample(text, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: '/admin/queues/api/queues/:queueName/:jobId',
        status_code: '404',
      }),
    ).toBe(1);
    expect(text).not.toContain('some-job-id');
  });

  it('when /metrics is asked through nginx, then 404: only the network the BFF listens on can scrape it', async () => {
    const response = await call(stack.url, 'GET', '/metrics', { token: admin.token });
    expect(response.status).toBe(404);
  });

  it('when jobs ran, then the worker reports their durations, failures and its queue counts', async () => {
    const metricsUrl = stack.workers?.metrics?.url;
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const producer = stack.bff.ctx.producers.stats;
    await producer.add('order-confirmed', { orderId: 987654 }, { jobId: 'metrics-confirmed' });
    await producer.add('rebuild', { from: 'not-a-day', to: '2026-01-01' }, { jobId: 'metrics-bad-rebuild' });
    const queue = stack.bff.ctx.queues.get('stats');
    await eventually(async () => {
      const [done, failed] = await Promise.all([
        queue.getJob('metrics-confirmed'),
        queue.getJob('metrics-bad-rebuild'),
      ]);
      return (await done?.getState()) === 'completed' && (await failed?.getState()) === 'failed'
        ? true
        : undefined;
    });

    const response = await fetch(`${metricsUrl}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('# TYPE voltmall_job_duration_seconds histogram');
    expect(
      sample(text, 'voltmall_job_duration_seconds_count', {
        queue: 'stats',
        job: 'order-confirmed',
        status: 'completed',
      }),
    ).toBe(1);
    expect(
      sample(text, 'voltmall_job_duration_seconds_count', {
        queue: 'stats',
        job: 'rebuild',
        status: 'failed',
      }),
    ).toBe(1);
    expect(
      sample(text, 'voltmall_job_failures_total', { queue: 'stats', job: 'rebuild', final: 'true' }),
    ).toBe(1);
    expect(sample(text, 'voltmall_queue_jobs', { queue: 'stats', state: 'failed' })).toBe(1);
    expect(sample(text, 'voltmall_queue_jobs', { queue: 'orders', state: 'failed' })).toBeUndefined();
    expect(text).toContain('process_resident_memory_bytes');

    expect((await fetch(`${metricsUrl}/other`)).status).toBe(404);
  });
});
