import { z } from 'zod';
import { named } from '../infra/http/openapi-schemas';
import { LineText } from '../infra/http/validation';
import { RegionCode } from '../kernel/region-code';

const isoTime = z.iso.datetime({ offset: true });

export const ENDPOINT_STATES = ['idle', 'playing', 'fault'] as const;
const ReportedFault = z.object({
  code: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{0,31}$/,
      'must be 1–32 lower-case letters, digits, dots or dashes, e.g. "amp.overheat"',
    ),
  text: LineText.max(200).describe('what the device says is wrong, for the technician'),
});

export const CreateEndpointBody = z
  .object({
    regionCode: RegionCode.describe('the region the loudspeaker stands in (county, township or village)'),
    name: LineText.min(1).max(100).describe('what operators call it, e.g. "村委会门口"'),
  })
  .strict();
export type CreateEndpointBody = z.infer<typeof CreateEndpointBody>;

export const EnrollmentCodeView = named(
  'EnrollmentCode',
  z.object({
    endpointId: z.uuid(),
    enrollmentCode: z.string().describe('give this to the installer; it works once'),
    expiresAt: isoTime,
  }),
);

export const CreatedEndpoint = named(
  'CreatedEndpoint',
  z.object({
    id: z.uuid(),
    regionCode: z.string(),
    name: z.string(),
    enrollmentCode: z.string(),
    enrollmentExpiresAt: isoTime,
  }),
);

export const EndpointView = named(
  'Endpoint',
  z.object({
    id: z.uuid(),
    regionCode: z.string(),
    name: z.string(),
    status: z.enum(['awaiting_enrollment', 'enrolled', 'revoked']),
    online: z.boolean().describe('a heartbeat arrived within ENDPOINT_ONLINE_SECONDS'),
    serial: z.string().nullable(),
    ebrid: z
      .string()
      .nullable()
      .describe('终端资源编码: the 23-digit EBRID the upper emergency-broadcast platform knows this loudspeaker by'),
    longitude: z.number().nullable().describe('WGS-84, reported up in EBRDTInfo; null when unknown'),
    latitude: z.number().nullable(),
    address: z.string().nullable().describe('where it stands, in words'),
    lastSeenAt: isoTime.nullable(),
    // What the device's last heartbeat said (null: it has not said, e.g. an older device).
    volume: z.number().int().nullable(),
    playing: z.boolean().nullable(),
    freeBytes: z.number().int().nullable(),
    version: z.string().nullable().describe('firmware/agent version the device reported'),
    state: z.enum(ENDPOINT_STATES).nullable().describe('idle, playing or fault, as the device last reported'),
    fault: ReportedFault.nullable().describe('the fault it reports now (state fault)'),
    muted: z.boolean().nullable(),
    clockOffsetMs: z.number().int().nullable().describe('server clock minus device clock, as the device measured it'),
    enrolledAt: isoTime.nullable(),
    revokedAt: isoTime.nullable(),
    createdAt: isoTime,
  }),
);
export type EndpointView = z.infer<typeof EndpointView>;

const Coordinate = (limit: number) => z.number().min(-limit).max(limit);
const Address = LineText.min(1).max(200);

export const UpdateEndpointBody = z
  .object({
    longitude: Coordinate(180)
      .nullable()
      .optional()
      .describe('WGS-84 degrees east, -180–180; null clears the position'),
    latitude: Coordinate(90).nullable().optional().describe('WGS-84 degrees north, -90–90; null clears the position'),
    address: Address.nullable().optional().describe('where it stands, in words; null clears it'),
  })
  .strict()
  // A position is both numbers or neither: half a position places the loudspeaker nowhere.
  .refine(
    (body) =>
      (body.longitude === undefined) === (body.latitude === undefined) &&
      (body.longitude === null) === (body.latitude === null),
    {
      message: 'give both longitude and latitude, or null for both',
      path: ['latitude'],
    },
  )
  .refine((body) => Object.keys(body).length > 0, { message: 'give a position, an address or both' });
export type UpdateEndpointBody = z.infer<typeof UpdateEndpointBody>;

export const ListEndpointsQuery = z
  .object({
    region: RegionCode.optional().describe('subtree to list; defaults to your scope'),
    online: z
      .enum(['true', 'false'])
      .transform((value) => value === 'true')
      .optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    after: z.uuid().optional().describe('the nextCursor of the previous page'),
  })
  .strict();
export type ListEndpointsQuery = z.infer<typeof ListEndpointsQuery>;

