import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { DeviceEventHub } from '../endpoints/device-event-hub';
import { SessionRecords } from '../lectures/session-records.service';
import { overdue } from './domain/live';
import { LiveCarrier } from './live-carrier';
import { LiveRepository } from './live.repository';
import { PeriodicTask } from '../infra/schedule/periodic-task';

const SWEEP_MS = 2_000;
// Ends this recent are still told to devices a process missed telling.
const ENDED_RECENTLY_MS = 10 * 60_000;
// A recording no process made media this long after its session ended is rescued (its carrier crashed meanwhile).
const RESCUE_AFTER_MS = 60_000;
const RESCUE_EVERY = 15;
// A carrier beats every 2 s: three beats missed and it is taken for gone.
const CARRIED_LATELY_MS = 6_000;
const carriedLately = (row: { heartbeatAt: Date | null }, now: Date) =>
  row.heartbeatAt !== null && now.getTime() - row.heartbeatAt.getTime() < CARRIED_LATELY_MS;

/**
 * Every API process, every two seconds: tells its devices of live sessions as
 * Postgres has them (a start or an end pub/sub dropped), and ends any session
 * that should have ended but whose carrier cannot (it died: a restart, a
 * crash), so no region is left taken and no loudspeaker left waiting.
 */
@Injectable()
export class LiveSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('LiveSweeper');
  private readonly sweeps = new PeriodicTask('live sweep', this.logger, () => this.sweep());
  private ticks = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: LiveRepository,
    private readonly carrier: LiveCarrier,
    private readonly hub: DeviceEventHub,
    private readonly lectures: SessionRecords,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role === 'worker' || !this.config.icecast) return;
    this.sweeps.start(SWEEP_MS);
  }

  private async sweep(): Promise<void> {
    const readAt = new Date();
    const rows = await this.sessions.openOrEndedSince(new Date(readAt.getTime() - ENDED_RECENTLY_MS));
    this.hub.syncStreams(
      rows
        // A live one whose carrier stopped beating is not announced: it is about to end.
        .filter((row) => row.status === 'ended' || (row.status === 'live' && carriedLately(row, readAt)))
        .map((row) => ({
          action: row.status === 'live' ? ('start' as const) : ('end' as const),
          targets: row.regionCodes,
          live: this.carrier.event(row),
          reason: row.endReason ?? undefined,
        })),
      readAt.getTime(),
    );
    const { graceSeconds, maxSeconds } = this.config.live;
    for (const row of rows) {
      if (row.status === 'ended' || this.carrier.carries(row.id)) continue;
      const reason = overdue(row, readAt, graceSeconds * 1000, maxSeconds * 1000);
      if (!reason) continue;
      this.logger.warn(`live session ${row.id} ended by the sweep: ${reason}`);
      await this.carrier.end(row.id, reason, null);
      // Its carrier is gone: what it recorded is made media here.
      if (reason !== 'max-length') await this.carrier.adopt(row);
    }
    if (this.ticks++ % RESCUE_EVERY === 0)
      for (const row of await this.sessions.endedWithoutRecording(new Date(readAt.getTime() - RESCUE_AFTER_MS)))
        await this.carrier.adopt(row);
    await this.recordLectures(readAt);
  }

  /**
   * A lecture given live is recorded in the ledger once the loudspeakers have
   * reported its end (they post receipts as they stop: a grace period after
   * the end), from what they played, as any on-air session.
   */
  private async recordLectures(now: Date): Promise<void> {
    const before = new Date(now.getTime() - this.config.live.graceSeconds * 1000);
    for (const row of await this.sessions.lecturesToRecord(before)) {
      const liveMs = row.liveAt && row.endedAt ? row.endedAt.getTime() - row.liveAt.getTime() : 0;
      await this.lectures.recordLive(row.lectureSessionId!, {
        liveSessionId: row.id,
        startedAt: row.liveAt ?? row.createdAt,
        minutes: Math.max(1, Math.round(liveMs / 60_000)),
        reach: await this.sessions.reach(row),
      });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.sweeps.stop();
  }
}
