import { z } from 'zod';
import { named } from '../infra/http/openapi-schemas';
import { RegionCode } from '../kernel/region-code';

const isoTime = z.iso.datetime({ offset: true });

export const MAP_STATES = ['online', 'offline', 'fault', 'playing', 'never-enrolled'] as const;

export const ScopeQuery = z
  .object({
    region: RegionCode.optional().describe('subtree to list; defaults to your scope'),
    limit: z.coerce.number().int().min(1).max(5000).default(1000),
  })
  .strict();
export type ScopeQuery = z.infer<typeof ScopeQuery>;

export const MapQuery = z
  .object({ region: RegionCode.describe('the county (or township, or village) to map') })
  .strict();

export const HistoryQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();

const Place = z.object({
  regionCode: z.string(),
  regionName: z.string(),
  parentName: z.string().nullable().describe('the township of a village (the county of a township)'),
});

export const OpenFaultList = named(
  'OpenFaultList',
  z.object({
    items: z.array(
      z.object({
        id: z.uuid(),
        endpoint: z.object({ id: z.uuid(), name: z.string(), online: z.boolean() }),
        place: Place,
        code: z.string(),
        text: z.string(),
        since: isoTime.describe('when a heartbeat first reported it'),
      }),
    ),
  }),
);

export const FaultHistory = named(
  'FaultHistory',
  z.object({
    items: z.array(
      z.object({
        id: z.uuid(),
        code: z.string(),
        text: z.string(),
        openedAt: isoTime,
        closedAt: isoTime.nullable().describe('null while the device still reports it'),
      }),
    ),
  }),
);

export const SilentVillages = named(
  'SilentVillages',
  z.object({
    villages: z.number().int().describe('villages in the subtree'),
    silent: z.number().int().describe('of them, those with no working loudspeaker (items lists up to limit)'),
    items: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        township: z.string().nullable(),
        reason: z
          .enum(['no-endpoints', 'none-working'])
          .describe(
            'no-endpoints: none was ever registered there; none-working: all are offline, in fault or not installed',
          ),
        endpoints: z.number().int().describe('registered, not revoked'),
        awaiting: z.number().int().describe('not yet installed (enrolled)'),
        offline: z.number().int(),
        fault: z.number().int(),
      }),
    ),
  }),
);

export const EndpointMap = named(
  'EndpointMap',
  z.object({
    tiles: z
      .object({ url: z.string(), subdomains: z.string(), attribution: z.string() })
      .nullable()
      .describe('the tile layer (MAP_TILE_URL); null: draw the points on a plain longitude/latitude plot'),
    counts: z.record(z.enum(MAP_STATES), z.number().int()),
    places: z.record(z.string(), z.string()).describe('region code → name, for the regions the points stand in'),
    points: z
      .object({
        id: z.array(z.uuid()),
        name: z.array(z.string()),
        regionCode: z.array(z.string()),
        state: z.array(z.enum(MAP_STATES)),
        longitude: z.array(z.number().nullable()).describe('null with latitude: not placed yet (未定位)'),
        latitude: z.array(z.number().nullable()),
      })
      .describe(
        'one array per field, loudspeaker i at index i of each: a county of 3,000 comes to ~330 KB this way, ~500 KB as objects',
      ),
  }),
);
