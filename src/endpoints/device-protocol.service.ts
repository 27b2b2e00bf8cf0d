import { BadRequestException, Injectable } from '@nestjs/common';
import type { DevicePrincipal } from '../auth/access.decorator';
import { AccessRegistry } from '../auth/access.registry';
import { andThen } from '../kernel/and-then';
import { Batcher } from '../kernel/batcher';
import { ByDate } from '../kernel/by-date';
import { countyDate, datesFrom, isLocalDate, LocalDate } from '../kernel/county-time';
import { parseItemId } from '../scheduling/domain/rundown';
import type { RegionPath } from '../kernel/region';
import { PlaylistStore, ServedPlaylist } from '../scheduling/playlist-store';
import type { Parsed } from '../infra/http/validation';
import { Metrics } from '../infra/metrics/metrics';
import { EndpointsRepository, type FetchRecord } from './endpoints.repository';
import { ReceiptsBody } from './endpoints.dto';

const FETCH_MEMO_LIMIT = 500_000;
// Fetch records of pulls answered at the same time are written together, in one upsert.
const FETCHES_PER_STATEMENT = 500;
const FETCH_STATEMENTS_AT_ONCE = 2;

/** What a device pulls and reports: its playlist, and what it aired. */
@Injectable()
export class DeviceProtocolService {
  // The version each endpoint was last recorded as holding, so a pull writes only when that changes.
  private readonly recordedFetches = new ByDate<string>(FETCH_MEMO_LIMIT);
  // Each device's last answer (the principal is the token cache's object, so it goes with it).
  private readonly lastPulls = new WeakMap<
    DevicePrincipal,
    { date: LocalDate; generation: number; playlist: ServedPlaylist }
  >();
  // Regions never move (imports add and rename), so where a device's region sits is kept.
  private readonly regions = new Map<string, RegionPath>();
  // A pull is answered once its own record is written: the batch's statement resolves every pull in it.
  private readonly fetches: Batcher<FetchRecord, void>;

  constructor(
    private readonly playlists: PlaylistStore,
    private readonly endpoints: EndpointsRepository,
    private readonly access: AccessRegistry,
    private readonly metrics: Metrics,
  ) {
    this.fetches = new Batcher<FetchRecord, void>(
      async (records) => {
        await endpoints.recordFetches(records);
        return records.map(() => undefined);
      },
      (record) => `${record.endpointId} ${record.date}`,
      { maxItems: FETCHES_PER_STATEMENT, concurrency: FETCH_STATEMENTS_AT_ONCE },
    );
  }

  /**
   * The date's playlist for the device's region, the fetch recorded. Every
   * device polls, mostly for the version it was sent last time: that answer
   * is kept with the device and stands while the store's generation holds (no
   * playlist changed, the day has not turned), so a poll then costs no lookup
   * beyond the device's own. Synchronous whenever nothing has to be read from
   * Postgres: no awaits, no promises.
   */
  pull(device: DevicePrincipal, date: LocalDate): ServedPlaylist | Promise<ServedPlaylist> {
    const served = this.playlists.servedDates();
    const { generation } = this.playlists;
    const last = this.lastPulls.get(device);
    if (last !== undefined && last.date === date && last.generation === generation) return last.playlist;
    if (!served.all.has(date)) {
      throw new BadRequestException(
        isLocalDate(date)
          ? `Playlists are published for ${served.first} to ${served.last} (county time); ${date} is outside that`
          : 'date must be YYYY-MM-DD',
      );
    }
    const region = this.regions.get(device.regionCode);
    const playlist = region
      ? this.playlists.get(region, date)
      : this.regionPath(device).then((path) => this.playlists.get(path, date));
    return andThen(playlist, (found) =>
      andThen(this.recordFetch(device, date, found.version), () => {
        this.lastPulls.set(device, { date, generation, playlist: found });
        return found;
      }),
    );
  }

  /** Where the device's region sits: its county and township. */
  async regionPath(device: DevicePrincipal): Promise<RegionPath> {
    const cached = this.regions.get(device.regionCode);
    if (cached) return cached;
    const found = (await this.access.region(device.regionCode))!;
    const path = { code: found.code, countyCode: found.countyCode, townshipCode: found.townshipCode };
    this.regions.set(path.code, path);
    return path;
  }

  today(): LocalDate {
    return this.playlists.servedDates().today;
  }

  /** Remembers that the device holds this version (it was sent it, or already had it); writes only when that changed. */
  private recordFetch(device: DevicePrincipal, date: LocalDate, version: string): void | Promise<void> {
    if (this.recordedFetches.get(date, device.endpointId) === version) return;
    return this.fetches
      .load({ endpointId: device.endpointId, date, version, fetchedAt: new Date() })
      .then(() => this.recordedFetches.set(date, device.endpointId, version));
  }

  /** Playlists of the served dates, for a device catching up on what it missed while disconnected. */
  async currentPlaylists(
    device: DevicePrincipal,
  ): Promise<Array<{ date: string; version: string; compiledAt: number }>> {
    const { first, last } = this.playlists.servedDates();
    const region = await this.regionPath(device);
    return Promise.all(
      datesFrom(first, last).map(async (date) => {
        const served = await this.playlists.get(region, date);
        return { date, version: served.version, compiledAt: served.compiledAt };
      }),
    );
  }

  async receipts(
    device: DevicePrincipal,
    body: Parsed<typeof ReceiptsBody>,
  ): Promise<{ accepted: number; duplicates: number }> {
    const receipts = body.receipts.map((receipt) => {
      const startedAt = new Date(receipt.startedAt);
      return {
        id: receipt.id.toLowerCase(),
        itemId: receipt.itemId,
        // The item names its date; an item the server did not issue is filed under the day it started.
        date: parseItemId(receipt.itemId)?.date ?? countyDate(startedAt),
        startedAt,
        endedAt: new Date(receipt.endedAt),
        outcome: receipt.outcome,
      };
    });
    const accepted = await this.endpoints.storeReceipts(device.endpointId, receipts);
    this.metrics.receiptsStored(accepted, receipts.length - accepted);
    return { accepted, duplicates: receipts.length - accepted };
  }
}
