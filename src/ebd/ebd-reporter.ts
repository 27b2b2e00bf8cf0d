import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { EbdLink } from '../generated/prisma/client';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import type { OmdType } from './domain/codes';
import { connectionCheck } from './domain/details';
import { EbdLinksRepository } from './ebd-links.repository';
import { EbdOutbox } from './ebd-outbox';
import { EbdReports } from './ebd-reports.service';
import { EbdStateSweep } from './ebd-state-sweep';
import { LocalAlertsUp } from './local-alerts-up';

// Reports due are looked for this often (the shortest interval a county may set is 5 s).
const TICK_MS = 1_000;

/** The reports each county sends on its own intervals (periodic terminal info is Full). */
const PERIODIC: ReadonlyArray<['ConnectionCheck' | OmdType, (link: EbdLink) => number]> = [
  ['ConnectionCheck', (link) => link.heartbeatSeconds],
  ['EBRPSInfo', (link) => link.platformInfoSeconds],
  ['EBRPSState', (link) => link.platformStateSeconds],
  ['EBRDTInfo', (link) => link.terminalInfoSeconds],
  ['EBRDTState', (link) => link.terminalStateSeconds],
];

/**
 * What each county sends up on its own clock: heartbeats (ConnectionCheck),
 * its platform's and terminals' info and state, local alerts as EBMs, and
 * the state of every message as it changes. Every API process ticks; a row
 * update claims each report for one of them.
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
    private readonly reports: EbdReports,
    private readonly states: EbdStateSweep,
    private readonly localAlerts: LocalAlertsUp,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role === 'worker') return;
    this.timer = setInterval(() => {
      this.ticking ??= this.tick().finally(() => (this.ticking = undefined));
    }, TICK_MS);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }

  private async tick(): Promise<void> {
    // Local alerts go up before the state sweep looks, so a message's EBM precedes its states.
    await this.attempt('local alerts up', () => this.localAlerts.sweep());
    await this.attempt('EBM state responses', () => this.states.sweep());
    await this.attempt('periodic reports', async () => {
      const now = new Date();
      for (const link of await this.links.listEnabled()) await this.report(link, now);
    });
  }

  private attempt(what: string, work: () => Promise<void>): Promise<void> {
    return work().catch((error: Error) => this.logger.warn(`EBD ${what} failed (will retry): ${error.message}`));
  }

  private async report(link: EbdLink, now: Date): Promise<void> {
    for (const [type, seconds] of PERIODIC) {
      // The link as read says whether it is due; only then is it claimed (a row update), so a quiet tick writes nothing.
      if (
        !isDue(link, type, seconds(link), now) ||
        !(await this.links.claimReport(link.countyCode, type, seconds(link), now))
      )
        continue;
      const detail = type === 'ConnectionCheck' ? connectionCheck(now) : await this.reports.report(link, type);
      await this.outbox.post(link, { type, detail });
    }
  }
}

/** Whether a report was last sent (as `reportedAt` says) at least `everySeconds` ago, as claimReport judges it. */
function isDue(link: EbdLink, report: string, everySeconds: number, now: Date): boolean {
  const last = (link.reportedAt as Record<string, string | undefined>)[report];
  return last === undefined || Date.parse(last) <= now.getTime() - everySeconds * 1000;
}
