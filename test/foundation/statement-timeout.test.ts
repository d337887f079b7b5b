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
import { sqlFlavourOf, statementTimeoutReadSql } from '../../shared/sql-flavour';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { deleteRedisPrefix, testRedisPrefix } from '../support/redis';

/** The session's limit in ms, read from MariaDB's or MySQL's own variable (shared/sql-flavour). */
const sessionLimitMs = async (db: Knex): Promise<number> => {
  const [[server]] = (await db.raw('SELECT VERSION() AS version')) as [[{ version: string }]];
  const [[row]] = (await db.raw(statementTimeoutReadSql(sqlFlavourOf(server.version)))) as [
    [{ ms: unknown }],
  ];
  return Number(row.ms);
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

    // SLEEP as part of a query, not the whole of it: MySQL ends a lone SLEEP() cut off by its limit with
    // the result 1 and no error; a query SLEEP is only part of fails on both servers (1969 / 3024).
    const failure = await ctx.db
      .raw('SELECT 1 AS slept FROM (SELECT 1 AS x) AS one_row WHERE SLEEP(30) = 0')
      .then(
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
