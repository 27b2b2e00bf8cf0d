import { Inject, Injectable, Logger, OnModuleInit, UnauthorizedException } from '@nestjs/common';
import { EventBus } from '../infra/redis/event-bus';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import type { DevicePrincipal, UserPrincipal } from '../auth/access.decorator';
import { Endpoint } from '../generated/prisma/client';
import { generateDeviceToken, generateEnrollmentCode, hashEnrollmentCode, hashSecret } from './domain/secrets';
import { EndpointsRepository } from './endpoints.repository';
import type { CreateEndpointBody, EndpointView, EnrollBody, HeartbeatBody, ListEndpointsQuery } from './endpoints.dto';

const ENROLLMENT_REFUSED = {
  unknown: 'Enrollment code not recognised',
  used: 'Enrollment code has already been used; ask the operator for a new one',
  expired: 'Enrollment code has expired; ask the operator for a new one',
} as const;

// A known device token is trusted this long without asking Postgres again;
// revoking one evicts it at once, in every process (through the event bus).
const DEVICE_CACHE_MS = 5 * 60_000;
const DEVICE_CACHE_LIMIT = 200_000;

@Injectable()
export class EndpointsService implements OnModuleInit {
  private readonly logger = new Logger('Endpoints');
  private readonly devices = new Map<string, { principal: DevicePrincipal; until: number }>();
  private readonly tokenOf = new Map<string, string>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly endpoints: EndpointsRepository,
    private readonly bus: EventBus,
  ) {}

  onModuleInit(): void {
    this.bus.on('device-revoked', ({ endpointId }) => this.forgetDevice(endpointId));
  }

  async create(actor: UserPrincipal, body: CreateEndpointBody) {
    const code = this.newCode(actor);
    const endpoint = await this.endpoints.createWithCode(body, code.stored);
    return { id: endpoint.id, regionCode: endpoint.regionCode, name: endpoint.name, enrollmentCode: code.plain, enrollmentExpiresAt: code.stored.expiresAt.toISOString() };
  }

  async reissueCode(actor: UserPrincipal, endpointId: string) {
    const code = this.newCode(actor);
    await this.endpoints.replaceCode(endpointId, code.stored);
    return { endpointId, enrollmentCode: code.plain, expiresAt: code.stored.expiresAt.toISOString() };
  }

  async enroll(body: EnrollBody) {
    const token = generateDeviceToken();
    const outcome = await this.endpoints.enroll(hashEnrollmentCode(body.enrollmentCode), body.serial, hashSecret(token), new Date());
    if (!outcome.ok) throw new UnauthorizedException(ENROLLMENT_REFUSED[outcome.reason]);
    // A re-enrolled device's previous token stops working here as when it is revoked.
    this.forgetDevice(outcome.endpointId);
    await this.bus.publish('device-revoked', { endpointId: outcome.endpointId }).catch(() => undefined);
    this.logger.log(`endpoint ${outcome.endpointId} enrolled (serial ${body.serial})`);
    return { endpointId: outcome.endpointId, token };
  }

  async revoke(actor: UserPrincipal, endpointId: string): Promise<EndpointView> {
    const endpoint = await this.endpoints.revoke(endpointId, new Date());
    this.forgetDevice(endpointId);
    await this.bus.publish('device-revoked', { endpointId }).catch((error: Error) => this.logger.warn(`revocation not announced: ${error.message}`));
    this.logger.log(`endpoint ${endpointId} revoked by ${actor.username}`);
    return this.view(endpoint, this.onlineSince());
  }

  async get(endpointId: string): Promise<EndpointView> {
    return this.view((await this.endpoints.find(endpointId))!, this.onlineSince());
  }

  async list(actor: UserPrincipal, query: ListEndpointsQuery) {
    const region = query.region ?? actor.scopeCode;
    const onlineSince = this.onlineSince();
    const page = await this.endpoints.list(region, query, onlineSince);
    return {
      items: page.items.map((endpoint) => this.view(endpoint, onlineSince)),
      nextCursor: page.items.length === query.limit ? page.items[page.items.length - 1].id : null,
      counts: { total: page.total, online: page.online },
    };
  }

  async heartbeat(device: DevicePrincipal, body: HeartbeatBody) {
    const now = new Date();
    await this.endpoints.recordHeartbeat(device.endpointId, body, now);
    return { serverTime: now.toISOString() };
  }

  /**
   * The device side of authentication: a token's digest names at most one
   * live endpoint. Known tokens are kept in memory (keyed by the token itself,
   * so a pull does not even hash it); Postgres holds only digests. A known
   * token is answered synchronously: the playlist poll makes no promise.
   */
  authenticateDevice(token: string): DevicePrincipal | Promise<DevicePrincipal | null> {
    const cached = this.devices.get(token);
    if (cached && cached.until > Date.now()) return cached.principal;
    return this.lookUpDevice(token);
  }

  private async lookUpDevice(token: string): Promise<DevicePrincipal | null> {
    const principal = await this.endpoints.deviceByTokenHash(hashSecret(token));
    if (principal) {
      if (this.devices.size >= DEVICE_CACHE_LIMIT) {
        this.devices.clear();
        this.tokenOf.clear();
      }
      this.devices.set(token, { principal, until: Date.now() + DEVICE_CACHE_MS });
      this.tokenOf.set(principal.endpointId, token);
    }
    return principal;
  }

  private forgetDevice(endpointId: string): void {
    const token = this.tokenOf.get(endpointId);
    if (token) this.devices.delete(token);
    this.tokenOf.delete(endpointId);
  }

  private newCode(actor: UserPrincipal) {
    const plain = generateEnrollmentCode();
    const expiresAt = new Date(Date.now() + this.config.endpoints.enrollmentCodeTtlHours * 3600_000);
    return { plain, stored: { codeHash: hashEnrollmentCode(plain), expiresAt, createdById: actor.id } };
  }

  private onlineSince(): Date {
    return new Date(Date.now() - this.config.endpoints.onlineSeconds * 1000);
  }

  private view(endpoint: Endpoint, onlineSince: Date): EndpointView {
    return {
      id: endpoint.id,
      regionCode: endpoint.regionCode,
      name: endpoint.name,
      status: endpoint.revokedAt ? 'revoked' : endpoint.enrolledAt ? 'enrolled' : 'awaiting_enrollment',
      online: endpoint.lastSeenAt !== null && endpoint.lastSeenAt >= onlineSince,
      serial: endpoint.serial,
      lastSeenAt: endpoint.lastSeenAt?.toISOString() ?? null,
      volume: endpoint.volume,
      playing: endpoint.playing,
      freeBytes: endpoint.freeBytes === null ? null : Number(endpoint.freeBytes),
      enrolledAt: endpoint.enrolledAt?.toISOString() ?? null,
      revokedAt: endpoint.revokedAt?.toISOString() ?? null,
      createdAt: endpoint.createdAt.toISOString(),
    };
  }
}
