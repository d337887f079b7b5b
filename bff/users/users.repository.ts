import type { Knex } from 'knex';
import { User, type UserRole, type UserStatus } from '../../shared/models/user.model';

/** The only code that writes the users and user_identities tables. */
export function usersRepository(db: Knex) {
  return {
    findById: (id: number) => User.query(db).findById(id),
    findByEmail: (email: string) => User.query(db).findOne({ email }),
    insert: (user: {
      email: string;
      passwordHash: string | null;
      name?: string | null;
      phone?: string | null;
    }) => User.query(db).insertAndFetch({ ...user, role: 'user', status: 'active' }),
    async markPhoneVerified(id: number, phone: string): Promise<void> {
      await User.query(db).patch({ phone, phoneVerifiedAt: new Date(), updatedAt: new Date() }).where({ id });
    },
    /** Reads the user and locks the row, so concurrent admin changes to one account apply one at a time. */
    findByIdForUpdate: (id: number, trx: Knex.Transaction) => User.query(trx).findById(id).forUpdate(),
    async setRole(id: number, role: UserRole, trx: Knex.Transaction): Promise<void> {
      await User.query(trx).patch({ role, updatedAt: new Date() }).where({ id });
    },
    async setStatus(id: number, status: UserStatus, trx: Knex.Transaction): Promise<void> {
      await User.query(trx).patch({ status, updatedAt: new Date() }).where({ id });
    },
    async findIdentity(provider: string, subject: string): Promise<number | undefined> {
      const row = (await db('user_identities').where({ provider, subject }).first('user_id')) as
        { user_id: number } | undefined;
      return row?.user_id;
    },
    async linkIdentity(
      userId: number,
      provider: string,
      subject: string,
      email: string | null,
    ): Promise<void> {
      await db('user_identities')
        .insert({ user_id: userId, provider, subject, email })
        .onConflict(['provider', 'subject'])
        .ignore();
    },
  };
}

export type UsersRepository = ReturnType<typeof usersRepository>;
