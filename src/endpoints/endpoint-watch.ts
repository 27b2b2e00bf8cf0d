import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { countyIso } from '../kernel/county-time';
import { Notices } from '../notifications/notices';
import { faultKey, faultText, groupOutages, outageKey, outageText } from './domain/device-state';
import { DeviceStateRepository } from './device-state.repository';
import { HeartbeatFlusher } from './heartbeat-flusher';
import { PeriodicTask } from '../infra/schedule/periodic-task';

const SWEEP_MS = 60_000;

/** 2026-12-03T09:30:00+08:00 → 2026-12-03 09:30, as the county reads a time. */
const countyMinute = (at: Date) => countyIso(at).slice(0, 16).replace('T', ' ');

/** 大兴街道星光社区: a place as its township (or county) and its own name. */
const placeName = (region: { name: string; parent: { name: string } | null }) =>
  `${region.parent?.name ?? ''}${region.name}`;

/**
 * Tells the people who keep the county covered when a loudspeaker reports a
 * fault, and when loudspeakers go silent. Every API process sweeps every
 * minute; the notices' dedup keys and the marks in Postgres make each fault
 * and each outage one notice however many processes sweep.
 */
@Injectable()
export class EndpointWatch implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EndpointWatch');
  private readonly sweeps = new PeriodicTask('endpoint sweep', this.logger, () => this.sweep());

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly states: DeviceStateRepository,
    private readonly notices: Notices,
    private readonly heartbeats: HeartbeatFlusher,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role === 'worker') return;
    this.sweeps.start(SWEEP_MS);
  }

  async onModuleDestroy(): Promise<void> {
    await this.sweeps.stop();
  }

  /** Raises the notice of a fault episode just opened (once: its key is the episode's id). */
  async faultOpened(faultId: string): Promise<void> {
    const fault = await this.states.faultToNotify(faultId);
    if (!fault) return;
    const place = placeName(fault.endpoint.region);
    await this.notices.raise({
      kind: 'endpoint_fault',
      regionCode: fault.endpoint.regionCode,
      dedupKey: faultKey(fault.id),
      ...faultText(fault, fault.endpoint.name, place, countyMinute(fault.openedAt)),
      link: `/loudspeakers/${fault.endpoint.id}`,
      details: { endpointId: fault.endpoint.id, faultId: fault.id, code: fault.code, text: fault.text },
    });
    await this.states.faultNotified(fault.id, new Date());
  }

  /** Notices for outages past the threshold, one per place, and for any fault whose notice a crash lost. */
  async sweep(): Promise<void> {
    for (const { id } of await this.states.unnotifiedFaults()) await this.faultOpened(id);
    // Last-seen times still in Redis first: a loudspeaker that beat since the last flush is not silent.
    // Without Redis, beats go to Postgres directly: the sweep goes on.
    await this.heartbeats.flush().catch((error: Error) => this.logger.warn(`flush before sweep: ${error.message}`));
    const minutes = this.config.endpoints.offlineNotifyMinutes;
    const before = new Date(Date.now() - minutes * 60_000);
    const groups = groupOutages(await this.states.unnamedOutages(before));
    for (const group of groups) {
      const place = group.endpoints[0].place;
      await this.notices.raise({
        kind: 'endpoint_offline',
        regionCode: group.regionCode,
        dedupKey: outageKey(group),
        ...outageText(group, place, countyMinute(group.since), minutes),
        link: `/loudspeakers?region=${group.regionCode}`,
        details: {
          endpoints: group.endpoints.map(({ id, name, lastSeenAt }) => ({
            id,
            name,
            lastSeenAt: lastSeenAt.toISOString(),
          })),
        },
      });
      await this.states.outagesNamed(
        group.endpoints.map((endpoint) => endpoint.id),
        before,
      );
    }
  }
}
