import type { AlertEvent, ItemMedia, ServedItem } from './types';
import type { Clock } from './clock';
import type { Cancel, Scheduler } from './scheduler';

/** A playlist item with a rendition to play: scheduled programmes and alerts. */
export type PlaylistItem = Omit<ServedItem, 'kind' | 'media' | 'stream'> & {
  kind: 'scheduled' | 'emergency';
  media: ItemMedia;
};
export const playable = (item: ServedItem): item is PlaylistItem =>
  (item.kind === 'scheduled' || item.kind === 'emergency') && item.media !== undefined;

/** A relayed outside stream: opened at startsAt, played for durationMs, nothing held ahead. */
export type RelayItem = Omit<ServedItem, 'kind' | 'media' | 'stream'> & {
  kind: 'relay';
  stream: { url: string; mime: string };
};
export const relayable = (item: ServedItem): item is RelayItem => item.kind === 'relay' && item.stream !== undefined;

/** What a playlist lists for the horn (the simulator leaves relays out; the agent plays them). */
export type ListedItem = PlaylistItem | RelayItem;

/** A pulled playlist as a device keeps it: the items it knows how to air. */
export interface Playlist<Item = PlaylistItem> {
  date: string;
  version: string;
  items: Item[];
}

/** An `emergency` event as the item it airs (the same as the alert's playlist item). */
export function alertItem(alert: AlertEvent): PlaylistItem {
  const { itemId: id, title, startsAt, durationMs, priority, media } = alert;
  return { id, kind: 'emergency', title, startsAt, durationMs, priority, media };
}

export type Outcome = 'played' | 'failed' | 'interrupted';

/** A live session as the device plays it (from a `live-started` event): a stream, not a file. */
export interface LiveItem {
  /** `live:<session id>`, the id its receipt carries. */
  id: string;
  kind: 'live';
  title: string;
  startsAt: string;
  priority: number;
  urgent: boolean;
  /** The latest it may play, on the device's clock (the event's endsBy): a device that hears no end stops then. */
  endsAt: number;
  stream: { url: string; mime: string };
}

/** Anything the horn airs: a playlist's item, a pushed alert, or a live stream. */
export type Airing = ListedItem | LiveItem;

export interface PlayerHooks {
  holds(sha256: string): boolean;
  skipped(item: Airing, why: string): void;
  started(item: Airing): void;
  /** Start reading a live or relayed stream; the device calls endStream() when it stops by itself. */
  tune(item: LiveItem | RelayItem): void;
  /** Why this item may not air now (the clock jumped past its start, say), or undefined: it is then `failed`. */
  refuses?(item: Airing): string | undefined;
  /**
   * Why this item must wait (the agent's clock cannot be trusted now), or
   * undefined. A held item airs, fails or waits on as reconsider() judges it.
   */
  waits?(item: Airing): string | undefined;
  finished(item: Airing, outcome: Outcome, startedAt: number, endedAt: number, why: string): void;
}

export interface PlayerSettings {
  speed: number;
  failRate: number;
  random: () => number;
}

interface Track {
  item: Airing;
  state: 'scheduled' | 'queued' | 'held' | 'playing' | 'done' | 'skipped';
  cancel?: Cancel;
  startedAt?: number;
  /** Why it was held (state held). */
  why?: string;
}

/**
 * Seen for the first time at `now`: play it, or is it too late? Joining a
 * programme half-way is not worth airing; an emergency under way is aired
 * from its beginning at once.
 */
export function firstSight(item: ListedItem, now: number): 'schedule' | 'now' | 'over' | 'under way' {
  const start = Date.parse(item.startsAt);
  if (start > now) return 'schedule';
  if (start + item.durationMs <= now) return 'over';
  return item.kind === 'emergency' ? 'now' : 'under way';
}

/**
 * Does `newcomer`, due while `current` plays, cut it off? Only what ranks
 * higher, and of live sessions only an urgent one: a normal one waits for the
 * item playing to end. Alerts rank above every live session, so an alert is
 * never cut off by one, and an alert cuts off any live session.
 */
