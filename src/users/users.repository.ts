import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { PrismaService } from '../infra/database/prisma.service';
import { isUniqueViolation } from '../infra/database/unique-violation';
import { Prisma, User } from '../generated/prisma/client';
import type { Role } from '../auth/domain/permissions';
import { withinSubtree } from '../regions/regions.repository';

export class UsernameTakenError extends Error {}
/** The change would leave no enabled admin without a scope: nobody could manage the installation. */
export class LastUnscopedAdminError extends Error {}

/** A change to an account and the audit entry that records it. */
export interface AccountChange {
  data: Prisma.UserUncheckedUpdateInput;
  action: string;
  actorId: string;
  details?: Prisma.InputJsonObject;
  /** Ends every token the user holds (disable, password, role or scope). */
  revokeTokens: boolean;
  /** Refuse the change unless another enabled unscoped admin remains. */
  keepAnUnscopedAdmin: boolean;
}

@Injectable()
export class UsersRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
  ) {}

  findById(id: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { id } });
  }

  findByUsername(username: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { username } });
  }

  /** Creates a user, recording who did (null: the service, creating the first admin). */
  async create(
    data: { username: string; passwordHash: string; role: Role; scopeCode: string | null; displayName?: string },
    actorId: string | null,
  ): Promise<User> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const user = await tx.user.create({
          data: {
            ...data,
            passwordSetById: actorId,
            accessChangedById: actorId,
            accessChangedAt: actorId ? new Date() : null,
          },
        });
        await this.audit.record(tx, {
          entity: 'user',
          entityId: user.id,
          action: 'created',
          actorId,
          details: { role: data.role, scopeCode: data.scopeCode },
        });
        return user;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new UsernameTakenError();
      throw error;
    }
  }

  async change(id: string, change: AccountChange): Promise<User> {
    return this.prisma.$transaction(async (tx) => {
      if (change.keepAnUnscopedAdmin) {
        // Locked, so two admins disabling each other at once cannot both succeed.
        const admins = await tx.$queryRaw<Array<{ id: string }>>`
          SELECT id FROM app_user WHERE role = 'admin' AND scope_code IS NULL AND disabled_at IS NULL FOR UPDATE`;
        if (!admins.some((admin) => admin.id !== id)) throw new LastUnscopedAdminError();
      }
      const user = await tx.user.update({
        where: { id },
        data: { ...change.data, ...(change.revokeTokens ? { tokenVersion: { increment: 1 } } : {}) },
      });
      await this.audit.record(tx, {
        entity: 'user',
        entityId: id,
        action: change.action,
        actorId: change.actorId,
        details: change.details,
      });
      return user;
    });
  }

  /**
   * Who may know the user's password: the admin who set it, the admin who set
   * that admin's, and so on until someone who chose their own (bounded, as
   * two admins may have reset each other's).
   */
  async passwordSetters(id: string): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<Array<{ setter: string }>>`
      WITH RECURSIVE chain (setter, depth) AS (
        SELECT password_set_by_id, 1 FROM app_user WHERE id = ${id}::uuid
        UNION ALL
        SELECT u.password_set_by_id, c.depth + 1 FROM app_user u JOIN chain c ON u.id = c.setter WHERE c.depth < 16
      )
      SELECT DISTINCT setter::text AS setter FROM chain WHERE setter IS NOT NULL`;
    return rows.map((row) => row.setter);
  }

  /** Ends every access and refresh token the user holds. */
  async revokeTokens(id: string): Promise<void> {
    await this.prisma.user.update({ where: { id }, data: { tokenVersion: { increment: 1 } } });
  }

  /** Users whose scope lies inside the given subtree (all users for null). */
  listWithin(scopeCode: string | null): Promise<User[]> {
    const where: Prisma.UserWhereInput = scopeCode === null ? {} : { scope: withinSubtree(scopeCode) };
    return this.prisma.user.findMany({ where, orderBy: { username: 'asc' } });
  }

  countAdmins(): Promise<number> {
    return this.prisma.user.count({ where: { role: 'admin' } });
  }
}
