/**
 * The two accounts with known passwords that local and staging environments log in with. They must never
 * exist in production, so every path that creates them goes through `demoAccountsRefusal` first.
 */
import type { Knex } from 'knex';
import { hashPassword } from '../shared/passwords';

export interface DemoAccount {
  email: string;
  password: string;
  name: string;
  role: 'admin' | 'user';
  phone: string | null;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { email: 'admin@voltmall.dev', password: 'Admin123!', name: 'Demo Admin', role: 'admin', phone: null },
  {
    email: 'demo@voltmall.dev',
    password: 'Demo123!',
    name: 'Demo User',
    role: 'user',
    phone: '+821012345678',
  },
];

export interface DemoAccountsPolicy {
  nodeEnv: string;
  demoAccounts: boolean;
}

/** Why demo accounts must not be created here, or null when they may be. */
export function demoAccountsRefusal(policy: DemoAccountsPolicy): string | null {
  if (policy.nodeEnv === 'production')
    return 'demo accounts skipped: NODE_ENV=production never gets known passwords';
  if (!policy.demoAccounts) return 'demo accounts skipped: DEMO_ACCOUNTS=false';
  return null;
}

/**
 * Creates the demo accounts that do not exist yet and returns how many are in place (0 when refused).
 * An existing account is left exactly as it is: a changed password or name stays changed, and a re-run
 * does not re-hash (a fresh salt would rewrite the row every time).
 */
export async function ensureDemoAccounts(
  knex: Knex,
  policy: DemoAccountsPolicy,
  log: (line: string) => void,
): Promise<number> {
  const refusal = demoAccountsRefusal(policy);
  if (refusal !== null) {
    log(refusal);
    return 0;
  }
  const emails = DEMO_ACCOUNTS.map((account) => account.email);
  const existing = new Set(
    (await knex('users').whereIn('email', emails).select<Array<{ email: string }>>('email')).map(
      (row) => row.email,
    ),
  );
  const missing = DEMO_ACCOUNTS.filter((account) => !existing.has(account.email));
  if (missing.length > 0) {
    const rows = await Promise.all(
      missing.map(async (account) => ({
        email: account.email,
        name: account.name,
        phone: account.phone,
        password_hash: await hashPassword(account.password),
        role: account.role,
      })),
    );
    // A no-op update on the unique key instead of INSERT IGNORE: a concurrent seeder's row wins quietly,
    // while any other error (strict-mode truncation, bad enum) still fails loudly.
    await knex('users').insert(rows).onConflict('email').merge(['email']);
  }
  return DEMO_ACCOUNTS.length;
}
