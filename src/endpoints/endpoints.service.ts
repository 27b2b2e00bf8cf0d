import { Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import type { DevicePrincipal, UserPrincipal } from '../auth/access.decorator';
import { Endpoint } from '../generated/prisma/client';
import { generateDeviceToken, generateEnrollmentCode, hashEnrollmentCode, hashSecret } from './domain/secrets';
import { DeviceRevocations } from './device-revocations';
import { EndpointsRepository } from './endpoints.repository';
import type {
  CreateEndpointBody,
  EndpointView,
  EnrollBody,
  HeartbeatBody,
  ListEndpointsQuery,
  UpdateEndpointBody,
} from './endpoints.dto';
import { isOnline, onlineSince } from './domain/device-state';
import { EndpointWatch } from './endpoint-watch';
import { Heartbeats } from './heartbeats';

const ENROLLMENT_REFUSED = {
  unknown: 'Enrollment code not recognised',
  used: 'Enrollment code has already been used; ask the operator for a new one',
  expired: 'Enrollment code has expired; ask the operator for a new one',
} as const;

@Injectable()
export class EndpointsService {
  private readonly logger = new Logger('Endpoints');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly endpoints: EndpointsRepository,
    private readonly revocations: DeviceRevocations,
    private readonly watch: EndpointWatch,
    private readonly heartbeats: Heartbeats,
  ) {}

  async create(actor: UserPrincipal, body: CreateEndpointBody) {
    const code = this.newCode(actor);
    const endpoint = await this.endpoints.createWithCode(body, code.stored);
    return {
      id: endpoint.id,
      regionCode: endpoint.regionCode,
      name: endpoint.name,
      enrollmentCode: code.plain,
      enrollmentExpiresAt: code.stored.expiresAt.toISOString(),
    };
  }

  async reissueCode(actor: UserPrincipal, endpointId: string) {
    const code = this.newCode(actor);
    await this.endpoints.replaceCode(endpointId, code.stored);
    return { endpointId, enrollmentCode: code.plain, expiresAt: code.stored.expiresAt.toISOString() };
  }

  async enroll(body: EnrollBody) {
    const token = generateDeviceToken();
    const tokenHash = hashSecret(token);
    const outcome = await this.endpoints.enroll(hashEnrollmentCode(body.enrollmentCode), body, tokenHash, new Date());
    if (!outcome.ok) throw new UnauthorizedException(ENROLLMENT_REFUSED[outcome.reason]);
    // A re-enrolled device's previous token stops working here as when it is revoked.
    await this.revocations.changed(outcome.endpointId, tokenHash);
    await this.heartbeats.forget(outcome.endpointId);
    this.logger.log(`endpoint ${outcome.endpointId} enrolled (serial ${body.serial})`);
    return { endpointId: outcome.endpointId, token };
  }

  async revoke(actor: UserPrincipal, endpointId: string): Promise<EndpointView> {
    const endpoint = await this.endpoints.revoke(endpointId, new Date());
    await this.revocations.changed(endpointId, null);
    await this.heartbeats.forget(endpointId);
    this.logger.log(`endpoint ${endpointId} revoked by ${actor.username}`);
    return this.view(endpoint, this.onlineSince());
  }

  async locate(actor: UserPrincipal, endpointId: string, place: UpdateEndpointBody): Promise<EndpointView> {
    const endpoint = await this.endpoints.locate(endpointId, place);
    this.logger.log(`endpoint ${endpointId} placed at ${JSON.stringify(place)} by ${actor.username}`);
    return this.view(endpoint, this.onlineSince());
  }

  async get(endpointId: string): Promise<EndpointView> {
    const [endpoint] = await this.heartbeats.fresh([(await this.endpoints.find(endpointId))!]);
    return this.view(endpoint, this.onlineSince());
  }

  async list(actor: UserPrincipal, query: ListEndpointsQuery) {
    const region = query.region ?? actor.scopeCode;
    const onlineSince = this.onlineSince();
    const page = await this.endpoints.list(region, query, onlineSince);
    return {
      items: (await this.heartbeats.fresh(page.items)).map((endpoint) => this.view(endpoint, onlineSince)),
      nextCursor: page.items.length === query.limit ? page.items[page.items.length - 1].id : null,
      counts: { total: page.total, online: page.online },
    };
  }

  async heartbeat(device: DevicePrincipal, body: HeartbeatBody) {
    const now = new Date();
    const opened = await this.heartbeats.record(device.endpointId, body, now);
    // The fault is recorded either way; a notice this fails to raise, the watch raises on its next sweep.
    if (opened)
      await this.watch.faultOpened(opened).catch((error: Error) => this.logger.warn(`fault notice: ${error.message}`));
    return { serverTime: now.toISOString() };
  }

  private newCode(actor: UserPrincipal) {
    const plain = generateEnrollmentCode();
    const expiresAt = new Date(Date.now() + this.config.endpoints.enrollmentCodeTtlHours * 3600_000);
    return { plain, stored: { codeHash: hashEnrollmentCode(plain), expiresAt, createdById: actor.id } };
  }

  private onlineSince(): Date {
    return onlineSince(this.config.endpoints.onlineSeconds);
  }

  private view(endpoint: Endpoint, onlineSince: Date): EndpointView {
    return {
      id: endpoint.id,
      regionCode: endpoint.regionCode,
      name: endpoint.name,
      status: endpoint.revokedAt ? 'revoked' : endpoint.enrolledAt ? 'enrolled' : 'awaiting_enrollment',
      online: isOnline(endpoint, onlineSince),
      serial: endpoint.serial,
      ebrid: endpoint.ebrid,
      longitude: endpoint.longitude,
      latitude: endpoint.latitude,
      address: endpoint.address,
      lastSeenAt: endpoint.lastSeenAt?.toISOString() ?? null,
      volume: endpoint.volume,
      playing: endpoint.playing,
      freeBytes: endpoint.freeBytes === null ? null : Number(endpoint.freeBytes),
      version: endpoint.version,
      state: endpoint.state,
      fault: endpoint.faultCode === null ? null : { code: endpoint.faultCode, text: endpoint.faultText ?? '' },
      muted: endpoint.muted,
      clockOffsetMs: endpoint.clockOffsetMs === null ? null : Number(endpoint.clockOffsetMs),
      enrolledAt: endpoint.enrolledAt?.toISOString() ?? null,
      revokedAt: endpoint.revokedAt?.toISOString() ?? null,
      createdAt: endpoint.createdAt.toISOString(),
    };
  }
}
