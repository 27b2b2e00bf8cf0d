import { randomBytes } from 'node:crypto';
import { ConflictException, ForbiddenException, Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import type { UserPrincipal } from '../auth/access.decorator';
import { GeneratedPasswordFile } from './generated-password-file';
import { PasswordHasher } from './password-hasher';
import { UsernameTakenError, UsersRepository } from './users.repository';
import { CreateUserBody, toUserView, UserView } from './users.dto';

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
    // The guard has checked that a named scope lies inside the actor's; an
    // unscoped user can only come from an unscoped admin.
    if (scopeCode === null && actor.scopeCode !== null) {
      throw new ForbiddenException('Only an admin without a scope may create a user without a scope');
    }
    try {
      const user = await this.users.create({
        username: body.username,
        passwordHash: await this.hasher.hash(body.password),
        role: body.role,
        scopeCode,
        displayName: body.displayName,
      });
      return toUserView(user);
    } catch (error) {
      if (error instanceof UsernameTakenError) throw new ConflictException(`Username ${body.username} is taken`);
      throw error;
    }
  }

  async list(actor: UserPrincipal): Promise<UserView[]> {
    return (await this.users.listWithin(actor.scopeCode)).map(toUserView);
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
      await this.users.create({ username, passwordHash: await this.hasher.hash(chosen), role: 'admin', scopeCode: null });
    } catch (error) {
      await file?.discard();
      if (error instanceof UsernameTakenError) return; // another process created it first
      throw error;
    }
    if (!file) {
      this.logger.log(`created admin user "${username}" with ADMIN_PASSWORD`);
    } else {
      await file.keep();
      this.logger.warn(`created admin user "${username}" with a generated password, written to ${file.path} (readable only by this user; delete it once noted)`);
    }
  }
}
