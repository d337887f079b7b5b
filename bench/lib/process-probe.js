// Preloaded (NODE_OPTIONS=--require) by bench/cluster.ts into the processes of the stacks it starts, to
// measure what each one costs per order: its CPU time (process.cpuUsage) and the SQL it sends, counted from
// mysql2's diagnostics channels (no patching: mysql2 publishes every query and execute there). On SIGUSR2 it
// writes {pid, script, queues, prefix, seq, cpuUs, sql} to $BENCH_PROBE_DIR/<pid>.json (written whole, then
// renamed, so a reader never sees half a file). Benchmark-only: the production entry points have no such hook.
'use strict';

const dir = process.env.BENCH_PROBE_DIR;
// The main thread only: tsx's loader thread gets the preload too, with the same pid.
if (dir && require('node:worker_threads').isMainThread) {
  const dc = require('node:diagnostics_channel');
  const fs = require('node:fs');
  const path = require('node:path');

  /** Round trips (one query call; a multi-statement batch is one) and statements by kind. */
  const sql = {
    roundTrips: 0,
    statements: 0,
    select: 0,
    lockingSelect: 0,
    write: 0,
    transaction: 0,
    other: 0,
  };
  const count = (text) => {
    sql.roundTrips += 1;
    // shared/sql-batches joins the statements of one round trip with ';\n'.
    for (const statement of String(text).split(';\n')) {
      const head = statement.trimStart().slice(0, 8).toUpperCase();
      sql.statements += 1;
      if (head.startsWith('SELECT') || head.startsWith('(SELECT') || head.startsWith('WITH')) {
        if (/\bFOR\s+UPDATE\b|\bLOCK\s+IN\s+SHARE\s+MODE\b|\bFOR\s+SHARE\b/i.test(statement))
          sql.lockingSelect += 1;
        else sql.select += 1;
      } else if (/^(INSERT|UPDATE|DELETE|REPLACE)/.test(head)) sql.write += 1;
      else if (/^(BEGIN|START|COMMIT|ROLLBACK|SAVEPOIN|RELEASE)/.test(head)) sql.transaction += 1;
      else sql.other += 1;
    }
  };
  dc.subscribe('tracing:mysql2:query:start', (context) => count(context.query));
  dc.subscribe('tracing:mysql2:execute:start', (context) => count(context.query));

  let seq = 0;
  const dump = () => {
    seq += 1;
    const cpu = process.cpuUsage();
    const body = JSON.stringify({
      pid: process.pid,
      script: path.relative(process.cwd(), process.argv[1] || ''),
      queues: process.env.WORKER_QUEUES || '',
      prefix: process.env.REDIS_PREFIX || '',
      seq,
      cpuUs: cpu.user + cpu.system,
      sql,
    });
    const file = path.join(dir, `${process.pid}.json`);
    fs.writeFileSync(`${file}.tmp`, body);
    fs.renameSync(`${file}.tmp`, file);
  };
  process.on('SIGUSR2', dump);
  dump();
}
