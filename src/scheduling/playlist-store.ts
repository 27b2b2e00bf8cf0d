import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventBus } from '../infra/redis/event-bus';
import { ByDate } from '../kernel/by-date';
import { addDays, countyDate, COUNTY_TIME_ZONE, datesFrom, LocalDate } from '../kernel/county-time';
import type { RegionPath } from '../kernel/region';
import { type PlaylistItem, storedPlaylistItems } from './domain/playlist';
import { PlaylistCompiler } from './playlist-compiler';
import { SchedulingRepository } from './scheduling.repository';
import { COMPILE_HORIZON_DAYS } from './scheduling.service';

export interface ServedPlaylist {
  version: string;
  /** The version as a strong ETag, quoted. */
  etag: string;
  /**
   * The device's playlist document after its endpointId, from `,"date":` to
   * the closing brace: serialised once, sent to every endpoint of the region
   * behind its own `{"endpointId":"…"`.
   */
  sharedTail: string;
  compiledAt: number;
}

function served(date: LocalDate, version: string, itemsJson: string, compiledAt: number): ServedPlaylist {
  const sharedTail = `,"date":"${date}","timezone":"${COUNTY_TIME_ZONE}","version":"${version}","items":${itemsJson}}`;
  return { version, etag: `"${version}"`, sharedTail, compiledAt };
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
  private readonly cache = new ByDate<ServedPlaylist>(CACHE_LIMIT);
  private readonly loading = new Map<string, Promise<ServedPlaylist>>();
  private currentGeneration = 0;
  private readonly listeners: ChangeListener[] = [];

  constructor(
    private readonly schedule: SchedulingRepository,
    private readonly compiler: PlaylistCompiler,
    private readonly bus: EventBus,
  ) {}

  onModuleInit(): void {
    this.bus.on('playlist-changed', ({ date, changes }) => {
      this.currentGeneration++;
      for (const [regionCode] of changes) this.cache.delete(date, regionCode);
      for (const listener of this.listeners) listener(date, changes);
    });
  }

  /** Called for every announced change, in every process (the device event hub listens). */
  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  /**
   * Moves on whenever what devices are served may have changed: a compile
   * announced a change, or the county's day turned (the dates served moved).
   * An answer kept with the generation it was given in stands while it holds.
   */
  get generation(): number {
    return this.currentGeneration;
  }

  private served = { minute: -1, today: '', first: '', last: '', all: new Set<LocalDate>() };

  /**
   * The dates devices may ask for: yesterday (a clock near midnight) to the
   * end of the compiled horizon. Worked out once a minute, not on every pull.
   */
  servedDates(): { today: LocalDate; first: LocalDate; last: LocalDate; all: ReadonlySet<LocalDate> } {
    const minute = Math.floor(Date.now() / 60_000);
    if (minute !== this.served.minute) {
      const today = countyDate(new Date());
      if (today !== this.served.today) this.currentGeneration++;
      const first = addDays(today, -1);
      const last = addDays(today, COMPILE_HORIZON_DAYS - 1);
      this.served = { minute, today, first, last, all: new Set(datesFrom(first, last)) };
    }
    return this.served;
  }

  get(region: RegionPath, date: LocalDate): ServedPlaylist | Promise<ServedPlaylist> {
    const cached = this.cache.get(date, region.code);
    if (cached) return cached;
    const key = `${region.code}|${date}`;
    let loading = this.loading.get(key);
    if (!loading) {
      loading = this.load(region, date).finally(() => this.loading.delete(key));
      this.loading.set(key, loading);
    }
    return loading;
  }

  /**
   * The items a region's loudspeakers are told to air on a date, for people to
   * read (the villagers' page): the stored playlist, or for a date no compile
   * stored one composed now and not stored.
   */
  async itemsOf(region: RegionPath, date: LocalDate): Promise<PlaylistItem[]> {
    const stored = await this.schedule.compiledPlaylist(region.code, date);
    if (stored) return storedPlaylistItems(stored.items);
    const composed = (await this.compiler.compose(region.countyCode, [date], [region.code])).get(date) ?? [];
    return composed.find((one) => one.regionCode === region.code)?.items ?? [];
  }

  private async load(region: RegionPath, date: LocalDate): Promise<ServedPlaylist> {
    const generationBefore = this.currentGeneration;
    const stored = await this.schedule.compiledPlaylist(region.code, date);
    const playlist = stored
      ? served(date, stored.version, JSON.stringify(stored.items), stored.compiledAt.getTime())
      : await this.compiler
          .compileOne(region, date)
          .then((compiled) => served(date, compiled.version, compiled.itemsJson, Date.now()));
    // A load that raced a change does not cache what it read before it.
    if (this.currentGeneration !== generationBefore) return playlist;
    this.cache.set(date, region.code, playlist);
    return playlist;
  }
}
