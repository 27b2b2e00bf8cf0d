import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../infra/database/prisma.service';
import { withinScope } from '../regions/regions.repository';
import {
  applyReport,
  type CommandKind,
  type DeliveryStatus,
  OPEN,
  type ReportedStatus,
  statusCounts,
  UNACKNOWLEDGED,
} from './domain/commands';

export interface NewCommand {
  kind: CommandKind;
  volume: number | null;
  regionCode: string;
  endpointId: string | null;
  issuedById: string;
  issuedAt: Date;
  expiresAt: Date;
}

/** What a device is told of a command over its event stream (the `command` event's data), and to whom it goes. */
export interface CommandToSend {
  commandId: string;
  endpointId: string;
  kind: CommandKind;
  volume: number | null;
  issuedAt: Date;
  expiresAt: Date;
}

/** Thrown inside the issuing transaction when the command reaches no enrolled endpoint: nothing is stored. */
export class NoTargets extends Error {}

const COMMAND_INCLUDE = {
  region: { select: { name: true } },
  endpoint: { select: { id: true, name: true } },
  issuedBy: { select: { id: true, username: true } },
} satisfies Prisma.EndpointCommandInclude;
type CommandRow = Prisma.EndpointCommandGetPayload<{ include: typeof COMMAND_INCLUDE }>;

