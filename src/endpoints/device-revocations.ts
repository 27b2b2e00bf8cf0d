import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { EventBus } from '../infra/redis/event-bus';
import { DeviceEventHub } from './device-event-hub';
import { DeviceTokens } from './device-tokens';
import { EndpointsRepository } from './endpoints.repository';

// How often each API process looks in Postgres for tokens revoked or replaced:
// a revocation holds everywhere within this, even while Redis is down.
const CHECK_MS = 2_000;
// Each look reaches this far behind the last one, for API processes whose
// clocks differ and writes that committed late; seeing a change twice is harmless.
const OVERLAP_MS = 30_000;

/**
 * Makes a revoked or replaced device token stop working in every API process:
 * its cache entry goes and the event streams it opened are closed. The event
 * bus says so at once; Postgres, looked at every few seconds, says so anyway.
 */
@Injectable()
export class DeviceRevocations implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('DeviceRevocations');
  private timer?: NodeJS.Timeout;
  private checking?: Promise<unknown>;
  private lookedAt = Date.now();
  private failing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly endpoints: EndpointsRepository,
    private readonly tokens: DeviceTokens,
    private readonly hub: DeviceEventHub,
    private readonly bus: EventBus,
  ) {}

  onModuleInit(): void {
    this.bus.on('device-revoked', ({ endpointId }) => {
      this.endpoints
        .currentTokens({ ids: [endpointId] })
        .then((current) => current.forEach(({ id, tokenHash }) => this.apply(id, tokenHash)))
        .catch((error: Error) => this.logger.warn(`checking the token of endpoint ${endpointId}: ${error.message}`));
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.role === 'worker') return;
    this.timer = setInterval(() => this.lookInPostgres(), CHECK_MS);
    this.timer.unref();
  }

  /** The endpoint's token is now `currentTokenHash` (null: revoked): applied here at once, announced to the other processes if Redis is there. */
  async changed(endpointId: string, currentTokenHash: string | null): Promise<void> {
    this.apply(endpointId, currentTokenHash);
    if (!(await this.bus.tell('device-revoked', { endpointId }))) {
      this.logger.warn(
        `endpoint ${endpointId}: the event bus is down; other API processes will find the token change in Postgres within ${CHECK_MS / 1000} s`,
      );
    }
  }

  private apply(endpointId: string, currentTokenHash: string | null): void {
    this.tokens.forgetUnless(endpointId, currentTokenHash);
    this.hub.closeStale(endpointId, currentTokenHash);
  }

  private lookInPostgres(): void {
    const startedAt = Date.now();
    this.checking ??= this.endpoints
      .currentTokens({ changedSince: new Date(this.lookedAt - OVERLAP_MS) })
      .then((changed) => {
        for (const { id, tokenHash } of changed) this.apply(id, tokenHash);
        this.lookedAt = startedAt;
        this.failing = false;
      })
      .catch((error: Error) => {
        if (!this.failing) this.logger.warn(`looking for revoked device tokens failed (will retry): ${error.message}`);
        this.failing = true;
      })
      .finally(() => (this.checking = undefined));
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.checking;
  }
}
