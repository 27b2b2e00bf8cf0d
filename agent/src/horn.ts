import type { AudioEngine } from './audio';
import { LEAD_MS } from './audio';
import type { MediaCache } from './cache';
import type { Journal } from './journal';
import {
  AirList,
  type Airing,
  type Cancel,
  type Clock,
  type ItemMedia,
  type ListedItem,
  type LiveItem,
  OneAtATime,
  type Outcome,
  Player,
  type PlaylistItem,
  type RelayItem,
  type Scheduler,
} from './protocol';

// Decoding starts this long before an item's start (its file is checked first), so its first sample is ready.
const PREROLL_MS = 5000;
// An item the clock jumped past by more than this is not aired late (one merely waiting behind an alert is).
const LATE_MS = 5000;
// How often a full card is looked at for room again (a statfs: cheap).
const ROOM_CHECK_MS = 2000;

export interface HornLink {
  clock: Clock;
  scheduler: Scheduler;
  engine: AudioEngine;
  cache: MediaCache;
  journal: Journal;
  retryMs: number;
  /** Why scheduled items may not air (the clock is off), or undefined. */
  clockFault(): string | undefined;
  fault(code: string, text: string | undefined): void;
  /** A playlist item or alert aired, failed or was cut off: its receipt. */
  aired(item: Airing, outcome: Outcome | 'acknowledged', startedAt: number, endedAt: number): void;
  /** The media held changed: the server's readiness check wants to know. */
  heldChanged(): void;
}

/**
 * The loudspeaker: what to air (the shared Player's rules: alerts first,
 * urgent live next, nothing scheduled half-way), the media it needs on the
 * card, and the audio engine that airs it on the sample.
 */
export class Horn {
  readonly air = new AirList<ListedItem>();
  readonly player: Player;
  private readonly prerolls = new Map<string, Cancel>();
  private readonly filler = new OneAtATime(() => this.fillOnce());
  private retry: Cancel = () => undefined;
  // The span of the horn's clock the last forward jump skipped: items due in it were not reached in time.
  private skipped = { from: 0, to: 0 };

  get cache(): MediaCache {
    return this.link.cache;
  }

  constructor(private readonly link: HornLink) {
    this.player = new Player(
      link.scheduler,
      link.clock,
      { speed: 1, failRate: 0, random: Math.random },
      {
        holds: (sha256) => link.cache.has(sha256),
        refuses: (item) => this.refuses(item),
        waits: (item) => this.waits(item),
        skipped: (item, why) => {
          link.engine.stop(item.id, link.clock.now());
          link.journal.event('skip', { itemId: item.id, title: item.title, why });
        },
        started: (item) => this.started(item),
        tune: (item) => this.tune(item),
        finished: (item, outcome, startedAt, endedAt, why) => {
          link.engine.stop(item.id, endedAt);
          link.journal.event('play-end', { itemId: item.id, outcome, startedAt, endedAt, why });
          link.aired(item, outcome, startedAt, endedAt);
        },
      },
    );
  }

  /** A playlist or an alert changed what to air: tell the player, line up decoders, fetch what is missing. */
  refresh(): void {
    const items = this.air.items();
    this.player.update(items);
    const now = this.link.clock.now();
    const listed = new Set(items.map((item) => item.id));
    this.link.engine.keepPrepared(listed);
    for (const [id, cancel] of this.prerolls) {
      if (listed.has(id)) continue;
      cancel();
      this.prerolls.delete(id);
    }
    for (const item of this.air.upcoming(now)) {
      if (item.kind === 'relay' || this.prerolls.has(item.id)) continue;
      const start = Date.parse(item.startsAt);
      this.prerolls.set(
        item.id,
        this.link.scheduler.at(start - PREROLL_MS, () => void this.preroll(item)),
      );
    }
    void this.fill();
  }

  /** An alert, pushed or in a playlist: acknowledge it, fetch (or check) its audio first of all, and air it at once. */
  async alert(item: PlaylistItem): Promise<void> {
    if (!this.air.heard(item)) return;
    // Heard now, by the wall clock: the horn's clock runs LEAD_MS ahead, for what it airs.
    const now = Date.now();
    this.link.journal.event('alert', { itemId: item.id, title: item.title, durationMs: item.durationMs });
    this.link.aired(item, 'acknowledged', now, now);
    const { sha256 } = item.media;
    if (this.link.cache.has(sha256) && !(await this.link.cache.verify(sha256)))
      this.corrupt(sha256, 'its cached file no longer matches its sha256');
    await this.download(item.media);
    if (this.air.fetched(item.id)) this.player.interject(item);
  }

  cancelAlert(itemId: string): void {
    this.air.cancel(itemId);
    this.refresh();
  }

  /** Whether an alert or a live stream is on (a test tone must not cover them). */
  busy(): boolean {
    const current = this.player.airing;
    return current !== undefined && (current.kind === 'emergency' || current.kind === 'live');
  }

  /** A scheduled item is not started by a clock that is off or just jumped: it waits until the clock is measured. */
  private waits(item: Airing): string | undefined {
    if (item.kind === 'emergency' || item.kind === 'live') return undefined;
    const clock = this.link.clockFault();
    if (!clock) return undefined;
    this.link.journal.event('held', { itemId: item.id, title: item.title, why: clock });
    return `refused: ${clock}`;
  }

