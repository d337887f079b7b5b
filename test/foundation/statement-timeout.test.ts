/**
 * The BFF's statement time limit (DB_STATEMENT_TIMEOUT_MS) against the real MariaDB: a read that runs too
 * long is cut off and answers 503 with Retry-After, never a 500 nor a connection held for ever; the workers'
 * connections carry no limit, so their long transactions (rebuilds, lock waits) are left alone.
 */
import { createBffContext } from '../../bff/bootstrap';
import { loadConfig } from '../../shared/config';
import { createDatabase, type Knex } from '../../shared/db';
import { toErrorResponse } from '../../shared/errors';
import { createLogger } from '../../shared/logger';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { deleteRedisPrefix, testRedisPrefix } from '../support/redis';

const sessionLimitMs = async (db: Knex): Promise<number> => {
  const [[row]] = (await db.raw('SELECT @@SESSION.max_statement_time AS seconds')) as [[{ seconds: number }]];
  return Math.round(Number(row.seconds) * 1000);
};

describe('statement time limit', () => {
  let database: TestDatabase;
  const prefix = testRedisPrefix('stmt_timeout');
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('stmt_timeout', { migrate: false });
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await database?.drop();
    await deleteRedisPrefix(process.env.REDIS_URL!, prefix);
  });

  function bffContext(env: Record<string, string>) {
    const config = loadConfig({ ...process.env, DATABASE_URL: database.url, REDIS_PREFIX: prefix, ...env });
    const ctx = createBffContext(config, createLogger({ level: 'silent', name: 'stmt-timeout-test' }));
    closers.push(() => ctx.close());
    return ctx;
  }

  it('when a read on the BFF’s connections outlasts DB_STATEMENT_TIMEOUT_MS, then it is cut off and answers 503', async () => {
    const ctx = bffContext({ DB_STATEMENT_TIMEOUT_MS: '300' });
    expect(await sessionLimitMs(ctx.db)).toBe(300);

    const failure = await ctx.db.raw('SELECT SLEEP(30) AS slept').then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(Error);
    const answer = toErrorResponse(failure, 'req-stmt-timeout');
    expect(answer).toEqual({
      status: 503,
      headers: { 'Retry-After': expect.any(String) },
      body: {
        error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String), requestId: 'req-stmt-timeout' },
      },
    });
    // The connection that was cut off serves the next query.
    const [[row]] = (await ctx.db.raw('SELECT 1 AS one')) as [[{ one: number }]];
    expect(row.one).toBe(1);
  });

  it('when DB_STATEMENT_TIMEOUT_MS is unset, then the BFF’s limit is the 5 s default', async () => {
    expect(await sessionLimitMs(bffContext({}).db)).toBe(5000);
  });

  it('when DB_STATEMENT_TIMEOUT_MS is 0, then the BFF’s statements run without a limit', async () => {
    expect(await sessionLimitMs(bffContext({ DB_STATEMENT_TIMEOUT_MS: '0' }).db)).toBe(0);
  });

  it('when a pool is opened without a limit (the workers’, migrations’), then its statements have none', async () => {
    const db = createDatabase(database.url, 1);
    closers.push(() => db.destroy());
    expect(await sessionLimitMs(db)).toBe(0);
  });
});
