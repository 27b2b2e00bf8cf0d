import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/database/prisma.service';
import type { AuthSession, User } from '../generated/prisma/client';

/** Sign-ins and the digest of each one's current refresh secret. */
@Injectable()
export class AuthSessionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Opens a sign-in, and forgets the user's expired ones, so the table does not grow with every sign-in ever made. */
  async open(data: {
    userId: string;
    tokenVersion: number;
    secretHash: string;
    expiresAt: Date;
  }): Promise<AuthSession> {
    await this.prisma.authSession.deleteMany({ where: { userId: data.userId, expiresAt: { lte: new Date() } } });
    return this.prisma.authSession.create({ data });
  }

  find(id: string): Promise<(AuthSession & { user: User }) | null> {
    return this.prisma.authSession.findUnique({ where: { id }, include: { user: true } });
  }

  /** Replaces the current secret if it still is the one presented: false when another request rotated it first. */
  async rotate(id: string, fromHash: string, toHash: string): Promise<boolean> {
    const { count } = await this.prisma.authSession.updateMany({
      where: { id, secretHash: fromHash, revokedAt: null },
      data: { secretHash: toHash, rotatedAt: new Date() },
    });
    return count === 1;
  }

  async revoke(id: string): Promise<void> {
    await this.prisma.authSession.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  }
}
