import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../infra/database/prisma.service';
import { unlessDuplicate } from '../infra/database/unique-violation';

const VOLUNTEER = { volunteer: { select: { id: true, name: true, regionCode: true } } } as const;

/** Volunteers' own sign-ins and sign-outs at sessions (scanning the session's QR code). */
@Injectable()
export class AttendanceRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** What the session's public page shows; the key is checked by the caller. */
  session(id: string) {
    return this.prisma.lectureSession.findUnique({
      where: { id },
      select: {
        id: true,
        mode: true,
        status: true,
        startsAt: true,
        countyCode: true,
        checkinKey: true,
        topic: { select: { title: true } },
        region: { select: { name: true } },
      },
    });
  }

  /**
   * The session's status, its row held (FOR SHARE) to the end of the
   * transaction: a completion waits for a sign-in under way, and a sign-in
   * after a completion sees it completed.
   */
  async lockedStatus(tx: Prisma.TransactionClient, id: string): Promise<string | null> {
    const rows = await tx.$queryRaw<Array<{ status: string }>>`
      SELECT status::text AS status FROM lecture_session WHERE id = ${id}::uuid FOR SHARE`;
    return rows[0]?.status ?? null;
  }

  of(sessionId: string, volunteerId: string) {
    return this.prisma.sessionAttendance.findUnique({ where: { sessionId_volunteerId: { sessionId, volunteerId } } });
  }

  /** Null when they signed in to it before. */
  signIn(tx: Prisma.TransactionClient, sessionId: string, volunteerId: string, at: Date) {
    return unlessDuplicate(tx.sessionAttendance.create({ data: { sessionId, volunteerId, signedInAt: at } }));
  }

  /** Whether they were signed in (and are now signed out). */
  async signOut(tx: Prisma.TransactionClient, sessionId: string, volunteerId: string, at: Date): Promise<boolean> {
    const { count } = await tx.sessionAttendance.updateMany({
      where: { sessionId, volunteerId, signedOutAt: null },
      data: { signedOutAt: at },
    });
    return count === 1;
  }

  list(sessionId: string) {
    return this.prisma.sessionAttendance.findMany({
      where: { sessionId },
      include: VOLUNTEER,
      orderBy: [{ signedInAt: 'asc' }, { volunteerId: 'asc' }],
    });
  }

  /** Signs out, at the completion, whoever is still signed in; answers everyone who signed in, with their times. */
  async close(tx: Prisma.TransactionClient, sessionId: string, at: Date) {
    await tx.sessionAttendance.updateMany({ where: { sessionId, signedOutAt: null }, data: { signedOutAt: at } });
    const rows = await tx.sessionAttendance.findMany({
      where: { sessionId },
      include: VOLUNTEER,
      orderBy: { volunteerId: 'asc' },
    });
    return rows.map((row) => ({ ...row, signedOutAt: row.signedOutAt ?? at }));
  }
}