export function preempts(newcomer: Airing, current: Airing): boolean {
  if (newcomer.priority <= current.priority) return false;
  return newcomer.kind !== 'live' || newcomer.urgent;
}

/**
 * One loudspeaker horn: it airs what the playlists hold at their startsAt on
 * the device's own clock, one item at a time. An item due while another plays
 * waits its turn, unless it preempts the one playing (an alert, an urgent
 * live session), which is then cut off. Waiting items go by priority, so a
 * live session waiting for the current item airs before the next programme.
 */
export class Player {
  private readonly tracks = new Map<string, Track>();
  private current: Track | undefined;
  private queue: Track[] = [];

  constructor(
    private readonly scheduler: Scheduler,
    private readonly clock: Clock,
    private readonly settings: PlayerSettings,
    private readonly hooks: PlayerHooks,
  ) {}

  get playing(): boolean {
    return this.current !== undefined;
  }

  /** What the horn is airing now, if anything. */
  get airing(): Airing | undefined {
    return this.current?.item;
  }

  /** The items of every playlist the device now holds: the newest word on what to air. */
  update(items: ListedItem[]): void {
    const now = this.clock.now();
    const listed = new Set(items.map((item) => item.id));
    // Forget the withdrawn ones first, so cutting off the one playing cannot start another withdrawn one.
    // Live streams are in no playlist: their events alone start and end them.
    for (const [id, track] of this.tracks) {
      if (!listed.has(id) && track.item.kind !== 'live' && waiting(track)) this.forget(track);
    }
    if (this.current && this.current.item.kind !== 'live' && !listed.has(this.current.item.id))
      this.end(this.current, 'interrupted', 'taken off the playlist while playing');
    for (const item of items) {
      const track = this.tracks.get(item.id);
      if (track && waiting(track)) {
        const held = track.item;
        if (held.kind !== 'live' && held.startsAt === item.startsAt && held.durationMs === item.durationMs) {
          track.item = item;
          continue;
        }
        // Moved: judge it afresh, as if first seen now.
        this.forget(track);
      } else if (track) continue;
      this.see(item, now);
    }
  }

  /**
   * An alert pushed to the device: it airs at once, interrupting anything of
   * lower priority, whatever the device's clock says of its start.
   */
  interject(item: PlaylistItem): void {
    if (this.tracks.has(item.id)) return;
    const track: Track = { item, state: 'scheduled' };
    this.tracks.set(item.id, track);
    this.due(track);
  }

  /**
   * A live session started: it airs now if nothing plays or it preempts what
   * does, else when its turn comes (if it is still live then). Heard again (the
   * event stream reconnected) it changes nothing.
   */
  live(item: LiveItem): void {
    if (this.tracks.has(item.id)) return;
    const track: Track = { item, state: 'queued' };
    this.tracks.set(item.id, track);
    this.due(track);
  }

  /**
   * A live or relayed stream is over: `live-ended`, the stream ran out (played)
   * or could not be opened (failed). One still waiting its turn will never air.
   */
  endStream(id: string, outcome: Outcome, why: string): void {
    const track = this.tracks.get(id);
    if (!track || (track.item.kind !== 'live' && track.item.kind !== 'relay')) return;
    if (track.state === 'playing') return this.end(track, outcome, why);
    if (track.state !== 'queued') return;
    this.queue = this.queue.filter((queued) => queued !== track);
    track.state = 'skipped';
    this.hooks.skipped(track.item, `ended before its turn (${why})`);
  }

  /**
   * The clock was measured again: `trueNow` is the server's time now (when
   * known), the instant an item's startsAt is compared with. A held item
   * whose start it has passed fails with why it was held (it is not aired
   * late); one still ahead, once the clock is `trusted`, waits for its start.
   */
  reconsider(trueNow: number | undefined, trusted: boolean): void {
    for (const track of this.tracks.values()) {
      if (track.state !== 'held') continue;
      const start = Date.parse(track.item.startsAt);
      if (trueNow !== undefined && start < trueNow) {
        this.finish(track, 'failed', track.why ?? '');
      } else if (trusted) {
        track.state = 'scheduled';
        track.cancel = this.scheduler.at(start, () => this.due(track));
      }
    }
  }

