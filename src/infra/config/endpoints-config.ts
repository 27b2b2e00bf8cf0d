import { z } from 'zod';
import { integer, url } from './config-values';
import { COMMAND_ENVIRONMENT, commandsConfig, type CommandsConfig } from './commands-config';

/** The loudspeakers' settings (enrollment, liveness, event streams, commands, the map), validated with the rest. */
export const ENDPOINTS_ENVIRONMENT = {
  ENROLLMENT_CODE_TTL_HOURS: integer(1, 90 * 24).default(7 * 24),
  ENDPOINT_ONLINE_SECONDS: integer(30, 24 * 3600).default(180),
  ENDPOINT_OFFLINE_NOTIFY_MINUTES: integer(1, 7 * 24 * 60).default(30),
  MAP_TILE_URL: url(['http:', 'https:'])
    .refine((value) => ['{z}', '{x}', '{y}'].every((part) => value.includes(part)), 'must contain {z}, {x} and {y}')
    .optional(),
  MAP_TILE_SUBDOMAINS: z
    .string()
    .regex(/^[\w-]{1,16}$/, 'must be the letters or digits {s} stands for')
    .default('abc'),
  MAP_TILE_ATTRIBUTION: z.string().max(300).default(''),
  DEVICE_EVENTS_HEARTBEAT_SECONDS: integer(1, 25).default(20),
  DEVICE_EVENTS_MAX_STREAMS: integer(1, 20).default(2),
  ...COMMAND_ENVIRONMENT,
};

/** Loudspeakers: enrollment, liveness, their event streams, and how their state is watched and mapped (ENDPOINT_*, MAP_TILE_*). */
export interface EndpointsConfig extends CommandsConfig {
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

type EndpointsEnvironment = z.infer<z.ZodObject<typeof ENDPOINTS_ENVIRONMENT>>;

export function endpointsConfig(e: EndpointsEnvironment): EndpointsConfig {
  return {
    enrollmentCodeTtlHours: e.ENROLLMENT_CODE_TTL_HOURS,
    onlineSeconds: e.ENDPOINT_ONLINE_SECONDS,
    eventsHeartbeatSeconds: e.DEVICE_EVENTS_HEARTBEAT_SECONDS,
    eventsMaxStreams: e.DEVICE_EVENTS_MAX_STREAMS,
    ...commandsConfig(e),
    offlineNotifyMinutes: e.ENDPOINT_OFFLINE_NOTIFY_MINUTES,
    mapTiles: e.MAP_TILE_URL
      ? { url: e.MAP_TILE_URL, subdomains: e.MAP_TILE_SUBDOMAINS, attribution: e.MAP_TILE_ATTRIBUTION }
      : null,
  };
}

/** The origins the map's tiles come from (one per subdomain `{s}` stands for), for the console's image policy. */
export function tileOrigins(tiles: MapTiles | null): string[] {
  if (!tiles) return [];
  const hosts = tiles.url.includes('{s}') ? [...tiles.subdomains].map((s) => tiles.url.replace('{s}', s)) : [tiles.url];
  return [...new Set(hosts.map((url) => new URL(url).origin))];
}
