import { Injectable } from '@nestjs/common';
import type { PointsHolder, Prisma } from '../generated/prisma/client';
import { PrismaService } from '../infra/database/prisma.service';
import { placedWithin } from '../regions/regions.repository';

export interface Holder {
  type: PointsHolder;
  id: string;
}

export interface HolderPlace {
  regionCode: string;
  countyCode: string;
  townshipCode: string | null;
}

/** Points balances and county rates; balances change only inside a transaction that also writes the ledger. */
@Injectable()
export class PointsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Adds points (earned) to a holder's balance, creating it; answers the new balance. */
  async add(tx: Prisma.TransactionClient, holder: Holder, place: HolderPlace, points: number): Promise<number> {
    const row = await tx.pointsBalance.upsert({
      where: { holderType_holderId: { holderType: holder.type, holderId: holder.id } },
      create: { holderType: holder.type, holderId: holder.id, ...place, points, earned: points },
      update: { points: { increment: points }, earned: { increment: points } },
      select: { points: true },
    });
    return row.points;
  }

  /** Takes points off a balance if it holds them (the row stays locked to the end of the transaction); null when it does not. */
  async take(tx: Prisma.TransactionClient, holder: Holder, points: number): Promise<number | null> {
    const rows = await tx.$queryRaw<Array<{ points: number }>>`
      UPDATE points_balance SET points = points - ${points}, updated_at = now()
      WHERE holder_type = ${holder.type}::"PointsHolder" AND holder_id = ${holder.id}::uuid AND points >= ${points}
      RETURNING points`;
    return rows[0]?.points ?? null;
  }

  balance(holder: Holder) {
    return this.prisma.pointsBalance.findUnique({
      where: { holderType_holderId: { holderType: holder.type, holderId: holder.id } },
    });
  }

  list(scopeCode: string | null, limit: number, afterHolderId?: string) {
    return this.prisma.pointsBalance.findMany({
      where: {
        AND: [scopeCode ? placedWithin(scopeCode) : {}, afterHolderId ? { holderId: { gt: afterHolderId } } : {}],
      },
      orderBy: { holderId: 'asc' },
      take: limit,
    });
  }

  async names(holders: Holder[]): Promise<Map<string, string>> {
    const ids = (type: PointsHolder) => holders.filter((holder) => holder.type === type).map((holder) => holder.id);
    const [volunteers, lecturers] = await Promise.all([
      this.prisma.volunteer.findMany({ where: { id: { in: ids('volunteer') } }, select: { id: true, name: true } }),
      this.prisma.user.findMany({
        where: { id: { in: ids('lecturer') } },
        select: { id: true, username: true, displayName: true },
      }),
    ]);
    return new Map([
      ...volunteers.map((v) => [`volunteer:${v.id}`, v.name] as const),
      ...lecturers.map((u) => [`lecturer:${u.id}`, u.displayName ?? u.username] as const),
    ]);
  }

  /** Where a holder belongs: a volunteer's village, a lecturer's scope. Null when there is no such holder. */
  async place(holder: Holder): Promise<{ regionCode: string } | null> {
    if (holder.type === 'volunteer')
      return this.prisma.volunteer.findUnique({ where: { id: holder.id }, select: { regionCode: true } });
    const user = await this.prisma.user.findUnique({
      where: { id: holder.id },
      select: { role: true, scopeCode: true },
    });
    return user?.role === 'lecturer' && user.scopeCode ? { regionCode: user.scopeCode } : null;
  }

  async rate(countyCode: string): Promise<number | null> {
    return (await this.prisma.pointsRate.findUnique({ where: { countyCode } }))?.pointsPerHour ?? null;
  }

  async setRate(countyCode: string, pointsPerHour: number): Promise<void> {
    await this.prisma.pointsRate.upsert({
      where: { countyCode },
      create: { countyCode, pointsPerHour },
      update: { pointsPerHour },
    });
  }
}