  /**
   * The clock was measured (`offsetMs`, server − device, when known): what
   * waited for it airs at its true start if that is still ahead and the
   * clock is `trusted`, and fails if its true start has passed.
   */
  clockChecked(offsetMs: number | undefined, trusted: boolean): void {
    // By the wall clock, not the horn's (LEAD_MS ahead): an item may start until its first sample is due.
    this.player.reconsider(offsetMs === undefined ? undefined : Date.now() + offsetMs, trusted);
  }

  private refuses(item: Airing): string | undefined {
    if (item.kind === 'emergency' || item.kind === 'live') return undefined;
    const start = Date.parse(item.startsAt);
    const late = this.link.clock.now() - start;
    if (start >= this.skipped.from && start < this.skipped.to && late > LATE_MS)
      return `the clock jumped past its start (${late} ms ago)`;
    return undefined;
  }

  /** The wall clock was set forward by `jumpMs`: what was due in between is over, not to air late. */
  clockJumped(jumpMs: number): void {
    const now = this.link.clock.now();
    if (jumpMs > 0) this.skipped = { from: now - jumpMs, to: now };
  }

  /** Where its first sample goes: exactly its start when that is still ahead of what is written, else now. */
  private startAt(item: Airing): number {
    const now = this.link.clock.now();
    const start = Date.parse(item.startsAt);
    return item.kind !== 'live' && Math.abs(now - start) < LEAD_MS ? start : now;
  }

  private started(item: Airing): void {
    if (item.kind === 'live' || item.kind === 'relay') return;
    const { engine, cache, journal } = this.link;
    const at = this.startAt(item);
    const sample = engine.start(item.id, { input: cache.path(item.media.sha256), loop: item.kind === 'emergency' }, at);
    journal.event('play-start', { itemId: item.id, kind: item.kind, title: item.title, startsAt: at, sample });
  }

  private tune(item: LiveItem | RelayItem): void {
    const { engine, journal } = this.link;
    const at = this.startAt(item);
    const ended = (bytes: number, why: string): void =>
      this.player.endStream(item.id, bytes > 0 ? 'played' : 'failed', why);
    const sample = engine.start(item.id, { input: item.stream.url, ended }, at);
    journal.event('play-start', { itemId: item.id, kind: item.kind, title: item.title, startsAt: at, sample });
  }

  /** Shortly before an item: check its file (a damaged one is deleted and fetched again) and start decoding it. */
  private async preroll(item: PlaylistItem): Promise<void> {
    this.prerolls.delete(item.id);
    const { cache, engine } = this.link;
    if (!cache.has(item.media.sha256)) return;
    if (!(await cache.verify(item.media.sha256))) {
      this.corrupt(item.media.sha256, 'its cached file no longer matches its sha256');
      return void this.fill();
    }
    engine.prepare(item.id, { input: cache.path(item.media.sha256), loop: item.kind === 'emergency' });
  }

  corrupt(sha256: string, why: string): void {
    this.link.journal.event('corrupt', { sha256, why });
    this.link.fault('media-corrupt', `${sha256.slice(0, 12)}…: ${why}`);
    this.link.heldChanged();
  }

  private fill(): Promise<void> {
    return this.filler.run();
  }

  /** One download at a time, soonest item first; after a failure the rest wait for the retry (on a full card, for room). */
  private async fillOnce(): Promise<void> {
    const wanted = new Map<string, ItemMedia>();
    const soonest = this.air
      .upcoming(this.link.clock.now())
      .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
    for (const item of soonest)
      if (item.kind !== 'relay' && !this.link.cache.has(item.media.sha256)) wanted.set(item.media.sha256, item.media);
    for (const media of wanted.values()) {
      const got = await this.download(media);
      if (got === 'held') continue;
      this.retry();
      this.retry =
        got === 'disk-full'
          ? this.whenRoomFor(media.bytes)
          : this.link.scheduler.after(this.link.retryMs, () => void this.fill());
      return;
    }
  }

  /** The card is full: look again and again for room for `bytes` (a technician cleans up), then fetch at once. */
  private whenRoomFor(bytes: number): Cancel {
    return this.link.scheduler.after(ROOM_CHECK_MS, () => {
      void this.link.cache.room().then((room) => {
        if (room === undefined || room >= bytes) void this.fill();
        else this.retry = this.whenRoomFor(bytes);
      });
    });
  }

  private async download(media: ItemMedia): Promise<'held' | 'failed' | 'disk-full'> {
    const { cache, journal } = this.link;
    if (cache.has(media.sha256)) return 'held';
    journal.event('download', { sha256: media.sha256, url: media.url, bytes: media.bytes });
    const result = await cache.fetch(media);
    if (result.ok) {
      journal.event('verified', { sha256: media.sha256, bytes: result.bytes, resumedAt: result.resumedAt });
      this.link.fault('disk-full', undefined);
      this.link.fault('media-corrupt', undefined);
      this.link.heldChanged();
      return 'held';
    }
    if (result.corrupt) this.corrupt(media.sha256, `download: ${result.why}`);
    else journal.event('download-failed', { sha256: media.sha256, why: result.why });
    if (!result.diskFull) return 'failed';
    // One text while it lasts (how much got stored is in download-failed): a fault changes only when the news does.
    this.link.fault('disk-full', `cannot store ${media.sha256.slice(0, 12)}…: no space left on the device`);
    return 'disk-full';
  }
}
