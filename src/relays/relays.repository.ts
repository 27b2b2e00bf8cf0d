import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/database/prisma.service';
import { type LocalDate, toDbDate } from '../kernel/county-time';

/** Relay broadcasts and the record of each airing's run (relay_run). */
@Injectable()
export class RelaysRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Relay broadcasts, not cancelled, that may air on some date between these (inclusive). */
  async relaysBetween(from: LocalDate, to: LocalDate): Promise<string[]> {
    const rows = await this.prisma.scheduledBroadcast.findMany({
      where: {
        relayUrl: { not: null },
        cancelledAt: null,
        startDate: { lte: toDbDate(to) },
        OR: [{ untilDate: null }, { untilDate: { gte: toDbDate(from) } }],
      },
      select: { id: true },
    });
    return rows.map((row) => row.id);
  }

  /** Whether the run of this relay on this date is over (its time was up, or it was cancelled). */
  async ended(broadcastId: string, date: LocalDate): Promise<boolean> {
    const run = await this.prisma.relayRun.findUnique({
      where: { broadcastId_date: { broadcastId, date: toDbDate(date) } },
      select: { endedAt: true },
    });
    return run?.endedAt != null;
  }

  /** A worker took the run on (first, or again after another's died): it is running, as of now. */
  async begin(broadcastId: string, date: LocalDate): Promise<void> {
    const key = { broadcastId, date: toDbDate(date) };
    await this.prisma.relayRun.upsert({
      where: { broadcastId_date: key },
      create: key,
      update: { heartbeatAt: new Date() },
    });
  }

  async heartbeat(broadcastId: string, date: LocalDate): Promise<void> {
    await this.prisma.relayRun.updateMany({
      where: { broadcastId, date: toDbDate(date), endedAt: null },
      data: { heartbeatAt: new Date() },
    });
  }

  /** The outside source failed and the filler (or silence) took over the mount: kept for the operators. */
  async fellBack(broadcastId: string, date: LocalDate, reason: string): Promise<void> {
    await this.prisma.relayRun.updateMany({
      where: { broadcastId, date: toDbDate(date), fellBackAt: null },
      data: { fellBackAt: new Date(), fallbackReason: reason.slice(0, 500) },
    });
  }

  async end(broadcastId: string, date: LocalDate, reason: 'ended' | 'cancelled'): Promise<void> {
    const key = { broadcastId, date: toDbDate(date) };
    const ended = { endedAt: new Date(), endReason: reason };
    await this.prisma.relayRun.upsert({
      where: { broadcastId_date: key },
      create: { ...key, ...ended },
      update: ended,
    });
  }
}
