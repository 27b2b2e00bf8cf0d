import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { Icecast } from '../infra/icecast/icecast';
import { JobHandler } from '../infra/queue/job-handler.decorator';
import { JobQueue } from '../infra/queue/job-queue.service';
import { JobName, JobPayloads, relayJobId } from '../infra/queue/jobs';
import type { LocalDate } from '../kernel/county-time';
import { MediaTooling } from '../media/media-tooling';
import { airsOn } from '../scheduling/broadcast-plan';
import { PlaylistCompiler } from '../scheduling/playlist-compiler';
import { RelaySources } from '../scheduling/relay-sources';
import { SchedulingService } from '../scheduling/scheduling.service';
import { datesOnAirAround, isDue, slotCovers } from './domain/relay-plan';
import { feedRelay } from './relay-feed';
import { RelaysRepository } from './relays.repository';
import { PeriodicTask } from '../infra/schedule/periodic-task';

// Due relays are looked for this often: a relay starts feeding within this of
// its lead time, and one whose job Redis lost is queued again as soon.
const SWEEP_MS = 5_000;
// A running relay records that it is alive this often, and checks it was not cancelled.
const HEARTBEAT_MS = 5_000;

/**
 * Relayed streams, with Postgres as the truth: a sweep in every API process
 * finds the relays due now (from the schedule, with their lead) whose run
 * has not ended, and makes sure a job runs each (one job id per relay and
 * date); a worker pulls the outside stream into the broadcast's Icecast
 * mount until the airing's last end. A worker that dies leaves its run
 * unended: BullMQ gives the job to another worker, or, if Redis lost it,
 * the sweep queues it again, and the feed resumes on the same mount (Icecast
 * takes one source per mount, so two workers never feed it at once).
 */
@Injectable()
export class RelayRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RelayRunner');
  private readonly sweeps = new PeriodicTask('relay sweep', this.logger, () => this.sweep());
  /** The feeds this process runs, to stop them when it shuts down (the next process takes them over). */
  private readonly feeds = new Set<AbortController>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly icecast: Icecast,
    private readonly queue: JobQueue,
    private readonly scheduling: SchedulingService,
    private readonly compiler: PlaylistCompiler,
    private readonly tooling: MediaTooling,
    private readonly relays: RelaysRepository,
    private readonly sources: RelaySources,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role === 'worker' || !this.icecast.enabled) return;
    this.sweeps.start(SWEEP_MS, { immediately: true });
  }

  private async sweep(now = Date.now()): Promise<void> {
    const dates = datesOnAirAround(new Date(now));
    for (const broadcastId of await this.relays.relaysBetween(dates[0], dates[dates.length - 1])) {
      for (const date of dates) {
        if (!(await this.dueOn(broadcastId, date, now))) continue;
        if (await this.queue.ensure(JobName.RunRelay, { broadcastId, date }, relayJobId(broadcastId, date)))
          this.logger.log(`relay ${broadcastId} of ${date} is due: queued`);
      }
    }
  }

  private async dueOn(broadcastId: string, date: LocalDate, now: number): Promise<boolean> {
    const leadMs = this.config.relay.leadSeconds * 1000;
    const plan = await this.scheduling.plan(broadcastId);
    if (!plan || plan.cancelled || !airsOn(plan, date)) return false;
    const slot = await this.scheduling.slot(plan.countyCode, plan.slotName);
    if (!slot || !slotCovers(date, slot, leadMs, now)) return false;
    const span = await this.compiler.airingSpan(plan, date);
    return span !== null && isDue(span, leadMs, now) && !(await this.relays.ended(broadcastId, date));
  }

  @JobHandler(JobName.RunRelay)
  async run({ broadcastId, date }: JobPayloads[JobName.RunRelay]) {
    const plan = await this.scheduling.plan(broadcastId);
    const span = plan && !plan.cancelled && airsOn(plan, date) ? await this.compiler.airingSpan(plan, date) : null;
    if (!plan || plan.airs.kind !== 'relay' || !span) {
      await this.relays.end(broadcastId, date, 'cancelled');
      return { skipped: 'not airing' };
    }
    if (Date.now() >= span.endsAt) {
      await this.relays.end(broadcastId, date, 'ended');
      return { skipped: 'over' };
    }
    const { url, mount, title } = plan.airs;
    await this.relays.begin(broadcastId, date);
    const abort = new AbortController();
    this.feeds.add(abort);
    let cancelled = false;
    const heartbeat = setInterval(() => {
      void this.relays.heartbeat(broadcastId, date).catch(() => undefined);
      void this.scheduling.plan(broadcastId).then(
        (now) => {
          if (now?.cancelled) {
            cancelled = true;
            abort.abort();
          }
        },
        () => undefined,
      );
    }, HEARTBEAT_MS);
    try {
      // Checked again before each pull: the host may have moved to a private address since it was saved.
      const refused = await this.sources.addressProblem(new URL(url));
      if (refused) {
        this.logger.warn(`relay ${broadcastId}: not pulling ${url}: ${refused}`);
        await this.relays.fellBack(broadcastId, date, refused);
      }
      this.logger.log(`relay ${broadcastId} of ${date}: feeding ${mount} until ${new Date(span.endsAt).toISOString()}`);
      const outcome = await feedRelay(
        this.icecast.openSource(mount, { name: title, description: 'Dalaba relay' }),
        {
          ffmpeg: this.tooling.tools.ffmpeg,
          encoding: this.config.media.rendition,
          sourceUrl: refused ? null : url,
          fillerFile: this.config.relay.fillerFile,
          until: span.endsAt,
          onSwitch: (from, to, reason) => {
            this.logger.warn(`relay ${broadcastId} of ${date}: ${from} failed (${reason}); ${to} takes over ${mount}`);
            if (from === 'source') void this.relays.fellBack(broadcastId, date, reason).catch(() => undefined);
          },
        },
        abort.signal,
      );
      if (outcome === 'ended' || cancelled) {
        await this.relays.end(broadcastId, date, cancelled ? 'cancelled' : 'ended');
        this.logger.log(`relay ${broadcastId} of ${date}: ${cancelled ? 'cancelled' : 'ended'}`);
        return { outcome: cancelled ? 'cancelled' : 'ended' };
      }
      // Shutting down: the run stays unended, for the sweep of a process still up to hand on.
      return { outcome: 'handed over' };
    } finally {
      clearInterval(heartbeat);
      this.feeds.delete(abort);
    }
  }

  async onModuleDestroy(): Promise<void> {
    for (const feed of this.feeds) feed.abort();
    await this.sweeps.stop();
  }
}
