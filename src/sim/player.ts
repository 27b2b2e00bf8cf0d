// The device protocol's item, as the server declares it.
import type { PlaylistItem as ServedItem } from '../scheduling/domain/playlist';
import type { Clock } from './clock';
import type { Cancel, Scheduler } from './scheduler';

/** The items the simulator airs: those with a rendition to play (a relay's stream it skips, as a device that does not know a kind). */
export type PlaylistItem = ServedItem & { media: NonNullable<ServedItem['media']> };
export const playable = (item: ServedItem): item is PlaylistItem => item.media !== undefined;

export type Outcome = 'played' | 'failed' | 'interrupted';

export interface PlayerHooks {
  holds(sha256: string): boolean;
  skipped(item: PlaylistItem, why: string): void;
  started(item: PlaylistItem): void;
  finished(item: PlaylistItem, outcome: Outcome, startedAt: number, endedAt: number, why: string): void;
}

export interface PlayerSettings {
  speed: number;
  failRate: number;
  random: () => number;
}

interface Track {
  item: PlaylistItem;
  state: 'scheduled' | 'queued' | 'playing' | 'done' | 'skipped';
  cancel?: Cancel;
  startedAt?: number;
}

/**
 * Seen for the first time at `now`: play it, or is it too late? Joining a
 * programme half-way is not worth airing; an emergency under way is aired
 * from its beginning at once.
 */
export function firstSight(item: PlaylistItem, now: number): 'schedule' | 'now' | 'over' | 'under way' {
  const start = Date.parse(item.startsAt);
  if (start > now) return 'schedule';
  if (start + item.durationMs <= now) return 'over';
  return item.kind === 'emergency' ? 'now' : 'under way';
}

/**
 * One loudspeaker horn: it airs what the playlists hold at their startsAt on
 * the device's own clock, one item at a time. An item due while another plays
 * waits its turn, unless it has the higher priority (an emergency), which
 * interrupts the one playing.
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

  /** The items of every playlist the device now holds: the newest word on what to air. */
  update(items: PlaylistItem[]): void {
    const now = this.clock.now();
    const listed = new Set(items.map((item) => item.id));
    // Forget the withdrawn ones first, so cutting off the one playing cannot start another withdrawn one.
    for (const [id, track] of this.tracks) {
      if (!listed.has(id) && (track.state === 'scheduled' || track.state === 'queued')) this.forget(track);
    }
    if (this.current && !listed.has(this.current.item.id))
      this.end(this.current, 'interrupted', 'taken off the playlist while playing');
    for (const item of items) {
      const track = this.tracks.get(item.id);
      if (track && (track.state === 'scheduled' || track.state === 'queued')) {
        if (track.item.startsAt === item.startsAt && track.item.durationMs === item.durationMs) {
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

  /** Every one of these items has aired, failed, or was too late to air. */
  settled(items: PlaylistItem[]): boolean {
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

  private see(item: PlaylistItem, now: number): void {
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
    if (track.item.priority > current.item.priority) {
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
    track.state = 'playing';
    track.startedAt = this.clock.now();
    this.current = track;
    if (!this.hooks.holds(track.item.media.sha256))
      return this.end(track, 'failed', 'its media was not held at its start');
    if (this.settings.random() < this.settings.failRate)
      return this.end(track, 'failed', 'playback failed (--fail-rate)');
    this.hooks.started(track.item);
    track.cancel = this.scheduler.after(track.item.durationMs / this.settings.speed, () =>
      this.end(track, 'played', ''),
    );
  }

  private end(track: Track, outcome: Outcome, why: string): void {
    this.finish(track, outcome, why);
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
