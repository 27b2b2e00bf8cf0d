import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/database/prisma.service';
import { BroadcastPlan, BroadcastRow, toPlan } from './broadcast-plan';
import { LocalDate, toDbDate } from '../kernel/county-time';
import type { Level } from '../kernel/region';

export interface SlotSettings {
  name: string;
  startMinute: number;
  windowMinutes: number;
}

/** Every county has an evening slot, 17:30 for 30 minutes, until its operators say otherwise. */
export const DEFAULT_SLOTS: Record<string, Omit<SlotSettings, 'name'>> = {
  evening: { startMinute: 17 * 60 + 30, windowMinutes: 30 },
};

const PLAN_INCLUDE = {
  targets: { select: { regionCode: true, level: true, position: true } },
  programme: {
    select: {
      id: true,
      title: true,
      durationMs: true,
      segments: {
        orderBy: { position: 'asc' },
        select: { media: { select: { id: true, durationMs: true, sha256: true, bytes: true } } },
      },
    },
  },
} as const;

/** A broadcast's plan with what operators see of it besides. */
export type ScheduledPlan = BroadcastPlan & {
  countyCode: string;
  scopeCode: string;
  slotName: string;
  cancelled: boolean;
  rrule: string | null;
};

function toScheduledPlan(
  row: BroadcastRow & { countyCode: string; scopeCode: string; slotName: string; cancelledAt: Date | null },
): ScheduledPlan {
  return {
    ...toPlan(row),
    countyCode: row.countyCode,
    scopeCode: row.scopeCode,
    slotName: row.slotName,
    cancelled: row.cancelledAt !== null,
    rrule: row.rrule,
  };
}

export interface NewBroadcast {
  /** Exactly one of a programme and a relay. */
  programmeId: string | null;
  relay: { url: string; title: string; durationMs: number; mount: string } | null;
  countyCode: string;
  scopeCode: string;
  slotName: string;
  startDate: LocalDate;
  rrule: string | null;
  until: LocalDate | null;
  createdById: string;
  targets: Array<{ regionCode: string; level: Level; position: number }>;
}

@Injectable()
export class SchedulingRepository {
  constructor(private readonly prisma: PrismaService) {}

  async slot(countyCode: string, name: string): Promise<SlotSettings | null> {
    const row = await this.prisma.slot.findUnique({ where: { countyCode_name: { countyCode, name } } });
    if (row) return { name, startMinute: row.startMinute, windowMinutes: row.windowMinutes };
    return DEFAULT_SLOTS[name] ? { name, ...DEFAULT_SLOTS[name] } : null;
  }

  /** The county's slots: the defaults and any it has set. */
  async slotNames(countyCode: string): Promise<string[]> {
    const rows = await this.prisma.slot.findMany({ where: { countyCode }, select: { name: true } });
    return [...new Set([...Object.keys(DEFAULT_SLOTS), ...rows.map((row) => row.name)])].sort();
  }

  async saveSlot(countyCode: string, slot: SlotSettings): Promise<void> {
    const data = { startMinute: slot.startMinute, windowMinutes: slot.windowMinutes };
    await this.prisma.slot.upsert({
      where: { countyCode_name: { countyCode, name: slot.name } },
      create: { countyCode, name: slot.name, ...data },
      update: data,
    });
  }

  /** Broadcasts of a county's slot that may air between two dates (inclusive), not cancelled. */
  async plans(
    countyCode: string,
    slotName: string,
    from: LocalDate,
    to: LocalDate,
    except?: string,
  ): Promise<BroadcastPlan[]> {
    const rows = await this.prisma.scheduledBroadcast.findMany({
      where: {
        countyCode,
        slotName,
        cancelledAt: null,
        startDate: { lte: toDbDate(to) },
        OR: [{ untilDate: null }, { untilDate: { gte: toDbDate(from) } }],
        ...(except ? { NOT: { id: except } } : {}),
      },
      include: PLAN_INCLUDE,
    });
    return rows.map((row) => toPlan(row as BroadcastRow));
  }

  async plan(id: string): Promise<ScheduledPlan | null> {
    const row = await this.prisma.scheduledBroadcast.findUnique({ where: { id }, include: PLAN_INCLUDE });
    return row ? toScheduledPlan(row) : null;
  }

