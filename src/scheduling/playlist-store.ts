import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventBus } from '../infra/redis/event-bus';
import { addDays, countyDate, LocalDate } from './domain/county-time';
import type { RegionPath } from './domain/rundown';
import { PlaylistCompiler } from './playlist-compiler';
import { SchedulingRepository } from './scheduling.repository';
import { COMPILE_HORIZON_DAYS } from './scheduling.service';

export interface ServedPlaylist {
  version: string;
  /** The items as JSON text, serialised once and sent to every endpoint of the region. */
  itemsJson: string;
  compiledAt: number;
}

type ChangeListener = (date: LocalDate, changes: Array<[string, string]>) => void;

// Enough for every region of a province for the dates devices ask about.
const CACHE_LIMIT = 250_000;

/**
 * Serves compiled playlists from memory: a pull costs a map lookup, not a
 * query. Entries are dropped when a compile anywhere announces a change, and
 * a region asked for before its playlist was compiled is compiled then.
 */
@Injectable()
export class PlaylistStore implements OnModuleInit {
  private readonly cache = new Map<string, ServedPlaylist>();
  private readonly loading = new Map<string, Promise<ServedPlaylist>>();
  // Counts announced changes, so a load that raced one does not cache what it read before.
  private changes = 0;
  private readonly listeners: ChangeListener[] = [];

  constructor(private readonly schedule: SchedulingRepository, private readonly compiler: PlaylistCompiler, private readonly bus: EventBus) {}

  onModuleInit(): void {
    this.bus.on('playlist-changed', ({ date, changes }) => {
      this.changes++;
      for (const [regionCode] of changes) this.cache.delete(`${regionCode}|${date}`);
      for (const listener of this.listeners) listener(date, changes);
    });
  }

  /** Called for every announced change, in every process (the device event hub listens). */
  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  private served = { minute: -1, today: '', first: '', last: '' };

  /**
   * The dates devices may ask for: yesterday (a clock near midnight) to the
   * end of the compiled horizon. Worked out once a minute, not on every pull.
   */
  servedDates(): { today: LocalDate; first: LocalDate; last: LocalDate } {
    const minute = Math.floor(Date.now() / 60_000);
    if (minute !== this.served.minute) {
      const today = countyDate(new Date());
      this.served = { minute, today, first: addDays(today, -1), last: addDays(today, COMPILE_HORIZON_DAYS - 1) };
    }
    return this.served;
  }

  get(region: RegionPath, date: LocalDate): ServedPlaylist | Promise<ServedPlaylist> {
    const key = `${region.code}|${date}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    let loading = this.loading.get(key);
    if (!loading) {
      loading = this.load(region, date).finally(() => this.loading.delete(key));
      this.loading.set(key, loading);
    }
    return loading;
  }

  private async load(region: RegionPath, date: LocalDate): Promise<ServedPlaylist> {
    const changesBefore = this.changes;
    const stored = await this.schedule.compiledPlaylist(region.code, date);
    const served: ServedPlaylist = stored
      ? { version: stored.version, itemsJson: JSON.stringify(stored.items), compiledAt: stored.compiledAt.getTime() }
      : await this.compiler.compileOne(region, date).then((compiled) => ({ version: compiled.version, itemsJson: compiled.itemsJson, compiledAt: Date.now() }));
    if (this.changes !== changesBefore) return served;
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(`${region.code}|${date}`, served);
    return served;
  }
}
