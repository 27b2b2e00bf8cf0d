import { Inject, Injectable } from '@nestjs/common';
import type { UserPrincipal } from '../auth/access.decorator';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { RegionsRepository } from '../regions/regions.repository';
import { isOnline, mapState, type MapState, onlineSince } from './domain/device-state';
import { MAP_STATES, type ScopeQuery } from './device-state.dto';
import { DeviceStateRepository } from './device-state.repository';

const place = (region: { code: string; name: string; parent: { name: string } | null }) => ({
  regionCode: region.code,
  regionName: region.name,
  parentName: region.parent?.name ?? null,
});

/** What loudspeakers report, as the console's loudspeaker pages show it: faults, silent villages, the map. */
@Injectable()
export class DeviceStateService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly states: DeviceStateRepository,
    private readonly regions: RegionsRepository,
  ) {}

  async openFaults(actor: UserPrincipal, query: ScopeQuery) {
    const onlineSince = this.onlineSince();
    const rows = await this.states.openFaults(query.region ?? actor.scopeCode, query.limit);
    return {
      items: rows.map((fault) => ({
        id: fault.id,
        endpoint: {
          id: fault.endpoint.id,
          name: fault.endpoint.name,
          online: isOnline(fault.endpoint, onlineSince),
        },
        place: place(fault.endpoint.region),
        code: fault.code,
        text: fault.text,
        since: fault.openedAt.toISOString(),
      })),
    };
  }

  async faultHistory(endpointId: string, limit: number) {
    const rows = await this.states.faultHistory(endpointId, limit);
    return {
      items: rows.map((fault) => ({
        id: fault.id,
        code: fault.code,
        text: fault.text,
        openedAt: fault.openedAt.toISOString(),
        closedAt: fault.closedAt?.toISOString() ?? null,
      })),
    };
  }

  async silentVillages(actor: UserPrincipal, query: ScopeQuery) {
    const found = await this.states.villagesWithoutWorking(
      query.region ?? actor.scopeCode,
      this.onlineSince(),
      query.limit,
    );
    return {
      villages: found.villages,
      silent: found.silent,
      items: found.rows.map((row) => ({
        code: row.code,
        name: row.name,
        township: row.township,
        reason: row.endpoints === 0 ? ('no-endpoints' as const) : ('none-working' as const),
        endpoints: row.endpoints,
        awaiting: row.awaiting,
        offline: row.offline,
        fault: row.fault,
      })),
    };
  }

  async map(regionCode: string) {
    const onlineSince = this.onlineSince();
    const rows = await this.states.mapPoints(regionCode);
    const counts = Object.fromEntries(MAP_STATES.map((state) => [state, 0])) as Record<MapState, number>;
    const states = rows.map((row) => mapState(row, onlineSince)!);
    for (const state of states) counts[state]++;
    const regions = await this.regions.findMany([...new Set(rows.map((row) => row.regionCode))]);
    return {
      tiles: this.config.endpoints.mapTiles,
      counts,
      places: Object.fromEntries(regions.map((region) => [region.code, region.name])),
      points: {
        id: rows.map((row) => row.id),
        name: rows.map((row) => row.name),
        regionCode: rows.map((row) => row.regionCode),
        state: states,
        longitude: rows.map((row) => row.longitude),
        latitude: rows.map((row) => row.latitude),
      },
    };
  }

  private onlineSince(): Date {
    return onlineSince(this.config.endpoints.onlineSeconds);
  }
}
