import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/database/prisma.service';
import { isUniqueViolation } from '../infra/database/unique-violation';
import { Prisma, User } from '../generated/prisma/client';
import type { Role } from '../auth/domain/permissions';
import { withinSubtree } from '../regions/regions.repository';

export class UsernameTakenError extends Error {}

@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  findById(id: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { id } });
  }

  findByUsername(username: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { username } });
  }

  async create(data: { username: string; passwordHash: string; role: Role; scopeCode: string | null; displayName?: string }): Promise<User> {
    try {
      return await this.prisma.user.create({ data });
    } catch (error) {
      if (isUniqueViolation(error)) throw new UsernameTakenError();
      throw error;
    }
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
