import { call, startStack, type TestStack } from '../support/stack';

describe('the gateway in front of the BFF', () => {
  let stack: TestStack;
  const bffLogLines: string[] = [];

  beforeAll(async () => {
    stack = await startStack({ label: 'gwhealth', bffLogLines });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('when /healthz is called through nginx, then 200 with the request id echoed and logged by the BFF', async () => {
    const response = await call(stack.url, 'GET', '/healthz', {
      headers: { 'x-request-id': 'trace-me-0123456789' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
    expect(response.headers.get('x-request-id')).toBe('trace-me-0123456789');

    const lines = bffLogLines.map(
      (line) => JSON.parse(line) as { requestId?: string; req?: { url: string } },
    );
    expect(
      lines.some((line) => line.requestId === 'trace-me-0123456789' && line.req?.url === '/healthz'),
    ).toBe(true);
  });

  it('when the client sends no request id, then nginx makes one and the BFF logs the same id', async () => {
    const response = await call(stack.url, 'GET', '/readyz');
    expect(response.status).toBe(200);
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[A-Za-z0-9._-]{8,128}$/);
    expect(bffLogLines.some((line) => (JSON.parse(line) as { requestId?: string }).requestId === id)).toBe(
      true,
    );
  });

  it('when an unknown path is called, then nginx answers 404 JSON', async () => {
    const response = await call(stack.url, 'GET', '/metrics');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toEqual(expect.any(String));
  });
});
