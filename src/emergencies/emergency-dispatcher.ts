import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { JobHandler } from '../infra/queue/job-handler.decorator';
import { JobQueue } from '../infra/queue/job-queue.service';
import { PeriodicTask } from '../infra/schedule/periodic-task';
import { dispatchJobId, emergencyRecompileJobId, JobName, JobPayloads } from '../infra/queue/jobs';
import { DeviceEventHub } from '../endpoints/device-event-hub';
import { AlertEvent, EventBus } from '../infra/redis/event-bus';
import { renditionUrl } from '../media/media.dto';
import type { LocalDate } from '../kernel/county-time';
import { PlaylistCompiler } from '../scheduling/playlist-compiler';
import { PlaylistStore } from '../scheduling/playlist-store';
import { alertEvent, alertSpans } from './domain/alert';
import { AlertRow, EmergenciesRepository, liveAlert } from './emergencies.repository';

// Due outbox rows are looked for this often: an alert starting at a set time
// goes out within this of it, and one lost with Redis is re-queued as soon.
const SWEEP_MS = 1_000;
const SWEEP_BATCH = 200;
// How often each API process checks its connected devices heard every live
// alert: it catches a push pub/sub dropped or a process that restarted.
const SYNC_MS = 5_000;
// Cancellations this recent are still told to devices a process missed telling.
const CANCELLED_RECENTLY_MS = 10 * 60_000;
// An alert approved while its audio is still being prepared is looked at again this often.
const AUDIO_WAIT_MS = 1_000;

/**
 * The outbox's other half. Approving or cancelling an alert commits the
 * dispatches it calls for with the change itself; this sweep queues each one
 * that is due (again, if Redis lost it), and workers carry it out in two
 * parts. First the push: activate (tell every process to push it) or end,
 * marked `pushedAt`. Then, on a queue of its own, the recompile of the
 * alert's playlists, marked `doneAt`: a county's recompile takes hundreds of
 * ms, and with a province's alerts at once no push may wait behind another
 * county's recompile. A row pushed and not done is queued for its recompile.
 * Carrying either part out twice changes nothing: state moves only forward,
 * and the processes pushing to devices send each alert to each device once.
 */
