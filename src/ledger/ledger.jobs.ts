import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { JobHandler } from '../infra/queue/job-handler.decorator';
import { JobQueue } from '../infra/queue/job-queue.service';
import { JobName, JobPayloads } from '../infra/queue/jobs';
import { addDays, COUNTY_TIME_ZONE, countyDate } from '../kernel/county-time';
import { LedgerAnchors } from './ledger-anchors.service';

@Injectable()
export class LedgerJobs {
  constructor(
    private readonly queue: JobQueue,
    private readonly anchors: LedgerAnchors,
  ) {}

  /**
   * Just after each county midnight, yesterday's head goes to LEDGER_ANCHOR_DIR;
   * the job id lets one through however many API processes fire it.
   */
  @Cron('0 15 0 * * *', { timeZone: COUNTY_TIME_ZONE, name: 'export-ledger-anchor' })
  async scheduleAnchorExport(now = new Date()): Promise<void> {
    if (!this.anchors.exporting) return;
    const date = addDays(countyDate(now), -1);
    await this.queue.enqueue(JobName.ExportLedgerAnchor, { date }, `ledger-anchor-${date}`);
  }

  @JobHandler(JobName.ExportLedgerAnchor)
  async exportAnchor({ date }: JobPayloads[JobName.ExportLedgerAnchor]) {
    return { written: await this.anchors.export(date) };
  }
}
