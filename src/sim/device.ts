import { randomUUID } from 'node:crypto';
import {
  addDays,
  AirList,
  alertItem,
  type AlertEvent,
  type Airing,
  type Cancel,
  type Http,
  linkedAbort,
  listen,
  liveItem,
  type LiveItem,
  type Outcome,
  parseJson,
  playable,
  Player,
  type Playlist,
  type PlaylistItem,
  ReceiptOutbox,
  reason,
  type RelayItem,
  type Scheduler,
  type ServedPlaylist,
  type SseEvent,
  zoneIso,
} from 'dalaba-agent/protocol';
import type { SimClock } from './clock';
import { tuneIn } from './live-stream';
import { MediaShelf } from './media';
import type { Report } from './report';
import type { DeviceCredentials } from './state';

export interface DeviceSettings {
  date: string;
  speed: number;
  failRate: number;
  heartbeatEveryMs: number;
  pollEveryMs: number;
  mediaDir: string | undefined;
}

export interface SimContext {
  http: Http;
  clock: SimClock;
  scheduler: Scheduler;
  report: Report;
  settings: DeviceSettings;
  /** Something changed that may settle or unsettle this device (for --until-played). */
  progressed(device: Device): void;
}

// What a village device's flash card holds; only freeBytes in heartbeats depends on it.
const STORAGE_BYTES = 4 * 1024 ** 3;
// A bad download is retried this soon at the latest, however rare the polls: its item may start before the next one.
const MEDIA_RETRY_MS = 30_000;
// A heartbeat soon after the held media changes tells the server about readiness without waiting a whole interval.
const HELD_CHANGED_HEARTBEAT_MS = 2000;

/** One village loudspeaker, speaking the device protocol with its own token. */
export class Device {
  readonly who: string;
  revoked = false;
  private readonly stop: AbortController;
  private readonly air = new AirList();
  private readonly media: MediaShelf;
  // The live stream being read, if any: stopping it is how the horn goes quiet.
  private tuned: { itemId: string; stop: () => void } | undefined;
  private readonly pulling = new Map<string, Promise<void>>();
  private readonly pullAgain = new Set<string>();
  private readonly player: Player;
  private readonly outbox: ReceiptOutbox;
  private readonly dates: string[];
  private readonly volume = 40 + Math.floor(Math.random() * 50);
  private nextHeartbeat: Cancel = () => undefined;
  private nextPoll: Cancel = () => undefined;
  private heartbeating = false;
  private heldChanged = false;

  constructor(
    readonly credentials: DeviceCredentials,
    private readonly sim: SimContext,
    run: AbortSignal,
  ) {
    this.who = credentials.endpointId.slice(0, 8);
    // Linked for the device's whole life: the end of the run stops it, and so does its own revocation.
    this.stop = linkedAbort(run).controller;
    const { settings } = sim;
    this.dates = [settings.date, addDays(settings.date, 1)];
    this.player = new Player(
      sim.scheduler,
      sim.clock,
      { ...settings, random: Math.random },
      {
        holds: (sha256) => this.media.has(sha256),
        skipped: (item, why) => {
          if (item.kind === 'live') sim.report.stats.live.notAired++;
          else sim.report.stats.items.skippedPast++;
          sim.report.log(this.who, `skip "${item.title}" (${item.startsAt}): ${why}`);
        },
        started: (item) => {
          const what = item.kind === 'live' ? `from ${item.stream.url}` : `for ${item.durationMs / settings.speed} ms`;
          sim.report.log(this.who, `play "${item.title}" ${what}`);
        },
        tune: (item) => this.tune(item),
        finished: (item, outcome, startedAt, endedAt, why) => this.finished(item, outcome, startedAt, endedAt, why),
      },
    );
    this.media = new MediaShelf({
      ...this.call,
      http: sim.http,
      report: sim.report,
      scheduler: sim.scheduler,
      mediaDir: settings.mediaDir,
      retryMs: Math.min(settings.pollEveryMs, MEDIA_RETRY_MS),
      upcoming: () => this.air.upcoming(sim.clock.now()),
      gained: () => {
        this.heldChanged = true;
        this.scheduleHeartbeat(HELD_CHANGED_HEARTBEAT_MS);
      },
    });
    this.outbox = new ReceiptOutbox({
      ...this.call,
      http: sim.http,
      report: sim.report,
      scheduler: sim.scheduler,
      retryLaterMs: settings.pollEveryMs,
      revoked: () => this.revoke('receipts'),
      drained: () => sim.progressed(this),
      posted: (count, answer) => sim.report.receiptsPosted(count, answer),
      notAvailable: () => sim.report.stats.notAvailable.receipts++,
    });
  }

  private get call() {
    return { who: this.who, token: this.credentials.token, signal: this.stop.signal };
  }

