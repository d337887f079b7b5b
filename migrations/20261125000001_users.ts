import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.bigIncrements('id').unsigned();
    t.string('email', 254).notNullable().unique();
    t.string('name', 100).nullable();
    t.string('phone', 20).nullable().index();
    t.datetime('phone_verified_at', { precision: 3 }).nullable();
    t.string('password_hash', 255).nullable().comment('scrypt$N$r$p$salt$hash; null for OAuth-only users');
    t.enum('role', ['user', 'admin']).notNullable().defaultTo('user');
    t.enum('status', ['active', 'suspended']).notNullable().defaultTo('active');
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['created_at', 'id']);
  });

  await knex.schema.createTable('user_identities', (t) => {
    t.bigIncrements('id').unsigned();
    t.bigInteger('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE');
    t.string('provider', 40).notNullable();
    t.string('subject', 255).notNullable();
    t.string('email', 254).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['provider', 'subject']);
  });

  await knex.schema.createTable('refresh_tokens', (t) => {
    t.bigIncrements('id').unsigned();
    t.bigInteger('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE');
    t.string('family_id', 36).notNullable().index().comment('all rotations of one login share a family');
    t.string('token_hash', 64).notNullable().unique().comment('sha256 of the opaque token');
    t.datetime('expires_at', { precision: 3 }).notNullable();
    t.datetime('used_at', { precision: 3 }).nullable().comment('set when rotated; a second use is reuse');
    t.datetime('revoked_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['user_id', 'revoked_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('refresh_tokens');
  await knex.schema.dropTable('user_identities');
  await knex.schema.dropTable('users');
}
