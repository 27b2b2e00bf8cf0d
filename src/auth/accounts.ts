import { Injectable } from '@nestjs/common';
import type { User } from '../generated/prisma/client';
import type { UserPrincipal } from './access.decorator';

/** What signing in and checking a token need to know of an account. */
export type Account = Pick<
  User,
  'id' | 'username' | 'role' | 'scopeCode' | 'disabledAt' | 'tokenVersion' | 'passwordHash'
>;

/** Who a request acts as, once its credential is checked. */
export function principalOf(user: Account): UserPrincipal {
  return { type: 'user', id: user.id, username: user.username, role: user.role, scopeCode: user.scopeCode };
}

/** The user accounts as sign-in sees them; the users module provides them. */
export interface AccountSource {
  byId(id: string): Promise<Account | null>;
  byUsername(username: string): Promise<Account | null>;
  /** Whether the password matches the hash (null: no such account; still takes as long). */
  passwordMatches(hash: string | null, password: string): Promise<boolean>;
  /** Ends every token of the account. */
  revokeTokens(id: string): Promise<void>;
  changeOwnPassword(actor: UserPrincipal, currentPassword: string, newPassword: string): Promise<void>;
}

/**
 * Auth checks credentials and tokens, but the accounts belong to the users
 * module, which registers them here at start-up (as features register with
 * the access registry): auth imports no feature, so every feature may import
 * auth's access rules.
 */
@Injectable()
export class Accounts implements AccountSource {
  private source?: AccountSource;

  provide(source: AccountSource): void {
    this.source = source;
  }

  byId(id: string): Promise<Account | null> {
    return this.registered().byId(id);
  }

  byUsername(username: string): Promise<Account | null> {
    return this.registered().byUsername(username);
  }

  passwordMatches(hash: string | null, password: string): Promise<boolean> {
    return this.registered().passwordMatches(hash, password);
  }

  revokeTokens(id: string): Promise<void> {
    return this.registered().revokeTokens(id);
  }

  changeOwnPassword(actor: UserPrincipal, currentPassword: string, newPassword: string): Promise<void> {
    return this.registered().changeOwnPassword(actor, currentPassword, newPassword);
  }

  private registered(): AccountSource {
    if (!this.source) throw new Error('no module has provided the user accounts (UsersModule does, at start-up)');
    return this.source;
  }
}