  /** Heartbeat, event stream, playlists: what a device does on power-up. Resolves once the playlists were asked for. */
  async boot(): Promise<void> {
    await this.guard('heartbeat', () => this.heartbeat());
    if (this.revoked) return;
    // The stream opens before the pulls, so a change made in between is announced rather than missed.
    void listen({
      ...this.call,
      http: this.sim.http,
      report: this.sim.report,
      scheduler: this.sim.scheduler,
      notAvailableRetryMs: this.sim.settings.pollEveryMs,
      onEvent: (event) => this.onEvent(event),
      notAvailable: () => this.sim.report.stats.notAvailable.events++,
      // The server may replay what was missed (Last-Event-ID), but a 304 costs little and misses nothing.
      reconnected: () => {
        this.sim.report.stats.events.reconnects++;
        this.dates.forEach((date) => void this.pull(date));
      },
      revoked: () => this.revoke('events'),
    });
    await Promise.all(this.dates.map((date) => this.pull(date)));
    this.poll();
  }

  /** The playlists pulled so far (the run's date and the next). */
  held(): Playlist[] {
    return [...this.air.playlists.values()];
  }

  /** Every item of the run's date aired, failed or was too late, and the server has every receipt. */
  settled(): boolean {
    const playlist = this.air.playlists.get(this.sim.settings.date);
    return this.revoked || (playlist !== undefined && this.player.settled(playlist.items) && this.outbox.idle);
  }

  /** The run is over: cut off what plays, and give its receipts `deadline` to reach the server. Answers how many did not. */
  async shutdown(deadline: AbortSignal): Promise<number> {
    this.stop.abort();
    this.nextHeartbeat();
    this.nextPoll();
    if (this.revoked) return 0;
    this.player.stop('the run ended');
    await this.outbox.drain(deadline);
    return this.outbox.size;
  }

  private async heartbeat(): Promise<void> {
    this.nextHeartbeat();
    this.heartbeating = true;
    try {
      this.heldChanged = false;
      const held = {
        playlists: [...this.air.playlists.values()].map(({ date, version }) => ({ date, version })),
        media: this.media.digests(),
      };
      const body = {
        volume: this.volume,
        playing: this.player.playing,
        freeBytes: STORAGE_BYTES - this.media.usedBytes(),
        held,
      };
      await this.sim.http.call('POST', '/api/v1/device/heartbeat', { ...this.call, json: body }, async (response) => {
        if (response.status === 401) return this.revoke('heartbeat');
        if (!response.ok) this.sim.report.error(this.who, `heartbeat: ${await reason(response)}`);
        else await response.body?.cancel();
      });
    } finally {
      this.heartbeating = false;
      this.scheduleHeartbeat(this.heldChanged ? HELD_CHANGED_HEARTBEAT_MS : this.sim.settings.heartbeatEveryMs);
    }
  }

  private scheduleHeartbeat(inMs: number): void {
    if (this.stop.signal.aborted || this.heartbeating) return;
    this.nextHeartbeat();
    this.nextHeartbeat = this.sim.scheduler.after(inMs, () => void this.guard('heartbeat', () => this.heartbeat()));
  }

  private poll(): void {
    this.nextPoll = this.sim.scheduler.after(this.sim.settings.pollEveryMs, () => {
      for (const date of this.dates) void this.pull(date);
      this.poll();
    });
  }

  /** One pull per date at a time; asking during one pulls once more after it, since the news may be newer than its answer. */
  private pull(date: string): Promise<void> {
    const running = this.pulling.get(date);
    if (running) {
      this.pullAgain.add(date);
      return running;
    }
    const pulling = this.guard(`playlist ${date}`, () => this.pullOnce(date)).finally(() => {
      this.pulling.delete(date);
      if (this.pullAgain.delete(date) && !this.stop.signal.aborted) void this.pull(date);
    });
    this.pulling.set(date, pulling);
    return pulling;
  }

  private async pullOnce(date: string): Promise<void> {
    const { report } = this.sim;
    const held = this.air.playlists.get(date);
    const headers: Record<string, string> = held ? { 'if-none-match': `"${held.version}"` } : {};
    const playlist = await this.sim.http.call(
      'GET',
      `/api/v1/device/playlist?date=${date}`,
      { ...this.call, headers },
      async (response) => {
        if (response.ok) {
          const served = (await response.json()) as ServedPlaylist;
          return { ...served, items: served.items.filter(playable) };
        }
        if (response.status !== 401 && response.status !== 304 && response.status !== 404) {
          report.stats.pulls.errors++;
          report.error(this.who, `playlist ${date}: ${await reason(response)}`);
          return undefined;
        }
        await response.body?.cancel();
        if (response.status === 401) this.revoke('playlist');
        else if (response.status === 304) report.stats.pulls.notModified304++;
        else {
          report.stats.notAvailable.playlist++;
          report.log(this.who, `playlist ${date}: not available yet (404)`);
        }
        return undefined;
      },
    );
    if (playlist) {
      report.stats.pulls.ok200++;
      report.log(this.who, `playlist ${date}: version ${playlist.version}, ${playlist.items.length} items`);
      this.air.playlists.set(date, { date, version: playlist.version, items: playlist.items });
      for (const item of playlist.items)
        if (item.kind === 'emergency') void this.guard('emergency', () => this.sound(item));
      this.player.update(this.air.items());
      this.media.refresh();
    }
    if (!this.revoked) this.sim.progressed(this);
  }

