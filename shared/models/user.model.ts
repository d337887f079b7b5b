import { Model, snakeCaseMappers } from 'objection';

export type UserRole = 'user' | 'admin';
export type UserStatus = 'active' | 'suspended';

/** A shop account. `passwordHash` is null for accounts created through OAuth only. */
export class User extends Model {
  static override tableName = 'users';
  static override columnNameMappers = snakeCaseMappers();

  id!: number;
  /** Null for an account made by an external login whose provider did not verify an e-mail address. */
  email!: string | null;
  name!: string | null;
  phone!: string | null;
  phoneVerifiedAt!: Date | null;
  passwordHash!: string | null;
  role!: UserRole;
  status!: UserStatus;
  createdAt!: Date;
  updatedAt!: Date;

  /** The shape the API shows: never the hash. */
  toPublic() {
    return {
      id: this.id,
      email: this.email,
      name: this.name,
      phone: this.phone,
      phoneVerified: this.phoneVerifiedAt !== null,
      role: this.role,
      status: this.status,
      createdAt: this.createdAt,
    };
  }
}
