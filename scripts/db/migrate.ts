/** `npm run migrate` / `npm run migrate:down`: migrations against DATABASE_URL (created if missing). */
import { loadConfigOrExit } from '../../shared/config';
import { createDatabase, ensureDatabaseExists } from '../../shared/db';

async function main(): Promise<void> {
  const direction = process.argv[2] === 'rollback' ? 'rollback' : 'latest';
  const config = loadConfigOrExit();
  await ensureDatabaseExists(config.DATABASE_URL);
  const knex = createDatabase(config.DATABASE_URL, 2);
  try {
    const [batch, files] = await knex.migrate[direction]();
    console.log(
      `migrate ${direction}: batch ${batch}, ${files.length} file(s)${files.length ? ': ' + files.join(', ') : ''}`,
    );
  } finally {
    await knex.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
