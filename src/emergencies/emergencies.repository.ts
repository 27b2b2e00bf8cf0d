import { Injectable } from '@nestjs/common';
import type { Emergency, Media, Prisma } from '../generated/prisma/client';
import { AuditRecord, AuditService } from '../audit/audit.service';
import { PrismaService } from '../infra/database/prisma.service';
import { alertItemId, LiveAlert } from './domain/alert';

export type NewAlert = Omit<Prisma.EmergencyUncheckedCreateInput, 'id' | 'status' | 'createdAt'>;
/**
 * What an alert is read with: its recording, and the emergency broadcast
 * message (EBM) it is, if it came from the upper platform or was reported up
 * (the first that is not a cancel: a cancel names the alert it ended).
 */
const ALERT_INCLUDE = {
  media: true,
  ebdMessages: {
    where: { msgType: { not: 2 } },
    orderBy: { createdAt: 'asc' },
    take: 1,
    select: { ebmId: true, direction: true, msgType: true },
  },
} as const satisfies Prisma.EmergencyInclude;
export type AlertRow = Prisma.EmergencyGetPayload<{ include: typeof ALERT_INCLUDE }>;

/** Alerts, their outbox and their audit trail: every change and what it calls for commit together. */
@Injectable()
export class EmergenciesRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
  ) {}

  /** A county's active alerts: they preempt its playlists. */
  async liveAlerts(countyCode: string): Promise<LiveAlert[]> {
    const rows = await this.prisma.emergency.findMany({
      where: { countyCode, status: 'active' },
      include: { media: { select: { sha256: true, bytes: true, durationMs: true } } },
      orderBy: [{ level: 'asc' }, { startsAt: 'asc' }],
    });
    return rows.map(liveAlert);
  }

  find(id: string): Promise<AlertRow | null> {
    return this.prisma.emergency.findUnique({ where: { id }, include: ALERT_INCLUDE });
  }

  /**
   * The alert a CAP reference names, among those in a scope: one Dalaba
   * exported (`dalaba-<id>`) or one imported there. Alerts outside the scope
   * are not looked at, so a reference never reaches into another county.
   */
  findByCap(sender: string, identifier: string, scope: Prisma.RegionWhereInput): Promise<AlertRow | null> {
    const own = /^dalaba-([0-9a-f-]{36})$/.exec(identifier);
    const named = own ? { id: own[1] } : { capSender: sender, capIdentifier: identifier };
    return this.prisma.emergency.findFirst({
      where: { ...named, scope },
      orderBy: { createdAt: 'desc' },
      include: ALERT_INCLUDE,
    });
  }

  /** The alert already imported into the county from this upstream alert, if any. */
  importedInto(countyCode: string, sender: string, identifier: string): Promise<{ id: string } | null> {
    return this.prisma.emergency.findUnique({
      where: { countyCode_capSender_capIdentifier: { countyCode, capSender: sender, capIdentifier: identifier } },
      select: { id: true },
    });
  }

  list(scope: Prisma.EmergencyWhereInput, limit: number): Promise<AlertRow[]> {
    return this.prisma.emergency.findMany({
      where: scope,
      orderBy: { createdAt: 'desc' },
      take: limit,
      include: ALERT_INCLUDE,
    });
  }

  async create(alert: NewAlert, audit: Omit<AuditRecord, 'entity' | 'entityId'>): Promise<AlertRow> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.emergency.create({ data: alert, include: ALERT_INCLUDE });
      await this.audit.record(tx, { ...audit, entity: 'emergency', entityId: row.id });
      return row;
    });
  }

  /**
   * Moves an alert from one of `from` to `to` (false when it was no longer in
   * one of them: someone else acted first), recording the action and queuing
   * the dispatches the change calls for, in one transaction.
   */
  async transition(
    id: string,
    from: AlertRow['status'][],
    change: Prisma.EmergencyUncheckedUpdateManyInput & { status: AlertRow['status'] },
    audit: Omit<AuditRecord, 'entity' | 'entityId'>,
    dispatches: Array<{ action: 'activate' | 'end'; dueAt: Date }> = [],
  ): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.emergency.updateMany({ where: { id, status: { in: from } }, data: change });
      if (!count) return false;
      if (dispatches.length)
        await tx.emergencyDispatch.createMany({
          data: dispatches.map((dispatch) => ({ ...dispatch, emergencyId: id })),
        });
      await this.audit.record(tx, { ...audit, entity: 'emergency', entityId: id });
      return true;
    });
  }

  /** Alerts live now, and those cancelled or superseded since a moment. */
  liveOrCancelledSince(since: Date): Promise<AlertRow[]> {
    return this.prisma.emergency.findMany({
      where: { OR: [{ status: 'active' }, { status: { in: ['cancelled', 'superseded'] }, endedAt: { gte: since } }] },
      include: ALERT_INCLUDE,
    });
  }

  /** Outbox rows due and not yet carried out, oldest first; `pushedAt` when only their recompile is left. */
  dueDispatches(now: Date, limit: number): Promise<Array<{ id: string; pushedAt: Date | null }>> {
    return this.prisma.emergencyDispatch.findMany({
      where: { doneAt: null, dueAt: { lte: now } },
      orderBy: { dueAt: 'asc' },
      take: limit,
      select: { id: true, pushedAt: true },
    });
  }

  dispatch(id: string) {
    return this.prisma.emergencyDispatch.findUnique({
      where: { id },
      include: { emergency: { include: ALERT_INCLUDE } },
    });
  }

  /** Moves a dispatch not yet carried out to later: the sweep queues it again then. */
  async postponeDispatch(id: string, dueAt: Date): Promise<void> {
    await this.prisma.emergencyDispatch.updateMany({ where: { id, doneAt: null }, data: { dueAt } });
  }

  /** The urgent part is carried out (state moved, devices told): only the recompile is left. */
  async markPushed(id: string): Promise<void> {
    await this.prisma.emergencyDispatch.updateMany({ where: { id, pushedAt: null }, data: { pushedAt: new Date() } });
  }

  async markDispatched(id: string): Promise<void> {
    await this.prisma.emergencyDispatch.updateMany({ where: { id, doneAt: null }, data: { doneAt: new Date() } });
  }

  /** Per target endpoint: pushed, acknowledged, played, failed (from pushes and receipts for the alert's item). */
  deliveries(alert: AlertRow) {
    return this.prisma.$queryRaw<
      Array<{
        endpoint_id: string;
        name: string;
        region_code: string;
        region_name: string;
        last_seen_at: Date | null;
        pushed: boolean;
        acknowledged: boolean;
        played: boolean;
        failed: boolean;
      }>
    >`
      SELECT e.id AS endpoint_id, e.name, e.region_code, r.name AS region_name, e.last_seen_at,
             p.endpoint_id IS NOT NULL AS pushed,
             COALESCE(bool_or(true) FILTER (WHERE pr.id IS NOT NULL), false) AS acknowledged,
             COALESCE(bool_or(pr.outcome = 'played'), false) AS played,
             COALESCE(bool_or(pr.outcome = 'failed'), false) AS failed
      FROM endpoint e
      JOIN region r ON r.code = e.region_code
      LEFT JOIN emergency_push p ON p.emergency_id = ${alert.id}::uuid AND p.endpoint_id = e.id
      LEFT JOIN play_receipt pr ON pr.endpoint_id = e.id AND pr.item_id = ${alertItemId(alert.id)}
      WHERE e.enrolled_at IS NOT NULL AND e.revoked_at IS NULL
        AND (e.region_code = ANY(${alert.regionCodes}::text[]) OR r.township_code = ANY(${alert.regionCodes}::text[]) OR r.county_code = ANY(${alert.regionCodes}::text[]))
      GROUP BY e.id, r.name, p.endpoint_id
      ORDER BY e.region_code, e.name`;
  }
}

/** An alert row as it airs: its media's rendition is known once the alert is approved. */
export function liveAlert(row: Emergency & { media: Pick<Media, 'sha256' | 'bytes' | 'durationMs'> }): LiveAlert {
  return {
    id: row.id,
    title: row.title,
    level: row.level,
    category: row.category,
    drill: row.drill,
    startsAt: row.startsAt,
    expiresAt: row.expiresAt,
    repeat: row.repeat,
    regionCodes: row.regionCodes,
    media: { sha256: row.media.sha256!, bytes: row.media.bytes!, durationMs: row.media.durationMs! },
  };
}
