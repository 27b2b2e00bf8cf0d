import { ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import type { DevicePrincipal, UserPrincipal } from '../auth/access.decorator';
import { badRequest } from '../infra/http/error-body';
import { type CommandKind, expiryOf } from './domain/commands';
import { CommandCourier } from './command-courier';
import type {
  CommandReportBody,
  CommandView,
  DeliveriesQuery,
  DeliveryView,
  IssueCommandBody,
  ListCommandsQuery,
} from './endpoint-commands.dto';
import { EndpointCommandsRepository, NoTargets } from './endpoint-commands.repository';
import { EndpointsRepository } from './endpoints.repository';

type CommandRow = NonNullable<Awaited<ReturnType<EndpointCommandsRepository['find']>>>;
type DeliveryRow = Awaited<ReturnType<EndpointCommandsRepository['deliveries']>>[number];

/** Operators' commands to loudspeakers, and what the devices report of them. */
@Injectable()
export class EndpointCommandsService {
  private readonly logger = new Logger('EndpointCommands');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly commands: EndpointCommandsRepository,
    private readonly endpoints: EndpointsRepository,
    private readonly courier: CommandCourier,
  ) {}

  /** The access guard has checked the region or endpoint is in the operator's scope. */
  async issue(actor: UserPrincipal, body: IssueCommandBody): Promise<CommandView> {
    const { commandTtlMinutes, commandMaxTtlMinutes } = this.config.endpoints;
    const issuedAt = new Date();
    const expiresAt = expiryOf(issuedAt, body.ttlMinutes, {
      defaultMinutes: commandTtlMinutes,
      maxMinutes: commandMaxTtlMinutes,
    });
    if (!expiresAt)
      throw badRequest('Invalid body', [
        { path: 'body.ttlMinutes', message: `must be at most ${commandMaxTtlMinutes} (COMMAND_MAX_TTL_MINUTES)` },
      ]);
    const endpoint = body.endpointId ? await this.endpoints.find(body.endpointId) : null;
    const regionCode = endpoint?.regionCode ?? body.regionCode!;
    let issued: { id: string; deliveries: number };
    try {
      issued = await this.commands.issue({
        kind: body.kind,
        volume: body.volume ?? null,
        regionCode,
        endpointId: endpoint?.id ?? null,
        issuedById: actor.id,
        issuedAt,
        expiresAt,
      });
    } catch (error) {
      if (!(error instanceof NoTargets)) throw error;
      throw new ConflictException(
        endpoint
          ? `Endpoint ${endpoint.id} is not enrolled (or was revoked): it has no device to command`
          : `No enrolled loudspeaker in region ${regionCode}: nothing to command`,
      );
    }
    this.logger.log(
      `${actor.username} issued ${body.kind} ${issued.id} to ${endpoint ? `endpoint ${endpoint.id}` : `region ${regionCode}`} (${issued.deliveries} devices)`,
    );
    await this.courier.announce({ commandId: issued.id, regionCode, endpointId: endpoint?.id ?? null });
    return this.view((await this.commands.find(issued.id))!);
  }

  async list(actor: UserPrincipal, query: ListCommandsQuery) {
    const rows = await this.commands.list(query.region ?? actor.scopeCode, query);
    return {
      items: rows.map((row) => this.view(row)),
      nextCursor: rows.length === query.limit ? rows[rows.length - 1].id : null,
    };
  }

  /** The access guard has found the command and checked its region. */
  async get(id: string, query: DeliveriesQuery) {
    const [command, deliveries] = await Promise.all([this.commands.find(id), this.commands.deliveries(id, query)]);
    const onlineSince = new Date(Date.now() - this.config.endpoints.onlineSeconds * 1000);
    return {
      command: this.view(command!),
      deliveries: {
        items: deliveries.map((row) => delivery(row, onlineSince)),
        nextCursor: deliveries.length === query.limit ? deliveries[deliveries.length - 1].endpointId : null,
      },
    };
  }

  /** A device's report: 404 for a command not sent to it, 409 once its delivery is done, failed or expired. */
  async report(device: DevicePrincipal, commandId: string, body: CommandReportBody) {
    const outcome = await this.commands.report(commandId, device.endpointId, body, new Date());
    if (!outcome) throw new NotFoundException(`Command ${commandId} was not sent to this device`);
    if (outcome.finished)
      throw new ConflictException(`Command ${commandId} is ${outcome.status} on this device: it takes no more reports`);
    return { id: commandId, status: outcome.status };
  }

  private view(row: CommandRow): CommandView {
    const total = Object.values(row.counts).reduce((sum, count) => sum + count, 0);
    return {
      id: row.id,
      kind: row.kind as CommandKind,
      volume: row.volume,
      regionCode: row.regionCode,
      regionName: row.region.name,
      endpoint: row.endpoint,
      issuedBy: row.issuedBy,
      issuedAt: row.issuedAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      counts: { ...row.counts, total },
    };
  }
}

function delivery(row: DeliveryRow, onlineSince: Date): DeliveryView {
  const { endpoint } = row;
  return {
    endpointId: row.endpointId,
    endpointName: endpoint.name,
    regionCode: endpoint.regionCode,
    status: row.status,
    attempts: row.attempts,
    sentAt: row.sentAt?.toISOString() ?? null,
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    result: row.result,
    reported: {
      volume: endpoint.volume,
      online: !endpoint.revokedAt && endpoint.lastSeenAt !== null && endpoint.lastSeenAt >= onlineSince,
      lastSeenAt: endpoint.lastSeenAt?.toISOString() ?? null,
    },
  };
}
