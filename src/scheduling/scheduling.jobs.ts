import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { JobHandler } from '../infra/queue/job-handler.decorator';
import { JobQueue } from '../infra/queue/job-queue.service';
import { JobName, JobPayloads } from '../infra/queue/jobs';
import { addDays, COUNTY_TIME_ZONE, countyDate } from './domain/county-time';
import { PlaylistCompiler } from './playlist-compiler';
import { ReadinessService } from './readiness.service';
import { SchedulingRepository } from './scheduling.repository';
import { COMPILE_HORIZON_DAYS } from './scheduling.service';

@Injectable()
export class SchedulingJobs {
  private readonly logger = new Logger('SchedulingJobs');

  constructor(
    private readonly queue: JobQueue,
    private readonly schedule: SchedulingRepository,
    private readonly compiler: PlaylistCompiler,
    private readonly readinessChecks: ReadinessService,
  ) {}

  /**
   * Each night (county time) every county's next three days are compiled, so
   * endpoints hold tomorrow's broadcast before today ends. Job ids make the
   * several API processes that fire this enqueue it once.
   */
  @Cron('0 30 0 * * *', { timeZone: COUNTY_TIME_ZONE, name: 'compile-playlists' })
  async scheduleNightlyCompile(): Promise<void> {
    const today = countyDate(new Date());
    const dates = Array.from({ length: COMPILE_HORIZON_DAYS }, (_, day) => addDays(today, day));
    for (const countyCode of await this.schedule.countyCodes()) {
      await this.queue.enqueue(JobName.CompilePlaylists, { countyCode, dates }, `nightly-compile-${countyCode}-${today}`);
    }
  }

  @JobHandler(JobName.CompilePlaylists)
  async compile({ countyCode, dates, roots }: JobPayloads[JobName.CompilePlaylists]) {
    const started = Date.now();
    const result = await this.compiler.compile(countyCode, dates, roots);
    this.logger.log(`compiled ${result.regions} playlists of ${countyCode} for ${dates.join(', ')}: ${result.changed} changed (${Date.now() - started} ms)`);
    return result;
  }

  /** Half an hour before the evening slot: which endpoints would not air on their own. */
  @Cron('0 0 17 * * *', { timeZone: COUNTY_TIME_ZONE, name: 'check-readiness' })
  async scheduleReadiness(): Promise<void> {
    await this.forEachCounty(JobName.CheckReadiness, 'readiness');
  }

  /** After the evening slot: what each endpoint aired, by its receipts. */
  @Cron('0 30 18 * * *', { timeZone: COUNTY_TIME_ZONE, name: 'reconcile' })
  async scheduleReconciliation(): Promise<void> {
    await this.forEachCounty(JobName.Reconcile, 'reconcile');
  }

  @JobHandler(JobName.CheckReadiness)
  async checkReadiness({ countyCode, date }: JobPayloads[JobName.CheckReadiness]) {
    const readiness = await this.readinessChecks.readiness(countyCode, date);
    const summary = { total: readiness.total, ready: readiness.ready, notReady: readiness.notReady, byReason: readiness.byReason };
    this.logger.log(`readiness of ${countyCode} for ${date}: ${summary.ready}/${summary.total} endpoints ready ${JSON.stringify(summary.byReason)}`);
    return summary;
  }

  @JobHandler(JobName.Reconcile)
  async reconcile({ countyCode, date }: JobPayloads[JobName.Reconcile]) {
    const coverage = await this.readinessChecks.coverage(countyCode, date);
    const items = coverage.items.map(({ itemId, title, totals }) => ({ itemId, title, ...totals }));
    this.logger.log(`reconciled ${countyCode} for ${date}: ${items.length} items over ${coverage.endpoints} endpoints`);
    return { endpoints: coverage.endpoints, items };
  }

  private async forEachCounty(name: JobName.CheckReadiness | JobName.Reconcile, label: string): Promise<void> {
    const date = countyDate(new Date());
    for (const countyCode of await this.schedule.countyCodes()) {
      await this.queue.enqueue(name, { countyCode, date }, `${label}-${countyCode}-${date}`);
    }
  }
}
