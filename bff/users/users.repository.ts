import type { Knex } from 'knex';
import { User, type UserRole, type UserStatus } from '../../shared/models/user.model';

/** An identity at an external login provider: its subject is unique per provider. */
export interface ExternalIdentity {
  provider: string;
  subject: string;
  /** The address the provider vouched for, kept for support; never used to find an account. */
  email: string | null;
}

/** The only code that writes the users and user_identities tables. */
export function usersRepository(db: Knex) {
  /** The account an external identity belongs to, if any. */
  async function findIdentity(provider: string, subject: string): Promise<number | undefined> {
    const row = (await db('user_identities').where({ provider, subject }).first('user_id')) as
      { user_id: number } | undefined;
    return row?.user_id;
  }

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
    /**
     * Reads the user and locks the row for share until the transaction ends: tokens are issued from the account
     * as it is, never while an admin change to it (which locks it for update) is in flight.
     */
    findByIdForShare: (id: number, trx: Knex.Transaction) => User.query(trx).findById(id).forShare(),
    async setRole(id: number, role: UserRole, trx: Knex.Transaction): Promise<void> {
      await User.query(trx).patch({ role, updatedAt: new Date() }).where({ id });
    },
    async setStatus(id: number, status: UserStatus, trx: Knex.Transaction): Promise<void> {
      await User.query(trx).patch({ status, updatedAt: new Date() }).where({ id });
    },
    findIdentity,
    /**
     * Links an external identity to an account unless it already belongs to one, and returns the account
     * it belongs to now: `userId` when linked (now or before), another id when someone else owns it. The
     * unique (provider, subject) key decides between concurrent links.
     */
    async linkIdentity(userId: number, identity: ExternalIdentity): Promise<number> {
      await db('user_identities')
        .insert({ user_id: userId, ...identity })
        .onConflict(['provider', 'subject'])
        .ignore();
      const owner = await findIdentity(identity.provider, identity.subject);
      if (owner === undefined) throw new Error('user_identities row vanished right after its insert');
      return owner;
    },
    /**
     * A new account that signs in with an external identity only: the user and the identity in one
     * transaction, so neither exists without the other. A duplicate e-mail or identity rejects with the
     * database's duplicate-key error. `email` is null when the provider did not verify one; `phone` is kept
     * unverified.
     */
    insertWithIdentity: (
      user: { email: string | null; name: string | null; phone: string | null },
      identity: ExternalIdentity,
    ) =>
      db.transaction(async (trx) => {
        const created = await User.query(trx).insertAndFetch({
          ...user,
          passwordHash: null,
          role: 'user',
          status: 'active',
        });
        await trx('user_identities').insert({ user_id: created.id, ...identity });
        return created;
      }),
    /** The account's external identities, oldest link first. */
    async identitiesOf(userId: number): Promise<Array<ExternalIdentity & { createdAt: Date }>> {
      const rows = (await db('user_identities')
        .where({ user_id: userId })
        .orderBy('id')
        .select('provider', 'subject', 'email', 'created_at')) as Array<{
        provider: string;
        subject: string;
        email: string | null;
        created_at: Date;
      }>;
      return rows.map(({ created_at: createdAt, ...identity }) => ({ ...identity, createdAt }));
    },
    /**
     * Removes the account's identities at `provider` unless that leaves no way to sign in (no password and
     * no identity at another provider). The account row is locked, so two concurrent unlinks cannot each leave the other
     * as the last one and then both go.
     */
    unlinkIdentity: (userId: number, provider: string) =>
      db.transaction(async (trx): Promise<'unlinked' | 'not-linked' | 'last-sign-in-method'> => {
        const user = await User.query(trx).findById(userId).forUpdate();
        if (!user) return 'not-linked';
        const identities = (await trx('user_identities')
          .where({ user_id: userId })
          .select('provider')) as Array<{ provider: string }>;
        if (!identities.some((identity) => identity.provider === provider)) return 'not-linked';
        const otherProviders = identities.filter((identity) => identity.provider !== provider);
        if (user.passwordHash === null && otherProviders.length === 0) return 'last-sign-in-method';
        await trx('user_identities').where({ user_id: userId, provider }).delete();
        return 'unlinked';
      }),
  };
}

export type UsersRepository = ReturnType<typeof usersRepository>;
