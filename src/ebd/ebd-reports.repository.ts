import { Injectable } from '@nestjs/common';
import type { EbdLink } from '../generated/prisma/client';
import { PrismaService } from '../infra/database/prisma.service';
import type { AlertProgress } from './domain/broadcast-state';
import { MsgType } from './domain/codes';
import type { ReportWindow } from './domain/details';
import { ebmDate } from './domain/ebd-time';
import { newEbmId } from './domain/ids';
import { msgTypeOf } from './domain/local-alert';
import { EbdLinksRepository } from './ebd-links.repository';

// A sweep looks at this many messages at a time; the next second takes the rest.
const SWEEP_BATCH = 200;

/** A message whose state is reported up, with what its alert's state is made of. */
export interface TrackedMessage extends AlertProgress {
  id: string;
  countyCode: string;
  ebmId: string;
  /** The package that carried the EBM (from above, or ours going up): RelatedEBD of its state responses. */
  ebdId: string | null;
  reportedState: number | null;
  emergencyId: string;
  regionCodes: string[];
}

export interface TerminalRow {
  ebrid: string;
  name: string;
  regionName: string;
  longitude: number | null;
  latitude: number | null;
  lastSeenAt: Date | null;
  playing: boolean | null;
  revokedAt: Date | null;
}

export interface LoggedAlert extends AlertProgress {
  id: string;
  title: string;
  text: string | null;
  level: number;
  category: string;
  drill: boolean;
  regionCodes: string[];
  startsAt: Date;
  expiresAt: Date;
  approvedAt: Date | null;
  createdAt: Date;
  /** The alert came from above (drafted by the link's account). */
  fromAbove: boolean;
  /** Its message's EBMID and MsgType, once it has one. */
  ebmId: string | null;
  msgType: number | null;
}

const TRACKED_COLUMNS = `m.id, m.county_code AS "countyCode", m.ebm_id AS "ebmId", m.ebd_id AS "ebdId",
  m.reported_state AS "reportedState", e.id AS "emergencyId", e.status::text AS status,
  e.activated_at AS "activatedAt", md.status = 'failed' AS "mediaFailed", e.region_codes AS "regionCodes"`;
const TRACKED_FROM = `ebd_message m JOIN emergency e ON e.id = m.emergency_id JOIN media md ON md.id = e.media_id`;

