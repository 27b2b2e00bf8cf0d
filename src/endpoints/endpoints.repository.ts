import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/database/prisma.service';
import { Endpoint, Prisma } from '../generated/prisma/client';
import { withinScope, withinSubtree } from '../regions/regions.repository';
import type { DevicePrincipal } from '../auth/access.decorator';
import { LocalDate, toDbDate } from '../kernel/county-time';
import type { DeviceReportSource, PlayReport, ReportingEndpoint } from '../scheduling/device-reports';
import type { EnrollBody, HeartbeatBody, UpdateEndpointBody } from './endpoints.dto';

export type EnrollmentOutcome =
  { ok: true; endpointId: string } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/** That an endpoint holds this version of a date's playlist, as of a pull. */
export interface FetchRecord {
  endpointId: string;
  date: LocalDate;
  version: string;
  fetchedAt: Date;
}

interface NewCode {
  codeHash: string;
  expiresAt: Date;
  createdById: string;
}

/**
 * Where the installer says the device stands, unless an operator placed it
 * already (their word wins, also over a later re-installation's).
 */
function installedAt(endpoint: Endpoint, device: EnrollBody) {
  if (!device.location) return {};
  const { longitude, latitude, address } = device.location;
  return {
    ...(endpoint.longitude === null ? { longitude, latitude } : {}),
    ...(endpoint.address === null && address ? { address } : {}),
  };
}

@Injectable()
export class EndpointsRepository implements DeviceReportSource {
  constructor(private readonly prisma: PrismaService) {}

  createWithCode(endpoint: { regionCode: string; name: string }, code: NewCode): Promise<Endpoint> {
    return this.prisma.endpoint.create({
      data: { ...endpoint, createdById: code.createdById, enrollmentCodes: { create: code } },
    });
  }

