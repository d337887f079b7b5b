import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import knexFactory from 'knex';
import {
  sqlFlavourOf,
  statementTimeoutErrno,
  statementTimeoutReadSql,
  statementTimeoutSql,
} from './sql-flavour';

describe('SQL forms per server flavour', () => {
  it.each([
    ['10.11.14-MariaDB-0+deb12u2', 'mariadb'],
    ['11.4.5-MariaDB-ubu2404', 'mariadb'],
    ['8.0.40', 'mysql'],
    ['8.4.3', 'mysql'],
  ] as const)('when the server says it is %s, then its flavour is %s', (version, flavour) => {
    expect(sqlFlavourOf(version)).toBe(flavour);
  });

  it('when the statement time limit is set on MariaDB, then it is max_statement_time in seconds', () => {
    expect(statementTimeoutSql('mariadb', 300)).toEqual({
      sql: 'SET SESSION max_statement_time = ?',
      values: [0.3],
    });
    expect(statementTimeoutSql('mariadb', 0).values).toEqual([0]);
  });

  it('when the statement time limit is set on MySQL, then it is max_execution_time in whole milliseconds', () => {
    expect(statementTimeoutSql('mysql', 300)).toEqual({
      sql: 'SET SESSION max_execution_time = ?',
      values: [300],
    });
    expect(statementTimeoutSql('mysql', 0.4).values).toEqual([1]);
    expect(statementTimeoutSql('mysql', 0).values).toEqual([0]);
  });

  it('when the limit is read back, then each flavour reads its own variable as milliseconds', () => {
    expect(statementTimeoutReadSql('mariadb')).toBe(
      'SELECT ROUND(@@SESSION.max_statement_time * 1000) AS ms',
    );
    expect(statementTimeoutReadSql('mysql')).toBe('SELECT @@SESSION.max_execution_time AS ms');
  });

  it('when a statement is cut off, then MariaDB says 1969 and MySQL 3024', () => {
    expect(statementTimeoutErrno('mariadb')).toBe(1969);
    expect(statementTimeoutErrno('mysql')).toBe(3024);
  });
});

describe('SQL forms both servers accept', () => {
  const knex = knexFactory({ client: 'mysql2' });
  afterAll(() => knex.destroy());

  it('when knex locks rows for share, then it says LOCK IN SHARE MODE (MariaDB refuses MySQL’s FOR SHARE)', () => {
    expect(knex('users').where({ id: 1 }).forShare().toString()).toBe(
      'select * from `users` where `id` = 1 lock in share mode',
    );
  });

  it('when knex upserts, then the update reads VALUES(col) (MariaDB refuses MySQL’s row alias AS new)', () => {
    const sql = knex('cart_items')
      .insert({ cart_id: 1, product_id: 2, quantity: 3 })
      .onConflict()
      .merge(['quantity'])
      .toString();
    expect(sql).toBe(
      'insert into `cart_items` (`cart_id`, `product_id`, `quantity`) values (1, 2, 3) on duplicate key update `quantity` = values(`quantity`)',
    );
  });

  /** Every non-test TypeScript file whose SQL reaches a server. */
  function sourceFiles(): { file: string; text: string }[] {
    const root = path.resolve(__dirname, '..');
    return ['bff', 'workers', 'shared', 'queues', 'seeds', 'migrations', 'scripts'].flatMap((dir) =>
      (readdirSync(path.join(root, dir), { recursive: true }) as string[])
        .filter(
          (file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.includes('node_modules'),
        )
        .map((file) => path.join(dir, file))
        .filter((file) => file !== path.join('shared', 'sql-flavour.ts'))
        .map((file) => ({ file, text: readFileSync(path.join(root, file), 'utf8') })),
    );
  }

  it.each([
    ['FOR SHARE (MariaDB 10.11 refuses it)', /\bFOR SHARE\b/],
    [
      'a row alias in an upsert, VALUES (...) AS new (MariaDB refuses it)',
      /\)\s+AS\s+\w+\s+ON DUPLICATE KEY/i,
    ],
    ['RETURNING (MySQL refuses it)', /\bRETURNING\b/],
    ['an optimizer hint /*+ ... */ (MariaDB ignores it silently)', /\/\*\+/],
    [
      'a statement time limit outside shared/sql-flavour.ts',
      /SET (SESSION )?max_(statement|execution)_time/i,
    ],
    ['a named time zone in SQL (needs time zone tables loaded)', /\bCONVERT_TZ\s*\(/i],
  ])('when the source is searched for %s, then there is none', (_what, pattern) => {
    const found = sourceFiles()
      .filter(({ text }) => pattern.test(text))
      .map(({ file }) => file);
    expect(found).toEqual([]);
  });
});
