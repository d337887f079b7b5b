import { isDatabaseUnavailableError } from './db-errors';

describe('isDatabaseUnavailableError', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a lost connection', Object.assign(new Error('lost'), { code: 'PROTOCOL_CONNECTION_LOST' })],
    ['a fatal driver error', Object.assign(new Error('x'), { code: 'SOMETHING_NEW', fatal: true })],
    [
      'the pool timing out',
      Object.assign(new Error('Knex: Timeout acquiring'), { name: 'KnexTimeoutError' }),
    ],
    ['a lock wait timeout', Object.assign(new Error('lock'), { errno: 1205, code: 'ER_LOCK_WAIT_TIMEOUT' })],
    ['a statement time limit (MariaDB)', Object.assign(new Error('max'), { code: 'ER_STATEMENT_TIMEOUT' })],
    [
      'MariaDB’s max_statement_time as mysql2 reports it (errno, no code)',
      Object.assign(new Error('Query execution was interrupted (max_statement_time exceeded)'), {
        errno: 1969,
        sqlState: '70100',
      }),
    ],
    [
      'a wrapped cause',
      new Error('outer', { cause: Object.assign(new Error('in'), { code: 'ECONNRESET' }) }),
    ],
    ['objection’s wrapper', { name: 'DBError', nativeError: { code: 'ER_SERVER_SHUTDOWN' } }],
  ])('when the error is %s, then the database is unavailable', (_label, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(true);
  });

  it.each([
    ['a syntax error (a bug)', Object.assign(new Error('syntax'), { code: 'ER_PARSE_ERROR' })],
    ['a duplicate key', Object.assign(new Error('dup'), { code: 'ER_DUP_ENTRY' })],
    ['a plain error', new Error('boom')],
    ['not an error', 'ECONNREFUSED'],
    ['null', null],
  ])('when the error is %s, then it is not', (_label, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(false);
  });

  it('when causes form a cycle, then the walk still ends', () => {
    const a: { cause?: unknown } = {};
    a.cause = { cause: a };
    expect(isDatabaseUnavailableError(a)).toBe(false);
  });
});
