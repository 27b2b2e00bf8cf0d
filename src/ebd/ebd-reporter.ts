import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { EbdLink } from '../generated/prisma/client';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { connectionCheck } from './domain/details';
import { EbdLinksRepository } from './ebd-links.repository';
import { EbdOutbox } from './ebd-outbox';

// Reports due are looked for this often (the shortest interval a county may set is 5 s).
const TICK_MS = 1_000;

/**
 * What each county sends up on its own clock: heartbeats (ConnectionCheck).
 * Every API process ticks; a row update claims each report for one of them.
 */
@Injectable()
export class EbdReporter implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EbdReporter');
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<unknown>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly links: EbdLinksRepository,
    private readonly outbox: EbdOutbox,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role === 'worker') return;
    this.timer = setInterval(() => {
      this.ticking ??= this.tick()
        .catch((error: Error) => this.logger.warn(`EBD periodic reports failed (will retry): ${error.message}`))
        .finally(() => (this.ticking = undefined));
    }, TICK_MS);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }

  private async tick(): Promise<void> {
    const now = new Date();
    for (const link of await this.links.listEnabled()) await this.report(link, now);
  }

  private async report(link: EbdLink, now: Date): Promise<void> {
    if (await this.links.claimReport(link.countyCode, 'ConnectionCheck', link.heartbeatSeconds, now))
      await this.outbox.post(link, { type: 'ConnectionCheck', detail: connectionCheck(now) });
  }
}
