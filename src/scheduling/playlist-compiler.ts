import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { EventBus } from '../infra/redis/event-bus';
import { Icecast } from '../infra/icecast/icecast';
import { renditionUrl } from '../media/media.dto';
import { entriesOn } from './broadcast-plan';
import { countyInstant, LocalDate } from '../kernel/county-time';
import { PlaylistItem, playlistItems, playlistVersion, Preemption } from './domain/playlist';
import { composeRundown, entriesReaching, RundownItem, ScheduledEntry } from './domain/rundown';
import { covers, RegionPath } from '../kernel/region';
import { PlaylistPreemptions } from './playlist-preemption';
import { SchedulingRepository, SlotSettings } from './scheduling.repository';
import { RegionsRepository } from '../regions/regions.repository';

export interface CompiledRegion {
  regionCode: string;
  version: string;
  items: PlaylistItem[];
  /** The items serialised once per composition, shared by every region airing them. */
  itemsJson: string;
}

// Devices are told about changed playlists in messages of this many regions.
const CHANGES_PER_MESSAGE = 5_000;

/**
 * Turns a county's schedule into the playlist each of its regions airs, and
 * stores only what changed. Endpoints of one region share one playlist, so a
 * province is ~53,000 compilations a day, not one per loudspeaker.
 */