  /** A fresh code replaces any unused one, so only the newest code handed out works. */
  async replaceCode(endpointId: string, code: NewCode): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.enrollmentCode.deleteMany({ where: { endpointId, usedAt: null } }),
      this.prisma.enrollmentCode.create({ data: { ...code, endpointId } }),
    ]);
  }

  /**
   * Spends the code and gives the endpoint its token in one transaction. The
   * conditional update makes the code single-use even under concurrent calls.
   */
  enroll(codeHash: string, device: EnrollBody, tokenHash: string, now: Date): Promise<EnrollmentOutcome> {
    return this.prisma.$transaction(async (tx) => {
      const spent = await tx.enrollmentCode.updateMany({
        where: { codeHash, usedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      const code = await tx.enrollmentCode.findUnique({ where: { codeHash } });
      if (!code) return { ok: false, reason: 'unknown' };
      if (spent.count === 0) return { ok: false, reason: code.usedAt ? 'used' : 'expired' };
      const endpoint = await tx.endpoint.findUniqueOrThrow({ where: { id: code.endpointId } });
      await tx.endpoint.update({
        where: { id: code.endpointId },
        data: { tokenHash, serial: device.serial, enrolledAt: now, revokedAt: null, ...installedAt(endpoint, device) },
      });
      return { ok: true, endpointId: code.endpointId };
    });
  }

  locate(id: string, place: UpdateEndpointBody): Promise<Endpoint> {
    return this.prisma.endpoint.update({ where: { id }, data: place });
  }

  /** A revoked device says nothing more: its open fault ends here, or it would stay open for ever. */
  async revoke(id: string, now: Date): Promise<Endpoint> {
    const [, , endpoint] = await this.prisma.$transaction([
      this.prisma.enrollmentCode.deleteMany({ where: { endpointId: id, usedAt: null } }),
      this.prisma.endpointFault.updateMany({ where: { endpointId: id, closedAt: null }, data: { closedAt: now } }),
      this.prisma.endpoint.update({
        where: { id },
        data: { tokenHash: null, revokedAt: now, faultCode: null, faultText: null },
      }),
    ]);
    return endpoint;
  }

  /** The live devices of these token digests (one statement, however many); a digest named by none is left out. */
  async devicesByTokenHashes(tokenHashes: string[]): Promise<DevicePrincipal[]> {
    const found = await this.prisma.endpoint.findMany({
      where: { tokenHash: { in: tokenHashes } },
      select: { id: true, regionCode: true, tokenHash: true },
    });
    return found.map((endpoint) => ({
      type: 'device',
      endpointId: endpoint.id,
      regionCode: endpoint.regionCode,
      tokenHash: endpoint.tokenHash!,
    }));
  }

  /** The current token digest (null: revoked) of these endpoints, or of every endpoint revoked or enrolled since a moment. */
  async currentTokens(
    which: { ids: string[] } | { changedSince: Date },
  ): Promise<Array<{ id: string; tokenHash: string | null }>> {
    const where: Prisma.EndpointWhereInput =
      'ids' in which
        ? { id: { in: which.ids } }
        : { OR: [{ revokedAt: { gte: which.changedSince } }, { enrolledAt: { gte: which.changedSince } }] };
    return this.prisma.endpoint.findMany({ where, select: { id: true, tokenHash: true } });
  }

  regionOf(id: string): Promise<{ regionCode: string } | null> {
    return this.prisma.endpoint.findUnique({ where: { id }, select: { regionCode: true } });
  }

  find(id: string): Promise<Endpoint | null> {
    return this.prisma.endpoint.findUnique({ where: { id } });
  }

  /**
   * A beat Postgres must hear at once (heartbeats.ts says which; the rest are
   * flushed in batches): one UPDATE when the fault it reports is the one on record. Only a change of fault takes the
   * transaction that closes the open episode and opens the new one; the id of
   * an episode opened here is returned, to be notified.
   */
  async recordHeartbeat(id: string, report: HeartbeatBody, now: Date): Promise<string | null> {
    const faultCode = report.fault?.code ?? null;
    const data = {
      lastSeenAt: now,
      volume: report.volume,
      playing: report.playing ?? null,
      freeBytes: report.freeBytes ?? null,
      version: report.version ?? null,
      state: report.state ?? null,
      muted: report.muted ?? null,
      clockOffsetMs: report.clockOffsetMs === undefined ? null : BigInt(report.clockOffsetMs),
      faultText: report.fault?.text ?? null,
      ...(report.held?.media ? { heldMedia: report.held.media } : {}),
    };
    const unchanged = await this.prisma.endpoint.updateMany({ where: { id, faultCode }, data });
    if (unchanged.count > 0) return null;
    return this.prisma.$transaction(async (tx) => {
      const [before] = await tx.$queryRaw<Array<{ fault_code: string | null }>>`
        SELECT fault_code FROM endpoint WHERE id = ${id}::uuid FOR UPDATE`;
      if (!before) return null;
      await tx.endpoint.updateMany({ where: { id }, data: { ...data, faultCode } });
      // A heartbeat racing this one may have made the change already.
      if (before.fault_code === faultCode) return null;
      await tx.endpointFault.updateMany({ where: { endpointId: id, closedAt: null }, data: { closedAt: now } });
      if (!report.fault) return null;
      const opened = await tx.endpointFault.create({
        data: { endpointId: id, code: report.fault.code, text: report.fault.text, openedAt: now },
        select: { id: true },
      });
      return opened.id;
    });
  }

  /**
   * Writes a batch of beats kept in Redis in one statement (100,000 endpoints
   * beating once a minute: a few statements a minute). A beat older than the
   * one on record (written at once meanwhile) changes nothing.
   */
  async flushHeartbeats(
    beats: Array<{ endpointId: string; seenAt: Date; freeBytes: number | null; clockOffsetMs: number | null }>,
  ): Promise<number> {
    if (!beats.length) return 0;
    const ids = beats.map((beat) => beat.endpointId);
    const seen = beats.map((beat) => beat.seenAt.toISOString());
    const free = beats.map((beat) => (beat.freeBytes === null ? null : String(beat.freeBytes)));
    const offsets = beats.map((beat) => (beat.clockOffsetMs === null ? null : String(beat.clockOffsetMs)));
    return this.prisma.$executeRaw`
      UPDATE endpoint e SET last_seen_at = b.seen_at, free_bytes = b.free_bytes, clock_offset_ms = b.clock_offset_ms
      FROM unnest(${ids}::uuid[], ${seen}::timestamptz[], ${free}::bigint[], ${offsets}::bigint[])
        AS b(id, seen_at, free_bytes, clock_offset_ms)
      WHERE e.id = b.id AND (e.last_seen_at IS NULL OR e.last_seen_at < b.seen_at)`;
  }

  /**
   * Records which version each endpoint holds for a date, many in one
   * statement (one endpoint and date at most once in it). A record older
   * than the one stored (a concurrent batch committed after this one began)
   * changes nothing; sorted, so that batches taking the same rows lock them
   * in the same order and cannot deadlock.
   */
  async recordFetches(fetches: FetchRecord[]): Promise<void> {
    if (!fetches.length) return;
    const sorted = [...fetches].sort((a, b) => compare(a.endpointId, b.endpointId) || compare(a.date, b.date));
    await this.prisma.$executeRaw`
      INSERT INTO playlist_fetch (endpoint_id, date, version, fetched_at)
      SELECT * FROM unnest(
        ${sorted.map((fetch) => fetch.endpointId)}::uuid[], ${sorted.map((fetch) => fetch.date)}::date[],
        ${sorted.map((fetch) => fetch.version)}::text[], ${sorted.map((fetch) => fetch.fetchedAt.toISOString())}::timestamptz[])
      ON CONFLICT (endpoint_id, date) DO UPDATE SET version = EXCLUDED.version, fetched_at = EXCLUDED.fetched_at
        WHERE playlist_fetch.fetched_at <= EXCLUDED.fetched_at`;
  }

  async recordPushes(emergencyId: string, endpointIds: string[], pushedAt: Date): Promise<void> {
    await this.prisma.emergencyPush.createMany({
      data: endpointIds.map((endpointId) => ({ emergencyId, endpointId, pushedAt })),
      skipDuplicates: true,
    });
  }

  /** Which of these endpoints have been pushed the alert already (by any process). */
  async pushedEndpoints(emergencyId: string, endpointIds: string[]): Promise<Set<string>> {
    if (!endpointIds.length) return new Set();
    const rows = await this.prisma.emergencyPush.findMany({
      where: { emergencyId, endpointId: { in: endpointIds } },
      select: { endpointId: true },
    });
    return new Set(rows.map((row) => row.endpointId));
  }

  /** Which of these alerts have been pushed to the endpoint already (by any process). */
  async pushedAlerts(endpointId: string, emergencyIds: string[]): Promise<Set<string>> {
    const rows = await this.prisma.emergencyPush.findMany({
      where: { endpointId, emergencyId: { in: emergencyIds } },
      select: { emergencyId: true },
    });
    return new Set(rows.map((row) => row.emergencyId));
  }

  /** Stores receipts, skipping ids already stored (a retried batch); returns how many were new. */
  async storeReceipts(
    endpointId: string,
    receipts: Array<{
      id: string;
      itemId: string;
      date: LocalDate;
      startedAt: Date;
      endedAt: Date;
      outcome: 'played' | 'failed' | 'interrupted' | 'acknowledged';
    }>,
  ): Promise<number> {
    const { count } = await this.prisma.playReceipt.createMany({
      data: receipts.map((receipt) => ({ ...receipt, endpointId, date: toDbDate(receipt.date) })),
      skipDuplicates: true,
    });
    return count;
  }

  /** One page of the subtree's endpoints (everywhere for null) in id order, with the subtree's totals. */
  async list(regionCode: string | null, page: { limit: number; after?: string; online?: boolean }, onlineSince: Date) {
    const subtree: Prisma.EndpointWhereInput = { region: withinScope(regionCode) };
    // Online as EndpointsService.view says it: a recent heartbeat from a device not revoked.
    const isOnline: Prisma.EndpointWhereInput = { revokedAt: null, lastSeenAt: { gte: onlineSince } };
    const isOffline: Prisma.EndpointWhereInput = {
      OR: [{ revokedAt: { not: null } }, { lastSeenAt: null }, { lastSeenAt: { lt: onlineSince } }],
    };
    const seen: Prisma.EndpointWhereInput = page.online === undefined ? {} : page.online ? isOnline : isOffline;
    const [items, total, online] = await Promise.all([
      this.prisma.endpoint.findMany({
        where: { ...subtree, ...seen, ...(page.after ? { id: { gt: page.after } } : {}) },
        orderBy: { id: 'asc' },
        take: page.limit,
      }),
      this.prisma.endpoint.count({ where: subtree }),
      this.prisma.endpoint.count({ where: { ...subtree, ...isOnline } }),
    ]);
    return { items, total, online };
  }

  /** Enrolled, unrevoked endpoints under a region, with what they fetched for a date. */
  async endpointsUnder(regionCode: string, date: LocalDate): Promise<ReportingEndpoint[]> {
    const rows = await this.prisma.endpoint.findMany({
      where: { region: withinSubtree(regionCode), enrolledAt: { not: null }, revokedAt: null },
      select: {
        id: true,
        name: true,
        regionCode: true,
        region: { select: { townshipCode: true } },
        lastSeenAt: true,
        heldMedia: true,
        fetches: { where: { date: toDbDate(date) }, select: { version: true } },
      },
      orderBy: { id: 'asc' },
    });
    return rows.map(({ fetches, region, ...endpoint }) => ({
      ...endpoint,
      townshipCode: region.townshipCode,
      fetchedVersion: fetches[0]?.version ?? null,
    }));
  }

  receiptsOf(endpointIds: string[], date: LocalDate): Promise<PlayReport[]> {
    return this.prisma.playReceipt.findMany({
      where: { date: toDbDate(date), endpointId: { in: endpointIds } },
      select: { endpointId: true, itemId: true, outcome: true },
    });
  }

  async purgeUnusedCodesExpiredBefore(before: Date): Promise<number> {
    return (await this.prisma.enrollmentCode.deleteMany({ where: { usedAt: null, expiresAt: { lt: before } } })).count;
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
