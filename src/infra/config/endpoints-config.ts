import { z } from 'zod';
import { url } from './config-values';

/** Loudspeakers: enrollment, liveness, their event streams, and how their state is watched and mapped (ENDPOINT_*, MAP_TILE_*). */
export interface EndpointsConfig {
  enrollmentCodeTtlHours: number;
  onlineSeconds: number;
  eventsHeartbeatSeconds: number;
  eventsMaxStreams: number;
  /** An enrolled loudspeaker silent this long is notified as offline (once per outage). */
  offlineNotifyMinutes: number;
  /** The console map's tile layer; null draws the points on a plain longitude/latitude plot. */
  mapTiles: MapTiles | null;
}

/** A slippy-map tile layer as Leaflet takes it: `{s}` picks one of `subdomains`, `{z}/{x}/{y}` the tile. */
export interface MapTiles {
  url: string;
  subdomains: string;
  attribution: string;
}

export function mapTiles(e: { MAP_TILE_URL?: string; MAP_TILE_SUBDOMAINS: string; MAP_TILE_ATTRIBUTION: string }) {
  return e.MAP_TILE_URL
    ? { url: e.MAP_TILE_URL, subdomains: e.MAP_TILE_SUBDOMAINS, attribution: e.MAP_TILE_ATTRIBUTION }
    : null;
}

/** A tile URL template such as 天地图's `https://t{s}.tianditu.gov.cn/vec_w/wmts?…&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=…`. */
export const tileTemplate = url(['http:', 'https:']).refine(
  (value) => ['{z}', '{x}', '{y}'].every((part) => value.includes(part)),
  'must contain {z}, {x} and {y}',
);
export const tileSubdomains = z.string().regex(/^[\w-]{1,16}$/, 'must be the letters or digits {s} stands for');

/** The origins the map's tiles come from (one per subdomain `{s}` stands for), for the console's image policy. */
export function tileOrigins(tiles: MapTiles | null): string[] {
  if (!tiles) return [];
  const hosts = tiles.url.includes('{s}') ? [...tiles.subdomains].map((s) => tiles.url.replace('{s}', s)) : [tiles.url];
  return [...new Set(hosts.map((url) => new URL(url).origin))];
}
