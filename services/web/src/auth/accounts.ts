import type { Customer } from '@ad-race/contracts';
import { CUSTOMERS, type CustomerProfile } from '@ad-race/catalog';
import accountsData from '../../data/accounts.json';
import { verifyPassword } from './password';

export interface Account {
  customerId: string;
  email: string;
  passwordHash: string;
}

/** The customers who can log in: the seeded accounts (services/web/data) and their profiles. */
export class Accounts {
  private readonly byEmail: Map<string, Account>;
  private readonly profiles: Map<string, CustomerProfile>;
  // Checked against when the e-mail is unknown, so a wrong address takes as long as a wrong password.
  private readonly decoyHash: string;

  constructor(accounts: readonly Account[] = accountsData, profiles: readonly CustomerProfile[] = CUSTOMERS) {
    this.byEmail = new Map(accounts.map((a) => [a.email.toLowerCase(), a]));
    this.profiles = new Map(profiles.map((p) => [p.id, p]));
    this.decoyHash = accounts[0]?.passwordHash ?? '';
  }

  /** The customer, if the e-mail and password match an account. */
  async logIn(email: string, password: string): Promise<CustomerProfile | null> {
    const account = this.byEmail.get(email.toLowerCase());
    const matches = await verifyPassword(password, account?.passwordHash ?? this.decoyHash);
    return account && matches ? (this.profiles.get(account.customerId) ?? null) : null;
  }

  profile(customerId: string): CustomerProfile | undefined {
    return this.profiles.get(customerId);
  }
}

/** What the browser is told about the customer who is logged in. */
export function customerView(profile: CustomerProfile): Customer {
  return { id: profile.id, name: profile.name, email: profile.email, city: profile.homeCity, loyaltyTier: profile.loyaltyTier };
}
