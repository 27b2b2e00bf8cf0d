import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { MediaRepository } from './media.repository';
import { MediaService } from './media.service';
import { MediaStorage } from './storage/media-storage';
import { PeriodicTask } from '../infra/schedule/periodic-task';

const SWEEP_BATCH = 1_000;
// Older than any job could still be working on: a killed process's leftovers.
const LEFTOVER_AGE_MS = 6 * 3600_000;

/**
 * Re-derives lost work from Postgres: every row still processing must have a
 * job waiting or running; one that has none (Redis flushed or restarted) gets
 * one again, on the queue it belongs to (an alert's audio on its own). Runs at start-up and every MEDIA_SWEEP_SECONDS in the processes
 * that own schedules (roles api and all).
 */
@Injectable()
export class MediaSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('MediaSweeper');
  private sweeps?: PeriodicTask;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly media: MediaRepository,
    private readonly storage: MediaStorage,
    private readonly processing: MediaService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.storage.prepare();
    if (this.config.role === 'worker') {
      // A worker's scratch space is its own with a bucket: nobody else would clear what a killed job left there.
      if (this.storage.scratchIsPrivate) {
        this.sweeps = new PeriodicTask('scratch sweep', this.logger, () => this.sweepScratch());
        this.sweeps.start(this.config.media.sweepSeconds * 1000);
      }
      return;
    }
    // The first sweep is not awaited: with Redis away, start-up goes on and the next sweep tries again.
    this.sweeps = new PeriodicTask('media sweep', this.logger, () => this.sweep());
    this.sweeps.start(this.config.media.sweepSeconds * 1000, { immediately: true });
  }

  async sweep(): Promise<{ requeued: number; removed: number }> {
    let requeued = 0;
    for (const media of await this.media.processingSince(new Date(), SWEEP_BATCH)) {
      if (await this.processing.ensureProcessing(media)) requeued++;
    }
    const removed = await this.storage.sweepLeftovers(LEFTOVER_AGE_MS, (id) => this.media.isProcessing(id));
    if (requeued) this.logger.log(`re-queued ${requeued} media job(s) that Redis had lost`);
    if (removed.length) this.logger.log(`removed ${removed.length} leftover file(s): ${removed.join(', ')}`);
    return { requeued, removed: removed.length };
  }

  private async sweepScratch(): Promise<void> {
    const removed = await this.storage.scratch.sweepLeftovers(LEFTOVER_AGE_MS, (id) => this.media.isProcessing(id));
    if (removed.length) this.logger.log(`removed ${removed.length} leftover scratch file(s): ${removed.join(', ')}`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.sweeps?.stop();
  }
}