@Injectable()
export class EndpointCommandsRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Stores the command, one delivery for each enrolled, unrevoked endpoint it
   * targets (one INSERT … SELECT, a county's thousands at once), and who issued
   * it, in one transaction. Returns how many endpoints it reaches.
   */
  issue(command: NewCommand): Promise<{ id: string; deliveries: number }> {
    return this.prisma.$transaction(async (tx) => {
      const { id } = await tx.endpointCommand.create({ data: command, select: { id: true } });
      const target = command.endpointId
        ? Prisma.sql`e.id = ${command.endpointId}::uuid`
        : Prisma.sql`(r.code = ${command.regionCode} OR r.county_code = ${command.regionCode} OR r.township_code = ${command.regionCode})`;
      const deliveries = await tx.$executeRaw`
        INSERT INTO endpoint_command_delivery (command_id, endpoint_id)
        SELECT ${id}::uuid, e.id FROM endpoint e JOIN region r ON r.code = e.region_code
        WHERE ${target} AND e.enrolled_at IS NOT NULL AND e.revoked_at IS NULL`;
      if (!deliveries) throw new NoTargets();
      await this.audit.record(tx, {
        entity: 'endpoint-command',
        entityId: id,
        action: 'issue',
        actorId: command.issuedById,
        details: {
          kind: command.kind,
          volume: command.volume,
          regionCode: command.regionCode,
          endpointId: command.endpointId,
          expiresAt: command.expiresAt.toISOString(),
          deliveries,
        },
      });
      return { id, deliveries };
    });
  }

  regionOf(id: string): Promise<{ regionCode: string } | null> {
    return this.prisma.endpointCommand.findUnique({ where: { id }, select: { regionCode: true } });
  }

  /** One page of the commands issued in a subtree (everywhere for null), newest first, with their delivery counts. */
  async list(regionCode: string | null, page: { limit: number; after?: string }) {
    const rows = await this.prisma.endpointCommand.findMany({
      where: { region: withinScope(regionCode) },
      include: COMMAND_INCLUDE,
      orderBy: [{ issuedAt: 'desc' }, { id: 'desc' }],
      take: page.limit,
      ...(page.after ? { cursor: { id: page.after }, skip: 1 } : {}),
    });
    return this.withCounts(rows);
  }

  async find(id: string) {
    const row = await this.prisma.endpointCommand.findUnique({ where: { id }, include: COMMAND_INCLUDE });
    return row ? (await this.withCounts([row]))[0] : null;
  }

  /** One page of a command's deliveries in endpoint id order, with what each endpoint last reported of itself. */
  deliveries(commandId: string, page: { status?: DeliveryStatus; limit: number; after?: string }) {
    return this.prisma.endpointCommandDelivery.findMany({
      where: {
        commandId,
        ...(page.status ? { status: page.status } : {}),
        ...(page.after ? { endpointId: { gt: page.after } } : {}),
      },
      include: {
        endpoint: { select: { name: true, regionCode: true, volume: true, lastSeenAt: true, revokedAt: true } },
      },
      orderBy: { endpointId: 'asc' },
      take: page.limit,
    });
  }

  private async withCounts(rows: CommandRow[]) {
    const groups = await this.prisma.endpointCommandDelivery.groupBy({
      by: ['commandId', 'status'],
      where: { commandId: { in: rows.map((row) => row.id) } },
      _count: { _all: true },
    });
    return rows.map((row) => ({
      ...row,
      counts: statusCounts(
        groups
          .filter((group) => group.commandId === row.id)
          .map((group) => ({ status: group.status, count: group._count._all })),
      ),
    }));
  }

  /**
   * Records a device's report on its delivery of a command: null when it has
   * none (not its command); `finished` with the status when the delivery no
   * longer takes reports. The row is locked so two reports at once apply in turn.
   */
  report(
    commandId: string,
    endpointId: string,
    reported: { status: ReportedStatus; result?: string },
    now: Date,
  ): Promise<{ status: DeliveryStatus; finished: boolean } | null> {
    return this.prisma.$transaction(async (tx) => {
      const [current] = await tx.$queryRaw<Array<{ status: DeliveryStatus; expires_at: Date }>>`
        SELECT d.status, c.expires_at FROM endpoint_command_delivery d
        JOIN endpoint_command c ON c.id = d.command_id
        WHERE d.command_id = ${commandId}::uuid AND d.endpoint_id = ${endpointId}::uuid
        FOR UPDATE OF d`;
      if (!current) return null;
      const outcome = applyReport(current.status, reported.status, current.expires_at <= now);
      if (outcome === 'finished') return { status: current.status, finished: true };
      const finishing = outcome.status !== 'acknowledged';
      await tx.$executeRaw`
        UPDATE endpoint_command_delivery SET
          status = ${outcome.status}::"CommandDeliveryStatus",
          acknowledged_at = COALESCE(acknowledged_at, ${now}),
          finished_at = ${finishing ? now : null},
          result = COALESCE(${reported.result ?? null}, result)
        WHERE command_id = ${commandId}::uuid AND endpoint_id = ${endpointId}::uuid`;
      return { status: outcome.status, finished: false };
    });
  }

  /**
   * The unexpired deliveries these devices have not acknowledged, in one query:
   * of one command, or of every command (then only those not sent since
   * `resentBefore`, so a device is not told the same thing on every tick).
   */
  unacknowledged(
    endpointIds: string[],
    now: Date,
    which: { commandId: string } | { resentBefore: Date } | Record<string, never>,
  ): Promise<CommandToSend[]> {
    if (!endpointIds.length) return Promise.resolve([]);
    const filter =
      'commandId' in which
        ? Prisma.sql`AND c.id = ${which.commandId}::uuid`
        : 'resentBefore' in which
          ? Prisma.sql`AND (d.sent_at IS NULL OR d.sent_at <= ${which.resentBefore})`
          : Prisma.empty;
    return this.prisma.$queryRaw<CommandToSend[]>`
      SELECT d.command_id AS "commandId", d.endpoint_id AS "endpointId", c.kind, c.volume,
             c.issued_at AS "issuedAt", c.expires_at AS "expiresAt"
      FROM endpoint_command_delivery d JOIN endpoint_command c ON c.id = d.command_id
      WHERE d.endpoint_id = ANY(${endpointIds}::uuid[])
        AND d.status = ANY(${UNACKNOWLEDGED}::"CommandDeliveryStatus"[])
        AND c.expires_at > ${now} ${filter}
      ORDER BY c.issued_at`;
  }

  /** These deliveries were written to a live stream of their device now: sent, one attempt more. */
  async markSent(sent: Array<{ commandId: string; endpointId: string }>, now: Date): Promise<void> {
    if (!sent.length) return;
    await this.prisma.$executeRaw`
      UPDATE endpoint_command_delivery d SET status = 'sent', attempts = d.attempts + 1, sent_at = ${now}
      FROM unnest(${sent.map((s) => s.commandId)}::uuid[], ${sent.map((s) => s.endpointId)}::uuid[]) AS s(command_id, endpoint_id)
      WHERE d.command_id = s.command_id AND d.endpoint_id = s.endpoint_id
        AND d.status = ANY(${UNACKNOWLEDGED}::"CommandDeliveryStatus"[])`;
  }

  /** Deliveries neither done nor failed when their command expired become expired; returns how many did now. */
  expire(now: Date): Promise<number> {
    return this.prisma.$executeRaw`
      UPDATE endpoint_command_delivery d SET status = 'expired', finished_at = c.expires_at
      FROM endpoint_command c
      WHERE c.id = d.command_id AND c.expires_at <= ${now}
        AND d.status = ANY(${OPEN}::"CommandDeliveryStatus"[])`;
  }
}
