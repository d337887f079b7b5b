import type { Knex } from 'knex';

/**
 * An account made by an external login whose provider did not verify an e-mail address (Naver never states
 * it, Kakao only with consent) has no e-mail: users.email becomes nullable. Its UNIQUE key stays; MySQL and
 * MariaDB allow any number of NULLs under it, and a NULL never matches a login.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.string('email', 254).nullable().alter();
  });
}

/** Back to NOT NULL: an account without an address gets a placeholder nobody can receive mail at. */
export async function down(knex: Knex): Promise<void> {
  await knex('users')
    .whereNull('email')
    .update({ email: knex.raw("CONCAT('user-', id, '@no-email.invalid')") });
  await knex.schema.alterTable('users', (t) => {
    t.string('email', 254).notNullable().alter();
  });
}
