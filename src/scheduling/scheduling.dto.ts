import { z } from 'zod';
import { named } from '../infra/http/openapi-schemas';
import { RegionCode } from '../kernel/region-code';
import { CountyDate } from '../kernel/county-date';

const SlotName = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a slot name such as "evening"');
const isoTime = z.iso.datetime({ offset: true });

/** A slot's window is at most 600 minutes; a relay at least long enough to be worth tuning in to. */
const RELAY_MIN_SECONDS = 10;
const RELAY_MAX_SECONDS = 600 * 60;

const RelayBody = z
  .object({
    url: z
      .string()
      .min(1)
      .max(2000)
      .describe('the outside stream (http or https): checked when saved to be reachable audio ffmpeg can decode'),
    durationSeconds: z.number().int().min(RELAY_MIN_SECONDS).max(RELAY_MAX_SECONDS).describe('how long it airs'),
    title: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('what devices and the rundown call it; default: 转播 <host>'),
  })
  .strict();

export const CreateBroadcastBody = z
  .object({
    programmeId: z.uuid().optional().describe('the programme to air; or give `relay`'),
    relay: RelayBody.optional().describe('an outside stream relayed through Icecast instead of a programme'),
    slot: SlotName.default('evening'),
    regionCodes: z.array(RegionCode).min(1).max(1000).describe('target regions, all in one county and in your scope'),
    date: CountyDate.optional().describe('a single date (county time); or give `recurrence`'),
    recurrence: z
      .string()
      .max(200)
      .optional()
      .describe('RRULE subset: FREQ=DAILY or FREQ=WEEKLY;BYDAY=MO,WE; INTERVAL allowed'),
    startDate: CountyDate.optional().describe('first date of a recurrence; default today'),
    until: CountyDate.optional().describe('last date of a recurrence, inclusive'),
    position: z
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .optional()
      .describe("place in each target's running order; default: last"),
  })
  .strict()
  .refine((body) => (body.date === undefined) !== (body.recurrence === undefined), {
    message: 'give either date or recurrence',
    path: ['date'],
  })
  .refine((body) => (body.programmeId === undefined) !== (body.relay === undefined), {
    message: 'give either programmeId or relay (a stream to relay), not both',
    path: ['programmeId'],
  });

export const PatchBroadcastBody = z
  .object({
    until: CountyDate.nullable().optional().describe('end a recurrence (or extend it; null: no end)'),
    position: z.number().int().min(0).max(1_000_000).optional().describe("new place in each target's running order"),
  })
  .strict()
  .refine((body) => body.until !== undefined || body.position !== undefined, { message: 'change until or position' });

export const ListBroadcastsQuery = z
  .object({ region: RegionCode.describe('broadcasts with a target in this subtree') })
  .strict();

export const BroadcastView = named(
  'ScheduledBroadcast',
  z.object({
    id: z.uuid(),
    programmeId: z.uuid().nullable().describe('null for a relay'),
    programmeTitle: z.string().nullable(),
    title: z.string().describe("the programme's title, or the relay's"),
    relay: z
      .object({ url: z.string(), title: z.string(), durationSeconds: z.number().int() })
      .nullable()
      .describe('the relayed stream, for a relay'),
    slot: z.string(),
    countyCode: z.string(),
    targets: z.array(
      z.object({
        regionCode: z.string(),
        level: z.enum(['county', 'township', 'village']),
        position: z.number().int(),
      }),
    ),
    startDate: z.string(),
    recurrence: z.string().nullable(),
    until: z.string().nullable(),
    durationMs: z.number().int(),
    cancelled: z.boolean(),
  }),
);

export const BroadcastCheck = named(
  'BroadcastCheck',
  z.object({
    fits: z.boolean(),
    overflows: z
      .array(z.object({ regionCode: z.string(), date: z.string(), overSeconds: z.number().int() }))
      .describe('the topmost overflowing region of each chain, per date (first 200)'),
  }),
);

export const BroadcastList = named('ScheduledBroadcastList', z.object({ items: z.array(BroadcastView) }));

export const RundownQuery = z.object({ date: CountyDate, slot: SlotName.default('evening') }).strict();

export const RundownView = named(
  'Rundown',
  z.object({
    regionCode: z.string(),
    date: z.string(),
    slot: z.object({
      name: z.string(),
      start: z.string().describe('HH:MM county time'),
      windowMinutes: z.number().int(),
      startsAt: isoTime,
      endsAt: isoTime,
    }),
    items: z.array(
      z.object({
        id: z.string(),
        broadcastId: z.uuid(),
        kind: z.enum(['programme', 'relay']),
        programmeId: z.uuid().nullable().describe('null for a relay'),
        title: z.string(),
        level: z.enum(['county', 'township', 'village']),
        targetCode: z.string(),
        startsAt: isoTime,
        endsAt: isoTime,
        durationMs: z.number().int(),
      }),
    ),
    totalMs: z.number().int(),
    remainingMs: z
      .number()
      .int()
      .describe('window left unused (negative never happens: overflowing changes are refused)'),
  }),
);

export const SlotBody = z
  .object({
    start: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM')
      .describe('county time, e.g. 17:30'),
    windowMinutes: z.number().int().min(1).max(600),
  })
  .strict();

export const SlotView = named(
  'Slot',
  z.object({ name: z.string(), start: z.string(), windowMinutes: z.number().int() }),
);
export const SlotList = named('SlotList', z.object({ countyCode: z.string(), items: z.array(SlotView) }));

export const DateQuery = z.object({ date: CountyDate.optional().describe('county date; default today') }).strict();

const Tally = z.object({
  endpoints: z.number().int(),
  played: z.number().int(),
  failed: z.number().int(),
  interrupted: z.number().int(),
  missed: z.number().int(),
});

export const ReadinessView = named(
  'Readiness',
  z.object({
    regionCode: z.string(),
    date: z.string(),
    checkedAt: isoTime,
    total: z.number().int().describe('enrolled endpoints in the subtree'),
    ready: z.number().int(),
    notReady: z.number().int(),
    byReason: z.record(z.string(), z.number().int()),
    regions: z
      .array(
        z.object({
          regionCode: z.string(),
          townshipCode: z.string().nullable().describe('null for endpoints at county level'),
          total: z.number().int(),
          ready: z.number().int(),
          byReason: z.record(z.string(), z.number().int()),
        }),
      )
      .describe('the same counts per region that holds endpoints, to sum by township or drill into villages'),
    endpoints: z
      .array(
        z.object({
          endpointId: z.uuid(),
          name: z.string(),
          regionCode: z.string(),
          reasons: z.array(z.enum(['offline', 'playlist-not-fetched', 'playlist-outdated', 'media-missing'])),
        }),
      )
      .describe('the endpoints not ready (first 1000)'),
  }),
);

export const CoverageView = named(
  'Coverage',
  z.object({
    regionCode: z.string(),
    date: z.string(),
    endpoints: z.number().int(),
    items: z.array(
      z.object({
        itemId: z.string(),
        title: z.string(),
        startsAt: isoTime,
        totals: Tally,
        regions: z.array(
          Tally.extend({
            regionCode: z.string(),
            missedEndpoints: z.array(z.uuid()).describe('no receipt at all (first 1000)'),
          }),
        ),
      }),
    ),
  }),
);
