import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../infra/database/prisma.service';
import { withinScope, withinSubtree } from '../regions/regions.repository';
import type { SilentEndpoint } from './domain/device-state';

const PLACE = { select: { code: true, name: true, parent: { select: { name: true } } } } as const;

export interface VillageCoverageRow {
  code: string;
  name: string;
  township: string | null;
  endpoints: number;
  awaiting: number;
  offline: number;
  fault: number;
}

/** The fault episodes loudspeakers report, and what the map and the coverage lists read of their state. */
@Injectable()
export class DeviceStateRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Open faults of loudspeakers in service under a region (everywhere for null), newest first. */
  openFaults(regionCode: string | null, limit: number) {
    return this.prisma.endpointFault.findMany({
      where: { closedAt: null, endpoint: { revokedAt: null, region: withinScope(regionCode) } },
      orderBy: [{ openedAt: 'desc' }, { id: 'asc' }],
      take: limit,
      include: {
        endpoint: {
          select: { id: true, name: true, regionCode: true, lastSeenAt: true, revokedAt: true, region: PLACE },
        },
      },
    });
  }

  faultHistory(endpointId: string, limit: number) {
    return this.prisma.endpointFault.findMany({
      where: { endpointId },
      orderBy: [{ openedAt: 'desc' }, { id: 'asc' }],
      take: limit,
    });
  }

  /** Every loudspeaker in service under a region, with what the map needs and nothing more. */
  mapPoints(regionCode: string) {
    return this.prisma.endpoint.findMany({
      where: { revokedAt: null, region: withinSubtree(regionCode) },
      select: {
        id: true,
        name: true,
        regionCode: true,
        longitude: true,
        latitude: true,
        enrolledAt: true,
        revokedAt: true,
        lastSeenAt: true,
        state: true,
        playing: true,
      },
      orderBy: { id: 'asc' },
    });
  }

  /**
   * Villages under a region (everywhere for null) none of whose loudspeakers
   * works now (enrolled, not revoked, heard since `onlineSince`, not in fault),
   * with how many it has and why each does not work; the villages counted too.
   * Those whose loudspeakers are all down come first: someone can fix them today.
   */
  async villagesWithoutWorking(regionCode: string | null, onlineSince: Date, limit: number) {
    const scope = regionCode
      ? Prisma.sql`AND (v.code = ${regionCode} OR v.county_code = ${regionCode} OR v.township_code = ${regionCode})`
      : Prisma.empty;
    // Never heard (a null last_seen_at) is not heard lately: coalesce, or NOT would keep the null.
    const heard = Prisma.sql`e.enrolled_at IS NOT NULL AND coalesce(e.last_seen_at >= ${onlineSince}, false)`;
    const rows = await this.prisma.$queryRaw<Array<VillageCoverageRow & { silent: bigint; villages: bigint }>>`
      SELECT v.code, v.name, t.name AS township,
        count(e.id)::int AS endpoints,
        count(e.id) FILTER (WHERE e.enrolled_at IS NULL)::int AS awaiting,
        count(e.id) FILTER (WHERE e.enrolled_at IS NOT NULL AND NOT (${heard}))::int AS offline,
        count(e.id) FILTER (WHERE ${heard} AND e.state = 'fault')::int AS fault,
        count(*) OVER () AS silent,
        (SELECT count(*) FROM region v WHERE v.level = 'village' ${scope}) AS villages
      FROM region v
      LEFT JOIN region t ON t.code = v.township_code
      LEFT JOIN endpoint e ON e.region_code = v.code AND e.revoked_at IS NULL
      WHERE v.level = 'village' ${scope}
      GROUP BY v.code, v.name, t.name
      HAVING count(e.id) FILTER (WHERE ${heard} AND e.state IS DISTINCT FROM 'fault') = 0
      ORDER BY count(e.id) = 0, v.code
      LIMIT ${limit}`;
    const villages = rows.length
      ? Number(rows[0].villages)
      : await this.prisma.region.count({ where: { level: 'village', ...withinScope(regionCode) } });
    return { rows, silent: rows.length ? Number(rows[0].silent) : 0, villages };
  }

  /** Enrolled loudspeakers silent since before `before` whose outage no notice has named yet, with where they stand. */
  unnamedOutages(before: Date) {
    return this.prisma.$queryRaw<Array<SilentEndpoint & { place: string }>>`
      SELECT e.id, e.name, e.region_code AS "regionCode", e.last_seen_at AS "lastSeenAt",
        concat(p.name, r.name) AS place
      FROM endpoint e
      JOIN region r ON r.code = e.region_code
      LEFT JOIN region p ON p.code = r.parent_code
      WHERE e.enrolled_at IS NOT NULL AND e.revoked_at IS NULL AND e.last_seen_at < ${before}
        AND e.offline_notice_for IS DISTINCT FROM e.last_seen_at
      ORDER BY e.region_code, e.last_seen_at`;
  }

  /** Marks these outages named, unless a loudspeaker has spoken since (its next outage is another one). */
  async outagesNamed(ids: string[], before: Date): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE endpoint SET offline_notice_for = last_seen_at WHERE id = ANY(${ids}::uuid[]) AND last_seen_at < ${before}`;
  }

  /** Open faults whose notice is not raised yet (the process that opened one stopped before it could). */
  unnotifiedFaults() {
    return this.prisma.endpointFault.findMany({ where: { closedAt: null, notifiedAt: null }, select: { id: true } });
  }

  faultToNotify(id: string) {
    return this.prisma.endpointFault.findUnique({
      where: { id },
      include: { endpoint: { select: { id: true, name: true, regionCode: true, region: PLACE } } },
    });
  }

  async faultNotified(id: string, at: Date): Promise<void> {
    await this.prisma.endpointFault.update({ where: { id }, data: { notifiedAt: at } });
  }
}
