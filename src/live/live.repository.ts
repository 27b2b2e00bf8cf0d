import { ConflictException, Injectable } from '@nestjs/common';
import type { LiveSession, Prisma } from '../generated/prisma/client';
import { AuditService } from '../audit/audit.service';
import { PrismaService } from '../infra/database/prisma.service';
import { Transactions } from '../infra/database/transactions';
import type { RegionPath } from '../kernel/region';
import { clashes, type EndReason } from './domain/live';

export const LIVE_ROW_INCLUDE = {
  startedBy: { select: { id: true, username: true } },
  endedBy: { select: { id: true, username: true } },
} as const;
export type LiveRow = Prisma.LiveSessionGetPayload<{ include: typeof LIVE_ROW_INCLUDE }>;

export type NewLiveSession = Pick<
  LiveSession,
  'title' | 'countyCode' | 'scopeCode' | 'regionCodes' | 'priority' | 'mount' | 'ingestTokenHash' | 'startedById'
> & { lectureSessionId?: string };

const OPEN: LiveSession['status'][] = ['starting', 'live'];

@Injectable()
export class LiveRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
  ) {}

  /**
   * Takes the regions and records who started it, or refuses (409, naming
   * them) a region that overlaps one of a session still open. The county's
   * lock makes two speakers asking for the same township at once take turns.
   */
  create(session: NewLiveSession, wanted: RegionPath[]): Promise<LiveRow> {
    return this.transactions.run(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`live:${session.countyCode}`}))`;
      const open = await tx.liveSession.findMany({
        where: { countyCode: session.countyCode, status: { in: OPEN } },
        select: { regionCodes: true },
      });
      const takenCodes = [...new Set(open.flatMap((row) => row.regionCodes))];
      const taken = await tx.region.findMany({
        where: { code: { in: takenCodes } },
        select: { code: true, countyCode: true, townshipCode: true },
      });
      const clash = clashes(wanted, taken);
      if (clash.length)
        throw new ConflictException(
          `Someone is already speaking live to ${[...new Set(clash.map((c) => c.taken))].join(', ')}, ` +
            `which overlaps ${[...new Set(clash.map((c) => c.wanted))].join(', ')}: wait until that session ends`,
        );
      const row = await tx.liveSession.create({ data: session, include: LIVE_ROW_INCLUDE });
      await this.audit.record(tx, {
        entity: 'live-session',
        entityId: row.id,
        action: 'started',
        actorId: session.startedById,
        details: { regionCodes: session.regionCodes, priority: session.priority, title: session.title },
      });
      return row;
    });
  }

  find(id: string): Promise<LiveRow | null> {
    return this.prisma.liveSession.findUnique({ where: { id }, include: LIVE_ROW_INCLUDE });
  }

  list(where: Prisma.LiveSessionWhereInput, limit: number): Promise<LiveRow[]> {
    return this.prisma.liveSession.findMany({
      where,
      include: LIVE_ROW_INCLUDE,
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
  }

  /** Sessions still open, and those ended since `since` (whose end a device may not have heard). */
  openOrEndedSince(since: Date): Promise<LiveRow[]> {
    return this.prisma.liveSession.findMany({
      where: { OR: [{ status: { in: OPEN } }, { endedAt: { gte: since } }] },
      include: LIVE_ROW_INCLUDE,
    });
  }

  /** The audio reached Icecast: the session is live from now (false if it ended meanwhile). */
  async markLive(id: string, at: Date): Promise<boolean> {
    const { count } = await this.prisma.liveSession.updateMany({
      where: { id, status: 'starting' },
      data: { status: 'live', liveAt: at, heartbeatAt: at },
    });
    return count === 1;
  }

  /** The carrying process still holds it; the session's status, so it learns of an end it missed. */
  async beat(id: string, at: Date): Promise<LiveSession['status'] | null> {
    await this.prisma.liveSession.updateMany({ where: { id, status: { in: OPEN } }, data: { heartbeatAt: at } });
    const row = await this.prisma.liveSession.findUnique({ where: { id }, select: { status: true } });
    return row?.status ?? null;
  }

  /** Ends it once, with its reason, in the audit trail with the end; null if it had ended already. */
  end(id: string, reason: EndReason, actorId: string | null, at: Date): Promise<LiveRow | null> {
    return this.transactions.run(async (tx) => {
      const { count } = await tx.liveSession.updateMany({
        where: { id, status: { in: OPEN } },
        data: { status: 'ended', endedAt: at, endReason: reason, endedById: actorId },
      });
      if (!count) return null;
      const row = await tx.liveSession.findUniqueOrThrow({ where: { id }, include: LIVE_ROW_INCLUDE });
      await this.audit.record(tx, {
        entity: 'live-session',
        entityId: id,
        action: 'ended',
        actorId,
        details: { reason, liveMs: row.liveAt ? at.getTime() - row.liveAt.getTime() : 0 },
      });
      return row;
    });
  }

  /** Sessions ended at least `before` ago whose recording no process made media (a crash between the two). */
  endedWithoutRecording(before: Date): Promise<LiveRow[]> {
    return this.prisma.liveSession.findMany({
      where: {
        status: 'ended',
        recordingMediaId: null,
        endedAt: { lt: before, gte: new Date(before.getTime() - 3_600_000) },
      },
      include: LIVE_ROW_INCLUDE,
    });
  }

  async setRecording(id: string, mediaId: string): Promise<void> {
    await this.prisma.liveSession.updateMany({
      where: { id, recordingMediaId: null },
      data: { recordingMediaId: mediaId },
    });
  }

  /** How many loudspeakers reported each outcome of the session's audio (one that rejoined counts once). */
  async receiptCounts(itemId: string): Promise<Record<'played' | 'interrupted' | 'failed', number>> {
    const rows = await this.prisma.$queryRaw<Array<{ outcome: string; endpoints: bigint }>>`
      SELECT outcome::text AS outcome, count(DISTINCT endpoint_id) AS endpoints
      FROM play_receipt WHERE item_id = ${itemId} GROUP BY outcome`;
    const count = (outcome: string) => Number(rows.find((row) => row.outcome === outcome)?.endpoints ?? 0);
    return { played: count('played'), interrupted: count('interrupted'), failed: count('failed') };
  }

  scopeOf(id: string): Promise<{ regionCode: string } | null> {
    return this.prisma.liveSession
      .findUnique({ where: { id }, select: { scopeCode: true } })
      .then((row) => (row ? { regionCode: row.scopeCode } : null));
  }
}