@Injectable()
export class EmergencyDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EmergencyDispatcher');
  private readonly sweeps = new PeriodicTask('emergency dispatch sweep', this.logger, () => this.sweep());
  private readonly syncs = new PeriodicTask('checking live alerts against connected devices', this.logger, () =>
    this.syncPushes(),
  );

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly alerts: EmergenciesRepository,
    private readonly queue: JobQueue,
    private readonly bus: EventBus,
    private readonly compiler: PlaylistCompiler,
    private readonly playlists: PlaylistStore,
    private readonly hub: DeviceEventHub,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role === 'worker') return;
    this.sweeps.start(SWEEP_MS, { immediately: true });
    this.syncs.start(SYNC_MS, { immediately: true });
  }

  /** Tells this process's devices of live alerts (and recent cancellations) as Postgres has them. */
  private async syncPushes(): Promise<void> {
    const readAt = Date.now();
    const alerts = await this.alerts.liveOrCancelledSince(new Date(readAt - CANCELLED_RECENTLY_MS));
    await this.hub.syncLive(
      alerts.map((alert) => ({
        action: alert.status === 'active' ? 'activate' : 'end',
        cancelled: alert.status !== 'active',
        targets: alert.regionCodes,
        alert: this.event(alert),
      })),
      readAt,
    );
  }

  /**
   * Queues what is due now, without waiting for the next tick (right after an
   * approval or a cancel). A kick during a sweep runs another right after it:
   * that sweep may have read the outbox before the approval committed.
   */
  kick(): void {
    this.sweeps.run();
  }

  /** Pushes first, all at once (a province's alerts are a county's each), then the recompiles left. */
  private async sweep(): Promise<void> {
    const due = await this.alerts.dueDispatches(new Date(), SWEEP_BATCH);
    await Promise.all(
      due
        .filter((row) => !row.pushedAt)
        .map(({ id }) => this.queue.ensure(JobName.DispatchEmergency, { dispatchId: id }, dispatchJobId(id))),
    );
    await Promise.all(
      due
        .filter((row) => row.pushedAt)
        .map(({ id }) =>
          this.queue.ensure(JobName.RecompileForEmergency, { dispatchId: id }, emergencyRecompileJobId(id)),
        ),
    );
  }

  /** The urgent part: the alert's state moved and every process told to push it (or its end). */
  @JobHandler(JobName.DispatchEmergency)
  async dispatch({ dispatchId }: JobPayloads[JobName.DispatchEmergency]) {
    const dispatch = await this.alerts.dispatch(dispatchId);
    if (!dispatch || dispatch.doneAt) return { skipped: 'already carried out' };
    if (dispatch.pushedAt) {
      await this.queueRecompile(dispatchId);
      return { skipped: 'already pushed' };
    }
    const alert = dispatch.emergency;
    if (dispatch.action === 'activate' && alert.status === 'approved' && alert.media.status !== 'ready')
      return this.awaitAudio(dispatchId, alert);
    const event = this.event(alert);
    if (dispatch.action === 'activate') {
      const activated = await this.alerts.transition(
        alert.id,
        ['approved'],
        { status: 'active', activatedAt: new Date() },
        { action: 'activated', actorId: null },
      );
      // One cancelled before its start stays quiet, and its playlists never had it.
      if (!activated && alert.status !== 'active') {
        await this.alerts.markDispatched(dispatchId);
        return { alert: alert.id, skipped: 'no longer to go live' };
      }
      // A retry finds it active already and pushes again, checking what was pushed.
      await this.bus.publish('emergency', {
        action: 'activate',
        cancelled: false,
        targets: alert.regionCodes,
        alert: event,
        recheck: !activated,
      });
      if (alert.supersedesId) await this.supersede(alert.supersedesId, alert.id);
    } else {
      await this.alerts.transition(
        alert.id,
        ['approved', 'active'],
        { status: 'ended', endedAt: new Date() },
        { action: 'expired', actorId: null },
      );
      const ended = await this.alerts.find(alert.id);
      await this.bus.publish('emergency', {
        action: 'end',
        cancelled: ended!.status !== 'ended',
        targets: alert.regionCodes,
        alert: event,
      });
    }
    await this.alerts.markPushed(dispatchId);
    await this.queueRecompile(dispatchId);
    return { alert: alert.id, action: dispatch.action };
  }

  /** The sweep queues it within a second anyway (the row is pushed and not done): Redis failing here loses nothing. */
  private async queueRecompile(dispatchId: string): Promise<void> {
    await this.queue
      .ensure(JobName.RecompileForEmergency, { dispatchId }, emergencyRecompileJobId(dispatchId))
      .catch((error: Error) =>
        this.logger.warn(`could not queue the recompile of dispatch ${dispatchId} (the sweep will): ${error.message}`),
      );
  }

  /**
   * The rest of a pushed dispatch: the playlists of the alert's regions with
   * it in (preempted) or out, and those of the alert an update replaced.
   */
  @JobHandler(JobName.RecompileForEmergency)
  async recompilePlaylists({ dispatchId }: JobPayloads[JobName.RecompileForEmergency]) {
    const dispatch = await this.alerts.dispatch(dispatchId);
    if (!dispatch || dispatch.doneAt) return { skipped: 'already carried out' };
    if (!dispatch.pushedAt) return { skipped: 'not pushed yet' };
    const alert = dispatch.emergency;
    const replaced =
      dispatch.action === 'activate' && alert.supersedesId ? await this.alerts.find(alert.supersedesId) : null;
    await this.recompile(replaced ? [alert, replaced] : [alert]);
    await this.alerts.markDispatched(dispatchId);
    return { alert: alert.id, action: dispatch.action, recompiled: true };
  }

  /**
   * An alert approved before its audio was ready (one approved by an upper
   * platform, at once) goes live as soon as the audio is: its activation
   * waits. Audio that failed can never air; the alert ends at its expiry.
   */
  private async awaitAudio(dispatchId: string, alert: AlertRow) {
    if (alert.media.status === 'failed') {
      this.logger.error(`alert ${alert.id} was approved but its audio failed (${alert.media.error}): it cannot air`);
      await this.alerts.markDispatched(dispatchId);
      return { alert: alert.id, skipped: 'its audio failed' };
    }
    await this.alerts.postponeDispatch(dispatchId, new Date(Date.now() + AUDIO_WAIT_MS));
    return { alert: alert.id, waiting: 'for its audio' };
  }

  /** An approved update replaces the alert it updates: that one ends as the update goes live. */
  private async supersede(oldId: string, byId: string): Promise<void> {
    const old = await this.alerts.find(oldId);
    if (!old) return;
    const replaced = await this.alerts.transition(
      oldId,
      ['draft', 'approved', 'active'],
      { status: 'superseded', endedAt: new Date() },
      { action: 'superseded', actorId: null, details: { by: byId } },
    );
    if (!replaced) return;
    await this.bus.publish('emergency', {
      action: 'end',
      cancelled: true,
      targets: old.regionCodes,
      alert: this.event(old),
    });
  }

  private event(alert: AlertRow): AlertEvent {
    return alertEvent(liveAlert(alert), (sha256) => renditionUrl(this.config.media.baseUrl, sha256));
  }

  /** The playlists of the alerts' regions, on the served dates they span, with them in or out: one compile a county. */
  private async recompile(alerts: AlertRow[]): Promise<void> {
    const served = [...this.playlists.servedDates().all];
    const byCounty = new Map<string, { dates: Set<LocalDate>; roots: Set<string> }>();
    for (const alert of alerts) {
      const dates = served.filter((date) => alertSpans(alert, date));
      if (!dates.length) continue;
      const county = byCounty.get(alert.countyCode) ?? { dates: new Set(), roots: new Set() };
      byCounty.set(alert.countyCode, county);
      for (const date of dates) county.dates.add(date);
      for (const code of alert.regionCodes) county.roots.add(code);
    }
    for (const [countyCode, { dates, roots }] of byCounty)
      await this.compiler.compile(
        countyCode,
        served.filter((date) => dates.has(date)),
        [...roots],
      );
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.sweeps.stop(), this.syncs.stop()]);
  }
}
