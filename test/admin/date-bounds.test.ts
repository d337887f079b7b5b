/**
 * Dates outside the shop calendar (years 2000–2100) through nginx: every admin route that takes a day or an
 * instant answers 400 VALIDATION_FAILED at once, and the BFF keeps answering (issue 14, fault 1: such a
 * date once sent the shop-day arithmetic into an endless loop that froze the whole BFF).
 */
import { call, createUserWithToken, startStack, type TestStack } from '../support/stack';

/** Routes with a date range, and the method they are called with. */
const DATED_ROUTES = [
  ['GET', '/api/admin/orders'],
  ['GET', '/api/admin/users'],
  ['GET', '/api/admin/stats/sales'],
  ['GET', '/api/admin/stats/top-products'],
  ['POST', '/api/admin/stats/rebuild'],
] as const;

/** Only the list routes take instants as well as days. */
const takesInstants = (path: string) => path === '/api/admin/orders' || path === '/api/admin/users';

describe('dates outside the shop calendar', () => {
  let stack: TestStack;
  let admin: { token: string };

  beforeAll(async () => {
    stack = await startStack({ label: 'date_bounds' });
    admin = await createUserWithToken(stack, 'admin');
  });
  afterAll(async () => {
    await stack?.close();
  });

  const send = (method: string, path: string, query: string) =>
    call(stack.url, method, `${path}?${query}`, { token: admin.token });

  it.each(DATED_ROUTES)(
    'when %s %s gets a day before 2000 or after 2100, then it is a 400 and the BFF still answers',
    async (method, path) => {
      const queries = [
        'from=0999-12-31&to=2026-01-01',
        'from=2026-01-01&to=9999-12-31',
        'from=0100-01-01&to=0100-01-01',
        'from=2026-01-01&to=0100-01-01',
        'from=1999-12-31&to=2000-01-01',
        'from=2100-12-31&to=2101-01-01',
      ];
      if (takesInstants(path))
        queries.push(
          'from=0999-12-31T00:00:00Z',
          'to=9999-12-31T23:59:59Z',
          'to=0100-01-01T00:00:00%2B09:00',
          'from=2100-12-31T23:00:00-05:00',
        );
      for (const query of queries) {
        const answer = await send(method, path, query);
        expect({ query, status: answer.status, code: answer.body?.error?.code }).toEqual({
          query,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
        expect(answer.body.error.requestId).toEqual(expect.any(String));
      }
      const health = await call(stack.url, 'GET', '/healthz');
      expect(health.status).toBe(200);
    },
  );

  it.each(DATED_ROUTES)(
    'when %s %s gets the first and last days of the calendar, then it answers',
    async (method, path) => {
      const edges =
        path === '/api/admin/orders' || path === '/api/admin/users'
          ? ['from=2000-01-01&to=2100-12-31', 'from=2000-01-01T00:00:00Z&to=2100-12-31T23:59:59.999Z']
          : ['from=2000-01-01&to=2000-12-31', 'from=2100-01-01&to=2100-12-31'];
      for (const query of edges) {
        const answer = await send(method, path, query);
        expect({ query, status: answer.status }).toEqual({ query, status: method === 'POST' ? 202 : 200 });
      }
    },
  );
});
