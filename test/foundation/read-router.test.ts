/**
 * shared/read-replica's router on real MariaDB, without a replication setup: the "replica" is a second database
 * of this file's own, reached through a TCP proxy the test can cut, into which the test itself "replicates"
 * the heartbeat rows (and can stop doing so, as paused replication would). The real replication (a second
 * mariadbd, STOP SLAVE) is test/replica/read-replica.test.ts, in `npm run test:cluster`.
 */
import type { Knex } from 'knex';
import { createLogger } from '../../shared/logger';
import { createReadRouter, type ReadRouter } from '../../shared/read-replica';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { eventually } from '../support/stack';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

const MAX_LAG_MS = 400;
const CHECK_INTERVAL_MS = 50;
const logger = createLogger({ level: 'silent', name: 'read-router-test' });

describe('the read router (shared/read-replica.ts)', () => {
  let primary: TestDatabase;
  let replica: TestDatabase;
  let proxy: TcpProxy;
  let router: ReadRouter;
  let replicating: NodeJS.Timeout | undefined;

  /** Copies the primary's heartbeat rows to the "replica" every few ms, as replication would. */
  function startReplicating(): void {
    replicating = setInterval(() => {
      void primary
        .db('replica_heartbeats')
        .select()
        .then((rows) =>
          rows.length === 0
            ? undefined
            : replica.db('replica_heartbeats').insert(rows).onConflict('source').merge(),
        )
        .catch(() => undefined);
    }, 20);
  }
  function pauseReplicating(): void {
    clearInterval(replicating);
    replicating = undefined;
  }
  /** Which database answered a read: each holds one marker row of its own. */
  const whoAnswers = (db: Knex) =>
    db('categories')
      .first('slug')
      .then((row) => (row as { slug: string }).slug);

  beforeAll(async () => {
    primary = await createTestDatabase('router_primary');
    replica = await createTestDatabase('router_replica');
    await primary.db('categories').insert({ slug: 'primary', name: 'on the primary' });
    await replica.db('categories').insert({ slug: 'replica', name: 'on the replica' });
    const url = new URL(replica.url);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port) });
    url.port = String(proxy.port);
    startReplicating();
    router = createReadRouter({
      primary: primary.db,
      replicaUrl: url.toString(),
      maxLagMs: MAX_LAG_MS,
      checkIntervalMs: CHECK_INTERVAL_MS,
      logger,
    });
  });
  afterAll(async () => {
    pauseReplicating();
    await router?.close();
    await proxy?.close();
    await primary?.drop();
    await replica?.drop();
  });

  it('without a replica URL, every read goes to the primary', async () => {
    const alone = createReadRouter({ primary: primary.db, maxLagMs: 1000, checkIntervalMs: 250, logger });
    expect(await alone.read(whoAnswers)).toBe('primary');
    expect(alone.status()).toEqual({
      configured: false,
      using: 'primary',
      lagMs: null,
      reads: { replica: 0, primary: 1 },
    });
    await alone.close();
  });

  it('while the replica holds recent heartbeats, lag-tolerant reads go to it and its lag is known', async () => {
    await eventually(async () => (router.status().using === 'replica' ? true : undefined), 10_000);
    expect(await router.read(whoAnswers)).toBe('replica');
    const status = router.status();
    expect(status.lagMs).not.toBeNull();
    expect(status.lagMs!).toBeLessThanOrEqual(MAX_LAG_MS);
    expect(status.reads.replica).toBeGreaterThanOrEqual(1);
  });

  it('a read that must see a write goes to the primary even while the replica keeps up', async () => {
    expect(router.status().using).toBe('replica');
    expect(await router.read(whoAnswers, { primary: true })).toBe('primary');
  });

  it('when replication pauses, reads go back to the primary once the lag passes the bound, and return after', async () => {
    await eventually(async () => (router.status().using === 'replica' ? true : undefined), 10_000);
    pauseReplicating();
    const paused = Date.now();
    // Every read is answered meanwhile: by the replica while it is within the bound, then by the primary.
    const fellBack = await eventually(
      async () => ((await router.read(whoAnswers)) === 'primary' ? Date.now() - paused : undefined),
      10_000,
      'reads on the primary',
    );
    expect(router.status().using).toBe('primary');
    expect(router.status().lagMs!).toBeGreaterThan(MAX_LAG_MS);
    // Behaviour, not timing: it was the lag bound that sent reads away (the replica still answers).
    expect(fellBack).toBeGreaterThan(0);
    startReplicating();
    await eventually(async () => ((await router.read(whoAnswers)) === 'replica' ? true : undefined), 10_000);
  });

  it('when the replica goes away, the read in flight is answered by the primary and reads stay there until it is back', async () => {
    await eventually(async () => (router.status().using === 'replica' ? true : undefined), 10_000);
    const before = router.status().reads;
    await proxy.cut();
    expect(await router.read(whoAnswers)).toBe('primary');
    expect(router.status().using).toBe('primary');
    expect(await router.read(whoAnswers)).toBe('primary');
    expect(router.status().reads.primary).toBe(before.primary + 2);
    await proxy.restore();
    await eventually(async () => ((await router.read(whoAnswers)) === 'replica' ? true : undefined), 15_000);
  });

  it('a replica without the table (not replicated yet) sends the read to the primary instead of failing it', async () => {
    await eventually(async () => (router.status().using === 'replica' ? true : undefined), 10_000);
    await primary.db.schema.createTable('only_on_primary', (t) => t.integer('n'));
    await primary.db('only_on_primary').insert({ n: 7 });
    const read = (db: Knex) => db('only_on_primary').first('n');
    expect(await router.read(read)).toEqual({ n: 7 });
    await eventually(async () => (router.status().using === 'replica' ? true : undefined), 10_000);
  });
});
