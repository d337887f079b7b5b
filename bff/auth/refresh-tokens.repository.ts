import type { Knex } from 'knex';

export interface RefreshTokenRow {
  id: number;
  user_id: number;
  family_id: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

/** The only code that writes refresh_tokens. Tokens are stored as sha256 hashes, never in clear. */
export function refreshTokensRepository(db: Knex) {
  return {
    async insert(
      row: { userId: number; familyId: string; tokenHash: string; expiresAt: Date },
      trx?: Knex.Transaction,
    ) {
      await (trx ?? db)('refresh_tokens').insert({
        user_id: row.userId,
        family_id: row.familyId,
        token_hash: row.tokenHash,
        expires_at: row.expiresAt,
      });
    },
    /** Reads the row without a lock (to learn whose it is before locking that account's row first). */
    findByHash(tokenHash: string, trx: Knex.Transaction): Promise<RefreshTokenRow | undefined> {
      return trx('refresh_tokens').where({ token_hash: tokenHash }).first();
    },
    /** Reads the row and locks it, so two concurrent refreshes of one token cannot both rotate it. */
    findByHashForUpdate(tokenHash: string, trx: Knex.Transaction): Promise<RefreshTokenRow | undefined> {
      return trx('refresh_tokens').where({ token_hash: tokenHash }).forUpdate().first();
    },
    async markUsed(id: number, trx: Knex.Transaction): Promise<void> {
      await trx('refresh_tokens').where({ id }).update({ used_at: new Date() });
    },
    async revokeFamily(familyId: string, trx?: Knex.Transaction): Promise<void> {
      await (trx ?? db)('refresh_tokens')
        .where({ family_id: familyId })
        .whereNull('revoked_at')
        .update({ revoked_at: new Date() });
    },
    async revokeAllForUser(userId: number): Promise<number> {
      return db('refresh_tokens')
        .where({ user_id: userId })
        .whereNull('revoked_at')
        .update({ revoked_at: new Date() });
    },
  };
}