@Injectable()
export class PlaylistCompiler {
  private readonly logger = new Logger('PlaylistCompiler');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schedule: SchedulingRepository,
    private readonly regions: RegionsRepository,
    private readonly bus: EventBus,
    private readonly preemptions: PlaylistPreemptions,
    private readonly icecast: Icecast,
  ) {}

  /** What every region under `roots` (the whole county if none) airs on each date, composed in memory. */
  async compose(countyCode: string, dates: LocalDate[], roots?: string[]): Promise<Map<LocalDate, CompiledRegion[]>> {
    const regions = await this.regions.pathsUnder(roots?.length ? roots : [countyCode]);
    const slots = await this.slotsOf(countyCode);
    const sorted = [...dates].sort();
    const plansBySlot = await Promise.all(
      slots.map((slot) => this.schedule.plans(countyCode, slot.name, sorted[0], sorted[sorted.length - 1])),
    );
    const preemptions = await this.preemptions.live(countyCode);
    const result = new Map<LocalDate, CompiledRegion[]>();
    for (const date of sorted) {
      const entriesBySlot = plansBySlot.map((plans) => entriesOn(plans, date));
      const liveOnDate = preemptions.filter((preemption) => preemption.airsOn(date));
      // Most villages have no entries of their own and air exactly their township's rundown:
      // regions reached by the same entries share one composition.
      const shared = new Map<string, Omit<CompiledRegion, 'regionCode'>>();
      result.set(
        date,
        regions.map((region) => {
          const reaching = entriesBySlot.map((entries) => entriesReaching(region, entries));
          const preempting = liveOnDate.filter((preemption) =>
            preemption.regionCodes.some((code) => covers(code, region)),
          );
          const key = [
            preempting.map((preemption) => preemption.id).join(','),
            ...reaching.map((entries) => entries.map((entry) => `${entry.broadcastId}@${entry.targetCode}`).join(',')),
          ].join('|');
          let composed = shared.get(key);
          if (!composed) {
            composed = this.composeRegion(date, slots, reaching, preempting);
            shared.set(key, composed);
          }
          return { regionCode: region.code, ...composed };
        }),
      );
    }
    return result;
  }

  /** Composes, stores what changed, and tells the processes serving devices. Returns how many changed. */
  async compile(
    countyCode: string,
    dates: LocalDate[],
    roots?: string[],
  ): Promise<{ regions: number; changed: number }> {
    const composed = await this.compose(countyCode, dates, roots);
    let regions = 0;
    let changed = 0;
    for (const [date, compiled] of composed) {
      regions += compiled.length;
      const stored = await this.schedule.storedVersions(
        compiled.map((region) => region.regionCode),
        date,
      );
      const fresh = compiled.filter((region) => stored.get(region.regionCode) !== region.version);
      if (!fresh.length) continue;
      await this.schedule.storePlaylists(
        date,
        fresh.map(({ regionCode, version, itemsJson }) => ({ regionCode, version, itemsJson })),
      );
      changed += fresh.length;
      for (let i = 0; i < fresh.length; i += CHANGES_PER_MESSAGE) {
        const changes = fresh
          .slice(i, i + CHANGES_PER_MESSAGE)
          .map((region): [string, string] => [region.regionCode, region.version]);
        await this.bus
          .publish('playlist-changed', { date, changes })
          .catch((error: Error) => this.logger.warn(`could not announce changed playlists: ${error.message}`));
      }
    }
    return { regions, changed };
  }

  /** One region's playlist for one date, stored: for a device asking before the nightly compile did. */
  async compileOne(region: RegionPath, date: LocalDate): Promise<CompiledRegion> {
    const [compiled] = (await this.compose(region.countyCode, [date], [region.code]))
      .get(date)!
      .filter((one) => one.regionCode === region.code);
    await this.schedule.storePlaylists(date, [compiled]);
    return compiled;
  }

  /** The composed rundown of one region, slot by slot, with start times (for operators). */
  async rundown(region: RegionPath, date: LocalDate, slot: SlotSettings): Promise<RundownItem[]> {
    const plans = await this.schedule.plans(region.countyCode, slot.name, date, date);
    return composeRundown(date, countyInstant(date, slot.startMinute), entriesReaching(region, entriesOn(plans, date)));
  }

  /**
   * When a broadcast airs on a date, from its first start to its last end
   * across its targets (every region under a target airs it when the target
   * does: what comes before it there is the same); null when it does not air.
   */
  async airingSpan(
    broadcast: { id: string; countyCode: string; slotName: string; targets: Array<{ regionCode: string }> },
    date: LocalDate,
  ): Promise<{ startsAt: number; endsAt: number } | null> {
    const slot = await this.schedule.slot(broadcast.countyCode, broadcast.slotName);
    if (!slot) return null;
    const entries = entriesOn(await this.schedule.plans(broadcast.countyCode, slot.name, date, date), date);
    const targets = await this.regions.levels(broadcast.targets.map((target) => target.regionCode));
    const slotStart = countyInstant(date, slot.startMinute);
    const items = [...targets].flatMap(([code, path]) =>
      composeRundown(date, slotStart, entriesReaching({ ...path, code }, entries)).filter(
        (item) => item.broadcastId === broadcast.id,
      ),
    );
    if (!items.length) return null;
    return {
      startsAt: Math.min(...items.map((item) => item.startsAt.getTime())),
      endsAt: Math.max(...items.map((item) => item.startsAt.getTime() + item.durationMs)),
    };
  }

  /** One region's playlist from the entries reaching it in each slot (already in running order). */
  private composeRegion(
    date: LocalDate,
    slots: SlotSettings[],
    reachingBySlot: ScheduledEntry[][],
    preempting: Preemption[],
  ): Omit<CompiledRegion, 'regionCode'> {
    const rundown = slots.flatMap((slot, index) =>
      composeRundown(date, countyInstant(date, slot.startMinute), reachingBySlot[index]),
    );
    rundown.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
    const mediaUrl = (sha256: string) => renditionUrl(this.config.media.baseUrl, sha256);
    const listenerUrl = this.icecast.enabled ? (mount: string) => this.icecast.listenerUrl(mount) : null;
    // Active alerts preempt: they come first, gravest first, ahead of the routine rundown.
    const items = [
      ...preempting.map((preemption) => preemption.item),
      ...playlistItems(rundown, mediaUrl, listenerUrl),
    ];
    return { version: playlistVersion(date, items), items, itemsJson: JSON.stringify(items) };
  }

  private async slotsOf(countyCode: string): Promise<SlotSettings[]> {
    const names = await this.schedule.slotNames(countyCode);
    const slots = await Promise.all(names.map((name) => this.schedule.slot(countyCode, name)));
    return slots.filter((slot): slot is SlotSettings => slot !== null);
  }
}
