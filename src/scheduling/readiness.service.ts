import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { countyIso, LocalDate } from '../kernel/county-time';
import { type PlaylistItem, storedPlaylistItems } from './domain/playlist';
import {
  bestOutcome,
  count,
  emptyTally,
  notReadyReasons,
  NotReadyReason,
  Outcome,
  Tally,
} from './domain/reconciliation';
import { airedBroadcasts } from './domain/aired';
import { DeviceReports } from './device-reports';
import { PlaylistCompiler } from './playlist-compiler';
import { SchedulingRepository } from './scheduling.repository';
import { RegionsRepository } from '../regions/regions.repository';

const LISTED_ENDPOINTS = 1_000;

/** Readiness before the slot and coverage after it, for a region's subtree. */
@Injectable()
export class ReadinessService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schedule: SchedulingRepository,
    private readonly regions: RegionsRepository,
    private readonly devices: DeviceReports,
    private readonly compiler: PlaylistCompiler,
  ) {}

  async readiness(regionCode: string, date: LocalDate) {
    const endpoints = await this.devices.endpointsUnder(regionCode, date);
    const playlists = await this.playlistsFor(regionCode, date, [
      ...new Set(endpoints.map((endpoint) => endpoint.regionCode)),
    ]);
    const onlineSince = Date.now() - this.config.endpoints.onlineSeconds * 1000;
    const byReason: Record<NotReadyReason, number> = {
      offline: 0,
      'playlist-not-fetched': 0,
      'playlist-outdated': 0,
      'media-missing': 0,
    };
    const notReady = [];
    for (const endpoint of endpoints) {
      const reasons = notReadyReasons(
        { ...endpoint, online: (endpoint.lastSeenAt?.getTime() ?? 0) >= onlineSince },
        playlists.get(endpoint.regionCode)!,
      );
      for (const reason of reasons) byReason[reason]++;
      if (reasons.length)
        notReady.push({ endpointId: endpoint.id, name: endpoint.name, regionCode: endpoint.regionCode, reasons });
    }
    return {
      regionCode,
      date,
      checkedAt: countyIso(new Date()),
      total: endpoints.length,
      ready: endpoints.length - notReady.length,
      notReady: notReady.length,
      byReason,
      endpoints: notReady.slice(0, LISTED_ENDPOINTS),
    };
  }

  async coverage(regionCode: string, date: LocalDate) {
    const { endpoints, outcomes } = await this.outcomes(regionCode, date);
    const items = new Map<
      string,
      { item: PlaylistItem; totals: Tally; regions: Map<string, Tally & { missedEndpoints: string[] }> }
    >();
    for (const { endpoint, item, outcome } of outcomes) {
      const entry = items.get(item.id) ?? {
        item,
        totals: emptyTally(),
        regions: new Map<string, Tally & { missedEndpoints: string[] }>(),
      };
      items.set(item.id, entry);
      const region = entry.regions.get(endpoint.regionCode) ?? { ...emptyTally(), missedEndpoints: [] };
      entry.regions.set(endpoint.regionCode, region);
      count(entry.totals, outcome);
      count(region, outcome);
      if (outcome === null && region.missedEndpoints.length < LISTED_ENDPOINTS)
        region.missedEndpoints.push(endpoint.id);
    }
    return {
      regionCode,
      date,
      endpoints: endpoints.length,
      items: [...items.values()]
        .sort((a, b) => a.item.startsAt.localeCompare(b.item.startsAt))
        .map(({ item, totals, regions }) => ({
          itemId: item.id,
          title: item.title,
          startsAt: item.startsAt,
          totals,
          regions: [...regions.entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([code, tally]) => ({ regionCode: code, ...tally })),
        })),
    };
  }

  /** What each broadcast of the date reached in the region's subtree, endpoint by endpoint. */
  async aired(regionCode: string, date: LocalDate) {
    const { outcomes } = await this.outcomes(regionCode, date);
    return airedBroadcasts(
      date,
      outcomes.map(({ endpoint, item, outcome }) => ({
        endpointId: endpoint.id,
        regionCode: endpoint.regionCode,
        itemId: item.id,
        title: item.title,
        outcome,
      })),
    );
  }

  /** Every endpoint of the subtree with every item of its playlist for the date, and the best outcome it reported. */
  private async outcomes(regionCode: string, date: LocalDate) {
    const endpoints = await this.devices.endpointsUnder(regionCode, date);
    const playlists = await this.playlistsFor(regionCode, date, [
      ...new Set(endpoints.map((endpoint) => endpoint.regionCode)),
    ]);
    const receipts = new Map<string, Outcome[]>();
    for (const receipt of await this.devices.receiptsOf(
      endpoints.map((endpoint) => endpoint.id),
      date,
    )) {
      // An acknowledgement (of an emergency) says the device heard it, not what it aired.
      if (receipt.outcome === 'acknowledged') continue;
      const key = `${receipt.endpointId}|${receipt.itemId}`;
      receipts.set(key, [...(receipts.get(key) ?? []), receipt.outcome]);
    }
    const outcomes = endpoints.flatMap((endpoint) =>
      playlists.get(endpoint.regionCode)!.items.map((item) => ({
        endpoint,
        item,
        outcome: bestOutcome(receipts.get(`${endpoint.id}|${item.id}`) ?? []),
      })),
    );
    return { endpoints, outcomes };
  }

  /** The compiled playlist of each region that has endpoints; compiled now where none is stored yet. */
  private async playlistsFor(
    rootCode: string,
    date: LocalDate,
    regionCodes: string[],
  ): Promise<Map<string, { version: string; items: PlaylistItem[] }>> {
    const stored = new Map(
      (await this.schedule.compiledPlaylists(regionCodes, date)).map((row) => [
        row.regionCode,
        { version: row.version, items: storedPlaylistItems(row.items) },
      ]),
    );
    const missing = regionCodes.filter((code) => !stored.has(code));
    if (missing.length) {
      const root = (await this.regions.findRef(rootCode))!;
      const composed = (await this.compiler.compose(root.countyCode, [date], missing)).get(date) ?? [];
      for (const region of composed) stored.set(region.regionCode, { version: region.version, items: region.items });
    }
    return stored;
  }
}
