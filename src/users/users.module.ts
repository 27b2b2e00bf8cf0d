import { Module, OnModuleInit } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AccessRegistry } from '../auth/access.registry';
import { Accounts } from '../auth/accounts';
import { PasswordHasher } from './password-hasher';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [AuditModule],
  controllers: [UsersController],
  providers: [UsersService, UsersRepository, PasswordHasher],
  exports: [UsersService, UsersRepository, PasswordHasher],
})
export class UsersModule implements OnModuleInit {
  constructor(
    private readonly access: AccessRegistry,
    private readonly accounts: Accounts,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly service: UsersService,
  ) {}

  onModuleInit(): void {
    // A user lives where their scope is; one without a scope belongs to the whole installation.
    this.access.registerEntity('user', async (id) => {
      const user = await this.users.findById(id);
      return user && { regionCode: user.scopeCode };
    });
    this.accounts.provide({
      byId: (id) => this.users.findById(id),
      byUsername: (username) => this.users.findByUsername(username),
      passwordMatches: (hash, password) => this.hasher.verify(hash, password),
      revokeTokens: (id) => this.users.revokeTokens(id),
      changeOwnPassword: (actor, currentPassword, newPassword) =>
        this.service.changeOwnPassword(actor, currentPassword, newPassword),
    });
  }
}
