import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/database/prisma.service';
import type { AuthSession, AuthSessionKind, User } from '../generated/prisma/client';

export type SessionWithUser = AuthSession & { user: User };

/**
 * Whether a sign-in still counts: not ended, not expired, its user enabled and
 * still on the token version it was opened under (a password change, disable
 * or revocation moves the version on, ending every sign-in of the account).
 */
export function stillLive(session: SessionWithUser, now: Date): boolean {
  return (
    !session.revokedAt &&
    session.expiresAt > now &&
    !session.user.disabledAt &&
    session.user.tokenVersion === session.tokenVersion
  );
}

/** Sign-ins and the digest of each one's current secret (a refresh token's or a session cookie's). */
@Injectable()
export class AuthSessionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Opens a sign-in, and forgets the user's expired ones, so the table does not grow with every sign-in ever made. */
  async open(data: {
    userId: string;
    kind: AuthSessionKind;
    tokenVersion: number;
    secretHash: string;
    expiresAt: Date;
  }): Promise<AuthSession> {
    await this.prisma.authSession.deleteMany({ where: { userId: data.userId, expiresAt: { lte: new Date() } } });
    return this.prisma.authSession.create({ data });
  }

  find(id: string): Promise<SessionWithUser | null> {
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

  async seen(id: string, at: Date): Promise<void> {
    await this.prisma.authSession.update({ where: { id }, data: { lastSeenAt: at } });
  }

  async revoke(id: string): Promise<void> {
    await this.prisma.authSession.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  }
}