  async create(broadcast: NewBroadcast): Promise<string> {
    const { targets, startDate, until, relay, ...fields } = broadcast;
    const row = await this.prisma.scheduledBroadcast.create({
      data: {
        ...fields,
        relayUrl: relay?.url,
        relayTitle: relay?.title,
        relayDurationMs: relay?.durationMs,
        relayMount: relay?.mount,
        startDate: toDbDate(startDate),
        untilDate: until ? toDbDate(until) : null,
        targets: { create: targets },
      },
      select: { id: true },
    });
    return row.id;
  }

  async update(id: string, change: { until?: LocalDate | null; positions?: Map<string, number> }): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      if (change.until !== undefined) {
        await tx.scheduledBroadcast.update({
          where: { id },
          data: { untilDate: change.until ? toDbDate(change.until) : null },
        });
      }
      for (const [regionCode, position] of change.positions ?? []) {
        await tx.broadcastTarget.update({
          where: { broadcastId_regionCode: { broadcastId: id, regionCode } },
          data: { position },
        });
      }
    });
  }

  /**
   * Runs `work` while holding the county's schedule lock (a Postgres advisory
   * lock), so two changes cannot both pass the overflow check and together
   * overflow, whichever API process each arrives at.
   */
  underCountyLock<T>(countyCode: string, work: () => Promise<T>): Promise<T> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`schedule:${countyCode}`}))`;
        return work();
      },
      { timeout: 60_000, maxWait: 30_000 },
    );
  }

  /** Broadcasts, not cancelled, with a target among these regions. */
  async reaching(regionCodes: string[]): Promise<ScheduledPlan[]> {
    const rows = await this.prisma.scheduledBroadcast.findMany({
      where: { cancelledAt: null, targets: { some: { regionCode: { in: regionCodes } } } },
      include: PLAN_INCLUDE,
      orderBy: { createdAt: 'asc' },
      take: 1_000,
    });
    return rows.map(toScheduledPlan);
  }

  async cancel(id: string): Promise<void> {
    await this.prisma.scheduledBroadcast.update({ where: { id }, data: { cancelledAt: new Date() } });
  }

  /** The next free place at the end of a region's running order. */
  async nextPosition(regionCode: string): Promise<number> {
    const found = await this.prisma.broadcastTarget.aggregate({ where: { regionCode }, _max: { position: true } });
    return (found._max.position ?? 0) + 1;
  }

  regionOf(id: string): Promise<{ regionCode: string } | null> {
    return this.prisma.scheduledBroadcast
      .findUnique({ where: { id }, select: { scopeCode: true } })
      .then((row) => (row ? { regionCode: row.scopeCode } : null));
  }

  /** Compiled versions already stored, to write only what changed. */
  async storedVersions(regionCodes: string[], date: LocalDate): Promise<Map<string, string>> {
    const rows = await this.prisma.compiledPlaylist.findMany({
      where: { date: toDbDate(date), regionCode: { in: regionCodes } },
      select: { regionCode: true, version: true },
    });
    return new Map(rows.map((row) => [row.regionCode, row.version]));
  }

  /** Upserts compiled playlists in one statement per batch. */
  async storePlaylists(
    date: LocalDate,
    playlists: Array<{ regionCode: string; version: string; itemsJson: string }>,
  ): Promise<void> {
    const now = new Date();
    for (let i = 0; i < playlists.length; i += 2_000) {
      const batch = playlists.slice(i, i + 2_000);
      await this.prisma.$executeRaw`
        INSERT INTO compiled_playlist (region_code, date, version, items, compiled_at)
        SELECT code, ${toDbDate(date)}::date, version, items::jsonb, ${now}
        FROM unnest(${batch.map((p) => p.regionCode)}::text[], ${batch.map((p) => p.version)}::text[], ${batch.map((p) => p.itemsJson)}::text[])
          AS t(code, version, items)
        ON CONFLICT (region_code, date) DO UPDATE SET version = excluded.version, items = excluded.items, compiled_at = excluded.compiled_at`;
    }
  }

  compiledPlaylist(regionCode: string, date: LocalDate) {
    return this.prisma.compiledPlaylist.findUnique({
      where: { regionCode_date: { regionCode, date: toDbDate(date) } },
    });
  }

  compiledPlaylists(regionCodes: string[], date: LocalDate) {
    return this.prisma.compiledPlaylist.findMany({
      where: { date: toDbDate(date), regionCode: { in: regionCodes } },
      select: { regionCode: true, version: true, items: true },
    });
  }
}
