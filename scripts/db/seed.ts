/**
 * `npm run seed [-- --products N]`: migrates DATABASE_URL (created if missing), loads the demo catalogue and
 * demo accounts, and optionally generates N synthetic products for benchmarks. Safe to re-run.
 */
import { loadConfigOrExit } from '../../shared/config';
import { createDatabase, ensureDatabaseExists, type Knex } from '../../shared/db';
import { generateProducts } from '../../seeds/generate-products';
import { seedDemo } from '../../seeds/seed-demo';

const USAGE = 'usage: npm run seed [-- --products N]';

class UsageError extends Error {}

function parseArgs(argv: string[]): { products: number } {
  let products = 0;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    const inline = /^--products=(.*)$/.exec(arg);
    if (arg !== '--products' && !inline) throw new UsageError(`unknown argument "${arg}"`);
    const value = inline ? inline[1] : argv[(index += 1)];
    if (value === undefined || !/^\d+$/.test(value.replace(/_/g, ''))) {
      throw new UsageError(`--products needs a whole number, got "${value ?? ''}"`);
    }
    products = Number(value.replace(/_/g, ''));
  }
  return { products };
}

const BAR_WIDTH = 30;
/** True while a `\r` bar is the last thing on the terminal line, so an error starts on a fresh line. */
let barOpen = false;

/** A single-line `\r` bar on a terminal; one line per 10% when stderr is a file or pipe. */
function progressReporter(startedAt: number): (done: number, total: number) => void {
  let lastDecile = -1;
  return (done, total) => {
    const fraction = total === 0 ? 1 : done / total;
    const seconds = (performance.now() - startedAt) / 1000;
    const rate = Math.round(done / Math.max(seconds, 0.001)).toLocaleString('en-US');
    const text = `${(fraction * 100).toFixed(1).padStart(5)}%  ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} rows  ${rate} rows/s`;
    if (process.stderr.isTTY) {
      const filled = Math.round(fraction * BAR_WIDTH);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${text}`);
      barOpen = done < total;
      if (!barOpen) process.stderr.write('\n');
      return;
    }
    const decile = Math.floor(fraction * 10);
    if (decile !== lastDecile) {
      lastDecile = decile;
      process.stderr.write(`${text}\n`);
    }
  };
}

async function seed(
  knex: Knex,
  options: { products: number; nodeEnv: string; demoAccounts: boolean },
): Promise<void> {
  const [batch, migrations] = await knex.migrate.latest();
  console.log(
    migrations.length > 0
      ? `migrated: batch ${batch}, ${migrations.length} file(s)`
      : 'migrations: up to date',
  );

  const demoStartedAt = performance.now();
  const demo = await seedDemo(knex, {
    nodeEnv: options.nodeEnv,
    demoAccounts: options.demoAccounts,
    log: console.log,
  });
  const demoSeconds = (performance.now() - demoStartedAt) / 1000;
  console.log(
    `demo seed: ${demo.categories} categories, ${demo.products} products, ${demo.users} demo account(s) in ${demoSeconds.toFixed(2)}s`,
  );

  if (options.products > 0) {
    const startedAt = performance.now();
    const generated = await generateProducts(knex, {
      count: options.products,
      onProgress: progressReporter(startedAt),
    });
    const rate = generated.seconds > 0 ? Math.round(generated.inserted / generated.seconds) : 0;
    console.log(
      `generated products: ${generated.inserted.toLocaleString('en-US')} rows inserted in ${generated.seconds.toFixed(1)}s` +
        ` (${rate.toLocaleString('en-US')} rows/s; target GEN-1…${options.products.toLocaleString('en-US')})`,
    );
  }
}

async function main(): Promise<void> {
  const { products } = parseArgs(process.argv.slice(2));
  const config = loadConfigOrExit();
  await ensureDatabaseExists(config.DATABASE_URL);
  const knex = createDatabase(config.DATABASE_URL, 2);
  try {
    await seed(knex, { products, nodeEnv: config.NODE_ENV, demoAccounts: config.DEMO_ACCOUNTS });
  } finally {
    await knex.destroy();
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // mysql2 connection failures can arrive as an AggregateError with an empty message.
  const code = (error as { code?: unknown }).code;
  return error.message || (typeof code === 'string' ? code : error.name);
}

main().catch((error: unknown) => {
  if (barOpen) process.stderr.write('\n');
  if (error instanceof UsageError) {
    console.error(`seed: ${error.message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  console.error(`seed failed: ${describe(error)}`);
  if (error instanceof Error && error.stack) console.error(error.stack);
  process.exitCode = 1;
});
