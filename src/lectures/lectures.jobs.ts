import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { JobHandler } from '../infra/queue/job-handler.decorator';
import { JobQueue } from '../infra/queue/job-queue.service';
import { JobName, JobPayloads } from '../infra/queue/jobs';
import { OrderNotices } from './order-notices';
import { OrdersService } from './orders.service';
import { SessionRecords } from './session-records.service';

@Injectable()
export class LecturesJobs {
  constructor(
    private readonly queue: JobQueue,
    private readonly records: SessionRecords,
    private readonly orders: OrdersService,
    private readonly orderNotices: OrderNotices,
  ) {}

  /** Queued by the reconciliation after the slot, once it has recorded what each broadcast reached. */
  @JobHandler(JobName.RecordOnAirSessions)
  async recordOnAir({ countyCode, date }: JobPayloads[JobName.RecordOnAirSessions]) {
    return { completed: await this.records.recordOnAir(countyCode, date) };
  }

  /** Every hour; the job id lets one through per hour however many API processes fire it. */
  @Cron('0 5 * * * *', { name: 'escalate-orders' })
  async scheduleEscalation(): Promise<void> {
    await this.queue.enqueue(JobName.EscalateOrders, {}, `escalate-orders-${new Date().toISOString().slice(0, 13)}`);
  }

  /** Late orders go back to their dispatchers, and those due within the warning are announced (both notify). */
  @JobHandler(JobName.EscalateOrders)
  async escalate() {
    const now = new Date();
    return {
      escalated: await this.orders.escalateOverdue(now),
      warned: await this.orderNotices.warnNearDeadline(now),
    };
  }
}