  private onEvent(event: SseEvent): void {
    const { stats } = this.sim.report;
    if (event.type === 'playlist-changed') {
      stats.events.playlistChanged++;
      const { date, version } = parseJson(event.data) as { date?: string; version?: string };
      this.sim.report.log(this.who, `event playlist-changed: ${date} version ${version}`);
      if (date && this.dates.includes(date) && this.air.playlists.get(date)?.version !== version) void this.pull(date);
    } else if (event.type === 'emergency' || event.type === 'emergency-cancelled') {
      this.sim.report.log(this.who, `event ${event.type}: ${event.data.slice(0, 200)}`);
      if (event.type === 'emergency') {
        stats.events.emergency++;
        const item = alertItem(parseJson(event.data) as AlertEvent);
        void this.guard('emergency', () => this.sound(item));
      } else {
        stats.events.emergencyCancelled++;
        const { itemId } = parseJson(event.data) as { itemId?: string };
        if (itemId) this.silence(itemId);
      }
    } else if (event.type === 'live-started') {
      stats.events.liveStarted++;
      this.sim.report.log(this.who, `event live-started: ${event.data.slice(0, 300)}`);
      const item = liveItem(event.data, this.sim.clock.now(), Date.now());
      if (typeof item === 'string') this.sim.report.error(this.who, item);
      else this.player.live(item);
    } else if (event.type === 'live-ended') {
      stats.events.liveEnded++;
      const { itemId, reason: why } = parseJson(event.data) as { itemId?: string; reason?: string };
      this.sim.report.log(this.who, `event live-ended: ${itemId} (${why})`);
      if (itemId) this.player.endStream(itemId, 'played', `live-ended (${why})`);
    } else {
      this.sim.report.log(this.who, `event ${event.type} ignored`);
    }
  }

  /** The horn plays a live stream; when the stream stops by itself, so does the item. */
  private tune(item: LiveItem | RelayItem): void {
    const stop = tuneIn(item.stream.url, this.stop.signal, this.sim.report.stats.live, ({ outcome, why }) =>
      this.player.endStream(item.id, outcome, why),
    );
    this.tuned = { itemId: item.id, stop };
  }

  /** An alert, pushed or found in a playlist: say it was heard, fetch its audio ahead of anything else, and air it now. */
  private async sound(item: PlaylistItem): Promise<void> {
    if (!this.air.heard(item)) return;
    const now = zoneIso(this.sim.clock.now());
    this.outbox.add(
      { id: randomUUID(), itemId: item.id, startedAt: now, endedAt: now, outcome: 'acknowledged' },
      this.stop.signal,
    );
    try {
      await this.media.fetchNow(item.media);
    } catch (error) {
      this.air.fetched(item.id);
      throw error;
    }
    if (this.air.fetched(item.id)) this.player.interject(item);
  }

  private silence(itemId: string): void {
    this.air.cancel(itemId);
    this.player.update(this.air.items());
  }

  private finished(item: Airing, outcome: Outcome, startedAt: number, endedAt: number, why: string): void {
    const { report } = this.sim;
    if (item.kind === 'live') {
      report.stats.live[outcome]++;
      if (this.tuned?.itemId === item.id) this.tuned.stop();
    } else report.stats.items[outcome]++;
    report.log(this.who, `${outcome} "${item.title}"${why ? `: ${why}` : ''}`);
    const receipt = {
      id: randomUUID(),
      itemId: item.id,
      startedAt: zoneIso(startedAt),
      endedAt: zoneIso(endedAt),
      outcome,
    };
    this.outbox.add(receipt, this.stop.signal);
    this.sim.progressed(this);
  }

  /** The server no longer knows this token: a device in the field would go dark until re-enrolled. */
  private revoke(where: string): void {
    if (this.revoked) return;
    this.revoked = true;
    this.sim.report.stats.endpoints.revoked++;
    this.sim.report.log(this.who, `token refused (401) on ${where}: revoked, stopping`);
    this.stop.abort();
    this.nextHeartbeat();
    this.nextPoll();
    this.player.stop('revoked');
    this.sim.progressed(this);
  }

  /** Failures are counted and logged; ending the run is not a failure. */
  private async guard(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (!this.stop.signal.aborted)
        this.sim.report.error(this.who, `${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