export const EndpointPage = named(
  'EndpointPage',
  z.object({
    items: z.array(EndpointView),
    nextCursor: z.uuid().nullable(),
    counts: z
      .object({ total: z.number().int(), online: z.number().int() })
      .describe('for the whole subtree, whatever the filter'),
  }),
);

// Device bodies ignore fields they do not know: devices in the field cannot be
// patched, and a newer device talking to an older server must still work.
export const EnrollBody = z.object({
  enrollmentCode: z.string().trim().min(4).max(32),
  serial: LineText.min(1).max(128).describe("the device's hardware serial number"),
  location: z
    .object({ longitude: Coordinate(180), latitude: Coordinate(90), address: Address.optional() })
    .optional()
    .describe('where the installer put it (WGS-84); an operator may correct it later'),
});
export type EnrollBody = z.infer<typeof EnrollBody>;

export const Enrollment = named(
  'Enrollment',
  z.object({
    endpointId: z.uuid(),
    token: z.string().describe('send as Authorization: Bearer <token> on every device call; shown once'),
  }),
);

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 in lowercase hex');

export const HeartbeatBody = z
  .object({
    volume: z.number().int().min(0).max(100),
    playing: z.boolean().optional(),
    freeBytes: z.number().int().min(0).optional(),
    version: LineText.min(1).max(64).optional().describe('firmware/agent version, e.g. "dalaba-agent/0.3.0"'),
    state: z.enum(ENDPOINT_STATES).optional(),
    fault: ReportedFault.optional().describe('required when state is fault, refused otherwise'),
    muted: z.boolean().optional(),
    clockOffsetMs: z
      .number()
      .int()
      .optional()
      .describe('server clock minus device clock in ms, as the device measured it'),
    held: z
      .object({
        playlists: z
          .array(z.object({ date: z.string(), version: z.string() }))
          .max(31)
          .optional(),
        media: z.array(Sha256).max(10_000).optional().describe('sha256 of every rendition the device holds, verified'),
      })
      .optional()
      .describe('what the device holds, for the readiness check before 17:30'),
  })
  // A fault is a state: a fault without state fault (or the reverse) says two things at once.
  .refine((body) => (body.state === 'fault') === (body.fault !== undefined), {
    message: 'state "fault" comes with a fault {code, text}, and a fault only with state "fault"',
    path: ['fault'],
  });
export type HeartbeatBody = z.infer<typeof HeartbeatBody>;

export const HeartbeatAck = named(
  'HeartbeatAck',
  z.object({ serverTime: isoTime.describe('so the device can check its own clock, which it plays by') }),
);

export const PlaylistQuery = z.object({
  date: z.string().optional().describe('YYYY-MM-DD, county time; default today'),
});

export const DevicePlaylist = named(
  'DevicePlaylist',
  z.object({
    endpointId: z.uuid(),
    date: z.string(),
    timezone: z.literal('Asia/Shanghai'),
    version: z.string().describe('also the strong ETag; send it back in If-None-Match'),
    items: z.array(
      z.object({
        id: z.string().describe('quote it in play receipts'),
        kind: z
          .enum(['scheduled', 'emergency', 'relay'])
          .describe('a device skips an item whose kind it does not know (more may come)'),
        title: z.string(),
        startsAt: isoTime.describe('county time with its +08:00 offset'),
        durationMs: z.number().int(),
        priority: z.number().int().describe('higher preempts lower; emergencies outrank scheduled items'),
        media: z
          .object({ url: z.string(), sha256: z.string(), bytes: z.number().int(), mime: z.string() })
          .optional()
          .describe('the rendition to play; every kind but relay has one'),
        stream: z
          .object({ url: z.string(), mime: z.string() })
          .optional()
          .describe('relay items: the Icecast mount to play live from startsAt for durationMs'),
      }),
    ),
  }),
);

export const ReceiptsBody = z.object({
  receipts: z
    .array(
      z.object({
        id: z.uuid().describe("the device's own id for this receipt: a retried batch is counted once"),
        itemId: z.string().min(1).max(200),
        startedAt: isoTime,
        endedAt: isoTime,
        outcome: z
          .enum(['played', 'failed', 'interrupted', 'acknowledged'])
          .describe('acknowledged: an emergency item was heard and will play'),
      }),
    )
    .min(1)
    .max(500),
});

export const ReceiptsAck = named('ReceiptsAck', z.object({ accepted: z.number().int(), duplicates: z.number().int() }));
