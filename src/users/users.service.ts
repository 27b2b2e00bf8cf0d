import { randomBytes } from 'node:crypto';
import { ConflictException, ForbiddenException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { badRequest } from '../infra/http/error-body';
import type { User } from '../generated/prisma/client';
import type { UserPrincipal } from '../auth/access.decorator';
import { GeneratedPasswordFile } from './generated-password-file';
import { PasswordHasher } from './password-hasher';
import { AccountChange, LastUnscopedAdminError, UsernameTakenError, UsersRepository } from './users.repository';
import { CreateUserBody, toUserView, UpdateUserBody, UserView } from './users.dto';

const isUnscopedAdmin = (user: Pick<User, 'role' | 'scopeCode' | 'disabledAt'>) =>
  user.role === 'admin' && user.scopeCode === null && !user.disabledAt;

@Injectable()
export class UsersService {
  private readonly logger = new Logger('Users');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  async create(actor: UserPrincipal, body: CreateUserBody): Promise<UserView> {
    const scopeCode = body.scopeCode ?? null;
    this.refuseUnscopedGrant(actor, scopeCode);
    try {
      const user = await this.users.create(
        {
          username: body.username,
          passwordHash: await this.hasher.hash(body.password),
          role: body.role,
          scopeCode,
          displayName: body.displayName,
        },
        actor.id,
      );
      return toUserView(user);
    } catch (error) {
      if (error instanceof UsernameTakenError) throw new ConflictException(`Username ${body.username} is taken`);
      throw error;
    }
  }

  async list(actor: UserPrincipal): Promise<UserView[]> {
    return (await this.users.listWithin(actor.scopeCode)).map(toUserView);
  }

  /** A role or scope change ends the user's tokens, so the next sign-in carries it; a display name alone does not. */
  async update(actor: UserPrincipal, id: string, body: UpdateUserBody): Promise<UserView> {
    const user = await this.require(id);
    const to = {
      role: body.role ?? user.role,
      scopeCode: body.scopeCode === undefined ? user.scopeCode : body.scopeCode,
    };
    const accessChanges = to.role !== user.role || to.scopeCode !== user.scopeCode;
    if (accessChanges) {
      this.refuseOwnAccount(actor, id, 'change the role or scope of');
      this.refuseUnscopedGrant(actor, to.scopeCode);
      if (to.role !== 'admin' && to.scopeCode === null)
        throw badRequest(`A ${to.role} needs a scope: name the region they act on (scopeCode)`);
    }
    const displayName = body.displayName === undefined ? user.displayName : body.displayName;
    const renamed = displayName !== user.displayName;
    if (!accessChanges && !renamed) return toUserView(user);
    return this.apply(id, {
      data: {
        ...to,
        displayName,
        ...(accessChanges ? { accessChangedById: actor.id, accessChangedAt: new Date() } : {}),
      },
      action: accessChanges ? 'access-changed' : 'renamed',
      actorId: actor.id,
      details: {
        ...(accessChanges ? { from: { role: user.role, scopeCode: user.scopeCode }, to } : {}),
        ...(renamed ? { displayName: { from: user.displayName, to: displayName } } : {}),
      },
      revokeTokens: accessChanges,
      keepAnUnscopedAdmin: accessChanges && isUnscopedAdmin(user),
    });
  }

  async disable(actor: UserPrincipal, id: string): Promise<UserView> {
    this.refuseOwnAccount(actor, id, 'disable');
    const user = await this.require(id);
    if (user.disabledAt) return toUserView(user);
    return this.apply(id, {
      data: { disabledAt: new Date() },
      action: 'disabled',
      actorId: actor.id,
      revokeTokens: true,
      keepAnUnscopedAdmin: isUnscopedAdmin(user),
    });
  }

  /** Re-enabling gives the account back its access, so it counts as the actor changing that access. */
  async enable(actor: UserPrincipal, id: string): Promise<UserView> {
    const user = await this.require(id);
    if (!user.disabledAt) return toUserView(user);
    return this.apply(id, {
      data: { disabledAt: null, accessChangedById: actor.id, accessChangedAt: new Date() },
      action: 'enabled',
      actorId: actor.id,
      revokeTokens: true,
      keepAnUnscopedAdmin: false,
    });
  }

  /** An admin sets a user's password (forgotten, or taken over): the admin now knows it, which approvals take into account. */
  async resetPassword(actor: UserPrincipal, id: string, password: string): Promise<void> {
    // Without the current password, a stolen token could otherwise take the account over for good.
    this.refuseOwnAccount(actor, id, 'reset the password of');
    await this.require(id);
    await this.apply(id, {
      data: { passwordHash: await this.hasher.hash(password), passwordSetById: actor.id },
      action: 'password-reset',
      actorId: actor.id,
      revokeTokens: true,
      keepAnUnscopedAdmin: false,
    });
  }

  async changeOwnPassword(actor: UserPrincipal, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.require(actor.id);
    if (!(await this.hasher.verify(user.passwordHash, currentPassword)))
      throw new ForbiddenException('The current password is wrong');
    await this.apply(actor.id, {
      data: { passwordHash: await this.hasher.hash(newPassword), passwordSetById: null },
      action: 'password-changed',
      actorId: actor.id,
      revokeTokens: true,
      keepAnUnscopedAdmin: false,
    });
  }

  /**
   * On first start, creates the admin named in the configuration; an existing
   * admin is left as it is. Without ADMIN_PASSWORD the password is generated
   * and written to ADMIN_PASSWORD_FILE, never to the log.
   */
  async ensureAdmin(): Promise<void> {
    const { username, password, passwordFile } = this.config.admin;
    if (await this.users.findByUsername(username)) return;
    const chosen = password ?? randomBytes(18).toString('base64url');
    const file = password ? undefined : await GeneratedPasswordFile.stage(passwordFile, chosen);
    try {
      await this.users.create(
        { username, passwordHash: await this.hasher.hash(chosen), role: 'admin', scopeCode: null },
        null,
      );
    } catch (error) {
      await file?.discard();
      if (error instanceof UsernameTakenError) return; // another process created it first
      throw error;
    }
    if (!file) {
      this.logger.log(`created admin user "${username}" with ADMIN_PASSWORD`);
    } else {
      await file.keep();
      this.logger.warn(
        `created admin user "${username}" with a generated password, written to ${file.path} (readable only by this user; delete it once noted)`,
      );
    }
  }

  private async apply(id: string, change: AccountChange): Promise<UserView> {
    try {
      return toUserView(await this.users.change(id, change));
    } catch (error) {
      if (error instanceof LastUnscopedAdminError) {
        throw new ConflictException(
          'This is the last enabled admin without a scope: create or enable another before you disable or restrict this one',
        );
      }
      throw error;
    }
  }

  private async require(id: string): Promise<User> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundException(`User ${id} not found`);
    return user;
  }

  /** Access is changed by another admin, so one admin alone cannot lock themselves out or raise themselves. */
  private refuseOwnAccount(actor: UserPrincipal, id: string, what: string): void {
    if (actor.id === id) throw new ForbiddenException(`You may not ${what} your own account; another admin must`);
  }

  /** The guard has checked that a named scope lies inside the actor's; no scope at all comes only from an unscoped admin. */
  private refuseUnscopedGrant(actor: UserPrincipal, scopeCode: string | null): void {
    if (scopeCode === null && actor.scopeCode !== null) {
      throw new ForbiddenException('Only an admin without a scope may give a user no scope');
    }
  }
}