/** What the reports up are built from, and the bookkeeping of what was reported. */
@Injectable()
export class EbdReportsRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly links: EbdLinksRepository,
  ) {}

  /**
   * Messages whose state is reported and not final yet, of enabled links. A
   * local alert's message waits until its EBM has gone up (ebd_id set), so
   * no state of it reaches the upper platform before the message itself.
   */
  messagesToSweep(): Promise<TrackedMessage[]> {
    return this.prisma.$queryRawUnsafe<TrackedMessage[]>(
      `SELECT ${TRACKED_COLUMNS} FROM ${TRACKED_FROM} JOIN ebd_link l ON l.county_code = m.county_code AND l.enabled
       WHERE m.reported AND m.ebd_id IS NOT NULL AND (m.reported_state IS NULL OR m.reported_state NOT IN (3, 4, 5))
       ORDER BY m.created_at LIMIT ${SWEEP_BATCH}`,
    );
  }

  /** The message an EBMID names in a county, with its alert (the EBM's, not a cancel of it). */
  async message(countyCode: string, ebmId: string): Promise<TrackedMessage | null> {
    const [row] = await this.prisma.$queryRawUnsafe<TrackedMessage[]>(
      `SELECT ${TRACKED_COLUMNS} FROM ${TRACKED_FROM} WHERE m.county_code = $1 AND m.ebm_id = $2`,
      countyCode,
      ebmId,
    );
    return row ?? null;
  }

  /** Moves a message's reported state from what this process read: false when another process did it first. */
  async claimState(id: string, from: number | null, to: number | null): Promise<boolean> {
    const claimed = await this.prisma.$executeRaw`
      UPDATE ebd_message SET reported_state = ${to} WHERE id = ${id}::uuid AND reported_state IS NOT DISTINCT FROM ${from}`;
    return claimed === 1;
  }

  /**
   * The county's loudspeakers in one query: all current ones, or (with an
   * incremental window) those added or revoked within it.
   */
  terminals(countyCode: string, changedWithin?: ReportWindow): Promise<TerminalRow[]> {
    const changed = changedWithin
      ? `AND (e.created_at BETWEEN $2 AND $3 OR e.revoked_at BETWEEN $2 AND $3)`
      : 'AND e.revoked_at IS NULL';
    return this.prisma.$queryRawUnsafe<TerminalRow[]>(
      `SELECT e.ebrid, e.name, r.name AS "regionName", e.longitude, e.latitude, e.last_seen_at AS "lastSeenAt",
              e.playing, e.revoked_at AS "revokedAt"
       FROM endpoint e JOIN region r ON r.code = e.region_code
       WHERE r.county_code = $1 AND e.ebrid IS NOT NULL ${changed}
       ORDER BY e.ebrid`,
      countyCode,
      ...(changedWithin ? [changedWithin.start, changedWithin.end] : []),
    );
  }

  /**
   * The county's alerts that aired or were meant to within a window: approved
   * ones, and those from above still waiting for a local approver, whose
   * time on air (start to end or expiry) overlaps it.
   */
  loggedAlerts(link: EbdLink, window: ReportWindow): Promise<LoggedAlert[]> {
    return this.prisma.$queryRaw<LoggedAlert[]>`
      SELECT e.id, e.title, e.text, e.level, e.category, e.drill, e.region_codes AS "regionCodes",
             e.starts_at AS "startsAt", e.expires_at AS "expiresAt", e.approved_at AS "approvedAt",
             e.created_at AS "createdAt", e.drafted_by_id = ${link.accountId}::uuid AS "fromAbove",
             e.status::text AS status, e.activated_at AS "activatedAt", md.status = 'failed' AS "mediaFailed",
             m.ebm_id AS "ebmId", m.msg_type AS "msgType"
      FROM emergency e JOIN media md ON md.id = e.media_id
      LEFT JOIN LATERAL (
        SELECT ebm_id, msg_type FROM ebd_message
        WHERE emergency_id = e.id AND msg_type <> 2 ORDER BY created_at LIMIT 1
      ) m ON true
      WHERE e.county_code = ${link.countyCode}
        AND (e.approved_at IS NOT NULL OR e.drafted_by_id = ${link.accountId}::uuid)
        AND e.starts_at <= ${window.end} AND COALESCE(e.ended_at, e.expires_at) >= ${window.start}
      ORDER BY e.starts_at`;
  }

  /**
   * Local alerts approved since the link was made (and within the last day)
   * that have not gone up as an EBM yet: a sweep finds them again after a
   * restart until their EBM is committed to the outbox.
   */
  async localAlertsToReport(): Promise<Array<{ id: string; countyCode: string }>> {
    return this.prisma.$queryRaw<Array<{ id: string; countyCode: string }>>`
      SELECT e.id, e.county_code AS "countyCode"
      FROM emergency e JOIN ebd_link l ON l.county_code = e.county_code
      WHERE l.enabled AND l.report_local_alerts AND e.approved_at IS NOT NULL AND e.drafted_by_id <> l.account_id
        AND e.approved_at >= GREATEST(l.created_at, now() - interval '1 day')
        AND NOT EXISTS (SELECT 1 FROM ebd_message m WHERE m.emergency_id = e.id AND m.ebd_id IS NOT NULL)
      ORDER BY e.approved_at LIMIT ${SWEEP_BATCH}`;
  }

  /**
   * The EBMID an alert is known by up there: the upper platform's for an
   * alert from above, else this platform's, minted once (an outbound message,
   * its states reported when `reported`). Minting is serialised per county,
   * so two processes never give one alert two EBMIDs.
   */
  async ebmIdOf(link: EbdLink, alertId: string, reported: boolean): Promise<string> {
    const known = await this.knownEbmId(alertId);
    if (known) return known;
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`ebd-ebm:${link.countyCode}`}))`;
      const minted = await tx.ebdMessage.findFirst({
        where: { emergencyId: alertId, msgType: { not: MsgType.Cancel } },
        select: { ebmId: true },
      });
      if (minted) return minted.ebmId;
      const date = ebmDate(new Date());
      const ebmId = newEbmId(link.ebrid, date, await this.links.takeEbmSequence(link.countyCode, date));
      const alert = await tx.emergency.findUniqueOrThrow({ where: { id: alertId }, select: { drill: true } });
      await tx.ebdMessage.create({
        data: {
          countyCode: link.countyCode,
          ebmId,
          direction: 'outbound',
          msgType: msgTypeOf(alert.drill),
          emergencyId: alertId,
          reported,
        },
      });
      return ebmId;
    });
  }

  private async knownEbmId(alertId: string): Promise<string | null> {
    const found = await this.prisma.ebdMessage.findFirst({
      where: { emergencyId: alertId, msgType: { not: MsgType.Cancel } },
      orderBy: { createdAt: 'asc' },
      select: { ebmId: true },
    });
    return found?.ebmId ?? null;
  }

  /**
   * Sends a local alert's EBM once: the message row is locked (another
   * process skips it) while `send` commits the package, and records the
   * package that carried it. A crash before the commit sends it again, with
   * the same EBMID (the upper platform takes a repeat as the same message).
   */
  async sendOnce(ebmId: string, countyCode: string, send: () => Promise<{ ebdId: string }>): Promise<boolean> {
    return this.prisma.$transaction(
      async (tx) => {
        const [row] = await tx.$queryRaw<Array<{ id: string }>>`
          SELECT id FROM ebd_message WHERE county_code = ${countyCode} AND ebm_id = ${ebmId} AND ebd_id IS NULL
          FOR UPDATE SKIP LOCKED`;
        if (!row) return false;
        const sent = await send();
        await tx.$executeRaw`UPDATE ebd_message SET ebd_id = ${sent.ebdId}, reported = true WHERE id = ${row.id}::uuid`;
        return true;
      },
      { timeout: 60_000 },
    );
  }
}
