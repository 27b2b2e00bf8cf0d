import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { JobHandler } from '../infra/queue/job-handler.decorator';
import { JobQueue } from '../infra/queue/job-queue.service';
import { JobName } from '../infra/queue/jobs';
import { EndpointsRepository } from './endpoints.repository';

const COUNTY_TIME_ZONE = 'Asia/Shanghai';
// Unused codes are kept a while after expiry, so an installer's "my code does
// not work" can still be answered with "it expired", then they go.
const KEEP_EXPIRED_CODES_DAYS = 30;

@Injectable()
export class EndpointJobs {
  private readonly logger = new Logger('EndpointJobs');

  constructor(
    private readonly queue: JobQueue,
    private readonly endpoints: EndpointsRepository,
  ) {}

  /** Nightly, in county time. Every API process fires it; the job id lets only one through per day. */
  @Cron('0 40 3 * * *', { timeZone: COUNTY_TIME_ZONE, name: 'purge-expired-enrollment-codes' })
  async schedulePurge(): Promise<void> {
    const day = new Date().toISOString().slice(0, 10);
    await this.queue.enqueue(JobName.PurgeExpiredEnrollmentCodes, {}, `purge-enrollment-codes-${day}`);
  }

  @JobHandler(JobName.PurgeExpiredEnrollmentCodes)
  async purge(): Promise<{ purged: number }> {
    const before = new Date(Date.now() - KEEP_EXPIRED_CODES_DAYS * 24 * 3600_000);
    const purged = await this.endpoints.purgeUnusedCodesExpiredBefore(before);
    this.logger.log(`purged ${purged} enrollment codes that expired unused before ${before.toISOString()}`);
    return { purged };
  }
}
