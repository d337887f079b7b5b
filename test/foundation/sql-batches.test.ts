import {
  affectedRows,
  createSqlBatches,
  insertId,
  rowsOf,
  statement,
  type SqlBatches,
} from '../../shared/sql-batches';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** The batches against a real MariaDB: what a failure in the middle of a batch leaves behind. */
describe('SQL batches', () => {
  let database: TestDatabase;
  let batches: SqlBatches;

  const count = async () => Number((await database.db('t').count({ n: '*' }))[0]!.n);
  const openTransactions = async () =>
    // Every connection of the batch pool, none inside a transaction: a leaked one would show up here.
    Number(
      (
        await database.db.raw(
          `SELECT COUNT(*) AS n FROM information_schema.innodb_trx t
             JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id WHERE p.db = ?`,
          [database.name],
        )
      )[0][0].n,
    );

  beforeAll(async () => {
    database = await createTestDatabase('sql_batches', { migrate: false });
    await database.db.raw(
      'CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(60) NOT NULL UNIQUE)',
    );
    await database.db.raw(
      'CREATE TABLE child (id INT AUTO_INCREMENT PRIMARY KEY, t_id INT NOT NULL, n INT NOT NULL)',
    );
    await database.db.raw('CREATE TABLE stamp (at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP)');
    // One connection, so every test below also proves the connection came back clean.
    batches = createSqlBatches(database.url, 1);
  });
  afterEach(async () => {
    await database.db('t').delete();
    await database.db('child').delete();
    expect(await openTransactions()).toBe(0);
  });
  afterAll(async () => {
    await batches.close();
    await database.drop();
  });

  it('answers each statement of one round trip in order', async () => {
    const [first, second, rows] = await batches.run(
      statement('INSERT INTO t (v) VALUES (?)', ['a']),
      statement('INSERT INTO t (v) VALUES (?), (?)', ['b', "c'); DROP TABLE t; --"]),
      statement('SELECT v FROM t ORDER BY id'),
    );
    expect(affectedRows(first)).toBe(1);
    expect(affectedRows(second)).toBe(2);
    expect(rowsOf<{ v: string }>(rows).map((row) => row.v)).toEqual(['a', 'b', "c'); DROP TABLE t; --"]);
    const [single] = await batches.run(statement('SELECT COUNT(*) AS n FROM t'));
    expect(rowsOf<{ n: number }>(single)[0]!.n).toBe(3);
  });

  it('commits what the transaction wrote, with LAST_INSERT_ID() linking rows of one batch', async () => {
    const id = await batches.transaction(async (tx) => {
      const [parent] = await tx.run(statement('INSERT INTO t (v) VALUES (?)', ['parent']));
      await tx.commit(
        statement('INSERT INTO child (t_id, n) VALUES (LAST_INSERT_ID(), ?), (LAST_INSERT_ID(), ?)', [1, 2]),
      );
      return insertId(parent);
    });
    // Every row of a multi-row INSERT sees the id of the statement before it, not its own first id.
    expect(await database.db('child').orderBy('n').select('t_id', 'n')).toEqual([
      { t_id: id, n: 1 },
      { t_id: id, n: 2 },
    ]);
  });

  it('rolls everything back when a statement fails in the middle of a batch, COMMIT included', async () => {
    await batches.run(statement('INSERT INTO t (v) VALUES (?)', ['taken']));
    await expect(
      batches.transaction((tx) =>
        tx.commit(
          statement('INSERT INTO t (v) VALUES (?)', ['new']),
          statement('INSERT INTO t (v) VALUES (?)', ['taken']), // duplicate key
          statement('INSERT INTO t (v) VALUES (?)', ['after']),
        ),
      ),
    ).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' });
    expect(await database.db('t').pluck('v')).toEqual(['taken']);
  });

  it('rolls back when the work throws, or returns without committing', async () => {
    await expect(
      batches.transaction(async (tx) => {
        await tx.run(statement('INSERT INTO t (v) VALUES (?)', ['thrown']));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await batches.transaction(async (tx) => {
      await tx.run(statement('INSERT INTO t (v) VALUES (?)', ['forgotten']));
    });
    expect(await count()).toBe(0);
  });

  it('rolls back, then runs statements on their own', async () => {
    const [result] = await batches.transaction(async (tx) => {
      await tx.run(statement('INSERT INTO t (v) VALUES (?)', ['undone']));
      return tx.rollback(statement('INSERT INTO t (v) VALUES (?)', ['kept']));
    });
    expect(affectedRows(result)).toBe(1);
    expect(await database.db('t').pluck('v')).toEqual(['kept']);
    // Nothing begun: rollback only runs the statements.
    await batches.transaction((tx) => tx.rollback(statement('INSERT INTO t (v) VALUES (?)', ['alone'])));
    expect(await count()).toBe(2);
  });

  it('refuses statements after the transaction ended', async () => {
    await expect(
      batches.transaction(async (tx) => {
        await tx.commit(statement('INSERT INTO t (v) VALUES (?)', ['once']));
        await tx.run(statement('INSERT INTO t (v) VALUES (?)', ['twice']));
      }),
    ).rejects.toThrow('already ended');
    expect(await database.db('t').pluck('v')).toEqual(['once']);
  });

  it('holds row locks until the end of the transaction', async () => {
    const [row] = await batches.run(statement('INSERT INTO t (v) VALUES (?)', ['locked']));
    const lock = statement('SELECT * FROM t WHERE id = ? FOR UPDATE', [insertId(row)]);
    const other = createSqlBatches(database.url, 1);
    try {
      let committed = false;
      let locked!: () => void;
      const holding = new Promise<void>((resolve) => (locked = resolve));
      const holder = batches.transaction(async (tx) => {
        await tx.run(lock);
        locked();
        // Long enough for the other transaction to reach the lock if it were not held.
        await new Promise((resolve) => setTimeout(resolve, 200));
        committed = true;
        await tx.commit();
      });
      await holding;
      await other.transaction(async (tx) => {
        await tx.run(lock);
        expect(committed).toBe(true);
        await tx.commit();
      });
      await holder;
    } finally {
      await other.close();
    }
  });

  it('talks UTC, as knex does', async () => {
    await batches.run(statement('INSERT INTO stamp () VALUES ()'));
    const [rows] = await batches.run(statement('SELECT at, @@session.time_zone AS zone FROM stamp'));
    const { at, zone } = rowsOf<{ at: Date; zone: string }>(rows)[0]!;
    expect(zone).toBe('+00:00');
    expect(Math.abs(at.getTime() - Date.now())).toBeLessThan(60_000);
  });
});