  /** Every one of these items has aired, failed, or was too late to air. */
  settled(items: ListedItem[]): boolean {
    return items.every((item) => {
      const state = this.tracks.get(item.id)?.state;
      return state === 'done' || state === 'skipped';
    });
  }

  /** The device goes quiet: what is playing is cut off, nothing more starts. */
  stop(why: string): void {
    if (this.current) this.finish(this.current, 'interrupted', why);
    for (const track of this.tracks.values()) track.cancel?.();
    this.queue = [];
  }

  private see(item: ListedItem, now: number): void {
    const verdict = firstSight(item, now);
    const track: Track = { item, state: 'scheduled' };
    this.tracks.set(item.id, track);
    if (verdict === 'now') return this.due(track);
    if (verdict !== 'schedule') {
      track.state = 'skipped';
      this.hooks.skipped(item, `already ${verdict} when first seen`);
      return;
    }
    track.cancel = this.scheduler.at(Date.parse(item.startsAt), () => this.due(track));
  }

  private forget(track: Track): void {
    track.cancel?.();
    this.queue = this.queue.filter((queued) => queued !== track);
    this.tracks.delete(track.item.id);
  }

  private due(track: Track): void {
    const current = this.current;
    if (!current) return this.play(track);
    if (preempts(track.item, current.item)) {
      this.finish(current, 'interrupted', `preempted by "${track.item.title}"`);
      return this.play(track);
    }
    track.state = 'queued';
    this.queue.push(track);
    this.queue.sort(
      (a, b) => b.item.priority - a.item.priority || Date.parse(a.item.startsAt) - Date.parse(b.item.startsAt),
    );
  }

  private play(track: Track): void {
    const { item } = track;
    if (item.kind === 'live' && item.endsAt <= this.clock.now()) {
      track.state = 'skipped';
      this.hooks.skipped(item, 'its endsBy passed before its turn');
      return this.next();
    }
    track.startedAt = this.clock.now();
    const wait = this.hooks.waits?.(item);
    if (wait) {
      track.state = 'held';
      track.why = wait;
      return this.next();
    }
    track.state = 'playing';
    this.current = track;
    const refusal = this.hooks.refuses?.(item);
    if (refusal) return this.end(track, 'failed', refusal);
    if (item.kind === 'relay') {
      this.hooks.started(item);
      const until = Date.parse(item.startsAt) + item.durationMs;
      track.cancel = this.scheduler.at(until, () => this.end(track, 'played', ''));
      return this.hooks.tune(item);
    }
    if (item.kind === 'live') {
      this.hooks.started(item);
      // Streams play in real time whatever --speed says; the server's endsBy is the last word.
      track.cancel = this.scheduler.at(item.endsAt, () => this.end(track, 'played', 'its endsBy passed'));
      return this.hooks.tune(item);
    }
    if (!this.hooks.holds(item.media.sha256)) return this.end(track, 'failed', 'its media was not held at its start');
    if (this.settings.random() < this.settings.failRate)
      return this.end(track, 'failed', 'playback failed (--fail-rate)');
    this.hooks.started(track.item);
    track.cancel = this.scheduler.after(item.durationMs / this.settings.speed, () => this.end(track, 'played', ''));
  }

  private end(track: Track, outcome: Outcome, why: string): void {
    this.finish(track, outcome, why);
    this.next();
  }

  private next(): void {
    const next = this.queue.shift();
    if (next) this.play(next);
  }

  private finish(track: Track, outcome: Outcome, why: string): void {
    track.cancel?.();
    track.state = 'done';
    if (this.current === track) this.current = undefined;
    this.hooks.finished(track.item, outcome, track.startedAt ?? this.clock.now(), this.clock.now(), why);
  }
}

/** Not yet aired, failed or skipped: a playlist change may still move or withdraw it. */
const waiting = (track: Track): boolean =>
  track.state === 'scheduled' || track.state === 'queued' || track.state === 'held';
