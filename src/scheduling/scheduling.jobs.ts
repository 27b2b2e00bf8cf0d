import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { JobHandler } from '../infra/queue/job-handler.decorator';
import { JobQueue } from '../infra/queue/job-queue.service';
import { JobName, JobPayloads } from '../infra/queue/jobs';
import { airedKey, LATE_RECEIPTS, lateCorrectionKey, reachChanges } from '../ledger/domain/entries';
import type { LedgerDraft } from '../ledger/ledger.repository';
import { LedgerService } from '../ledger/ledger.service';
import { addDays, COUNTY_TIME_ZONE, countyDate, countyInstant } from '../kernel/county-time';
import { reconciliationsDue } from './domain/reconciliation';
import { readinessNotice } from './domain/readiness-notice';
import { Notices } from '../notifications/notices';
import { PlaylistCompiler } from './playlist-compiler';
import { ReadinessService } from './readiness.service';
import { SchedulingRepository, SlotSettings } from './scheduling.repository';
import { COMPILE_HORIZON_DAYS } from './scheduling.service';
import { RegionsRepository } from '../regions/regions.repository';

@Injectable()
export class SchedulingJobs {
  private readonly logger = new Logger('SchedulingJobs');

  constructor(
    private readonly queue: JobQueue,
    private readonly schedule: SchedulingRepository,
    private readonly regions: RegionsRepository,
    private readonly compiler: PlaylistCompiler,
    private readonly readinessChecks: ReadinessService,
    private readonly ledger: LedgerService,
    private readonly notices: Notices,
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
    for (const countyCode of await this.regions.countyCodes()) {
      await this.queue.enqueue(
        JobName.CompilePlaylists,
        { countyCode, dates },
        `nightly-compile-${countyCode}-${today}`,
      );
    }
  }

  @JobHandler(JobName.CompilePlaylists)
  async compile({ countyCode, dates, roots }: JobPayloads[JobName.CompilePlaylists]) {
    const started = Date.now();
    const result = await this.compiler.compile(countyCode, dates, roots);
    this.logger.log(
      `compiled ${result.regions} playlists of ${countyCode} for ${dates.join(', ')}: ${result.changed} changed (${Date.now() - started} ms)`,
    );
    return result;
  }

  /** Half an hour before the evening slot: which endpoints would not air on their own. */
  @Cron('0 0 17 * * *', { timeZone: COUNTY_TIME_ZONE, name: 'check-readiness' })
  async scheduleReadiness(): Promise<void> {
    await this.forEachCounty(JobName.CheckReadiness, 'readiness');
  }

  /**
   * What each endpoint aired, by its receipts: a county's day is reconciled
   * at 18:30, or half an hour after its last slot ends if that is later, and
   * once more at noon the next day, for the receipts of devices that aired
   * offline and reported late. Checked every ten minutes; job ids let each
   * through once, and a tick that finds Redis away is made good by the next.
   */
  @Cron('0 */10 * * * *', { timeZone: COUNTY_TIME_ZONE, name: 'reconcile' })
  async scheduleReconciliation(now = new Date()): Promise<void> {
    for (const countyCode of await this.regions.countyCodes()) {
      const slots = await Promise.all(
        (await this.schedule.slotNames(countyCode)).map((name) => this.schedule.slot(countyCode, name)),
      );
      for (const due of reconciliationsDue(
        now,
        slots.filter((slot): slot is SlotSettings => slot !== null),
      )) {
        await this.queue.enqueue(
          JobName.Reconcile,
          { countyCode, date: due.date },
          `${due.pass}-${countyCode}-${due.date}`,
        );
      }
    }
  }

  @JobHandler(JobName.CheckReadiness)
  async checkReadiness({ countyCode, date }: JobPayloads[JobName.CheckReadiness]) {
    const readiness = await this.readinessChecks.readiness(countyCode, date);
    const summary = {
      total: readiness.total,
      ready: readiness.ready,
      notReady: readiness.notReady,
      byReason: readiness.byReason,
    };
    this.logger.log(
      `readiness of ${countyCode} for ${date}: ${summary.ready}/${summary.total} endpoints ready ${JSON.stringify(summary.byReason)}`,
    );
    const troubled = readiness.regions.filter((region) => region.ready < region.total);
    if (troubled.length) {
      const names = new Map(
        (await this.regions.findMany(troubled.map((r) => r.regionCode))).map((r) => [r.code, r.name]),
      );
      await this.notices.raise({
        kind: 'readiness_problems',
        regionCode: countyCode,
        dedupKey: `readiness:${countyCode}:${date}`,
        ...readinessNotice(
          date,
          readiness.notReady,
          troubled.map((r) => ({ ...r, name: names.get(r.regionCode)! })),
        ),
        link: '/today',
        details: { date, notReady: readiness.notReady, regionCodes: troubled.map((r) => r.regionCode) },
      });
    }
    return summary;
  }

  /**
   * Records in the ledger what each broadcast of the date reached, once per
   * broadcast and date; run again (late receipts), it records a correction
   * where the figures moved, and nothing where they did not. Then it has the
   * on-air lecture sessions of the date completed (or corrected) from it.
   */
  @JobHandler(JobName.Reconcile)
  async reconcile({ countyCode, date }: JobPayloads[JobName.Reconcile]) {
    const aired = await this.readinessChecks.aired(countyCode, date);
    const drafts: LedgerDraft[] = [];
    for (const broadcast of aired) {
      const dedupeKey = airedKey(broadcast.broadcastId, date);
      const recorded = await this.ledger.recordedAsCorrected('broadcast_aired', dedupeKey);
      if (recorded) {
        const changes = reachChanges(recorded.payload, broadcast);
        if (changes)
          drafts.push(
            this.ledger.correctionOf(recorded, null, LATE_RECEIPTS, changes, lateCorrectionKey(dedupeKey, broadcast)),
          );
        continue;
      }
      const plan = await this.schedule.plan(broadcast.broadcastId);
      if (!plan) continue;
      const slot = await this.schedule.slot(plan.countyCode, plan.slotName);
      drafts.push({
        kind: 'broadcast_aired',
        actorId: null,
        regionCode: plan.scopeCode,
        occurredAt: countyInstant(date, slot?.startMinute ?? 0),
        subject: `broadcast:${broadcast.broadcastId}`,
        payload: broadcast,
        dedupeKey,
      });
    }
    await this.ledger.appendAlone(drafts);
    await this.queue.enqueue(JobName.RecordOnAirSessions, { countyCode, date });
    const summary = aired.map(({ broadcastId, title, endpoints, played, reached }) => ({
      broadcastId,
      title,
      endpoints,
      played,
      reached,
    }));
    this.logger.log(`reconciled ${countyCode} for ${date}: ${aired.length} broadcasts recorded in the ledger`);
    return { broadcasts: summary };
  }

  private async forEachCounty(name: JobName.CheckReadiness, label: string): Promise<void> {
    const date = countyDate(new Date());
    for (const countyCode of await this.regions.countyCodes()) {
      await this.queue.enqueue(name, { countyCode, date }, `${label}-${countyCode}-${date}`);
    }
  }
}
