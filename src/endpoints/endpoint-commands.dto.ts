import { z } from 'zod';
import { named } from '../infra/http/openapi-schemas';
import { LineText } from '../infra/http/validation';
import { RegionCode } from '../kernel/region-code';
import { COMMAND_KINDS, DELIVERY_STATUSES } from './domain/commands';

const isoTime = z.iso.datetime({ offset: true });

export const IssueCommandBody = z
  .object({
    kind: z
      .enum(COMMAND_KINDS)
      .describe(
        'set-volume (give volume), mute, unmute, restart, refetch (pull every playlist again), test-tone (1 kHz for 5 s)',
      ),
    volume: z.number().int().min(0).max(100).optional().describe('0–100; only and always with set-volume'),
    endpointId: z.uuid().optional().describe('one loudspeaker; or give regionCode'),
    regionCode: RegionCode.optional().describe('every enrolled loudspeaker of a village, township or county'),
    ttlMinutes: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        'how long it is tried on devices that are offline; default COMMAND_TTL_MINUTES, at most COMMAND_MAX_TTL_MINUTES',
      ),
  })
  .strict()
  .superRefine((body, context) => {
    if ((body.endpointId === undefined) === (body.regionCode === undefined))
      context.addIssue({
        code: 'custom',
        path: ['regionCode'],
        message: 'give exactly one of endpointId and regionCode',
      });
    if (body.kind === 'set-volume' && body.volume === undefined)
      context.addIssue({ code: 'custom', path: ['volume'], message: 'set-volume needs a volume, 0–100' });
    if (body.kind !== 'set-volume' && body.volume !== undefined)
      context.addIssue({ code: 'custom', path: ['volume'], message: `${body.kind} takes no volume` });
  });
export type IssueCommandBody = z.infer<typeof IssueCommandBody>;

const StatusCounts = z.object(
  Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, z.number().int()])) as Record<
    (typeof DELIVERY_STATUSES)[number],
    z.ZodNumber
  >,
);

export const CommandView = named(
  'EndpointCommand',
  z.object({
    id: z.uuid(),
    kind: z.enum(COMMAND_KINDS),
    volume: z.number().int().nullable(),
    regionCode: z.string().describe('the region it was issued for (the endpoint’s region for one endpoint)'),
    regionName: z.string(),
    endpoint: z.object({ id: z.uuid(), name: z.string() }).nullable().describe('set when it targets one endpoint'),
    issuedBy: z.object({ id: z.uuid(), username: z.string() }),
    issuedAt: isoTime,
    expiresAt: isoTime,
    counts: StatusCounts.extend({ total: z.number().int() }).describe('the targeted devices by where they stand'),
  }),
);
export type CommandView = z.infer<typeof CommandView>;

export const ListCommandsQuery = z
  .object({
    region: RegionCode.optional().describe('commands issued in this subtree; defaults to your scope'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    after: z.uuid().optional().describe('the nextCursor of the previous page'),
  })
  .strict();
export type ListCommandsQuery = z.infer<typeof ListCommandsQuery>;

export const CommandPage = named(
  'EndpointCommandPage',
  z.object({ items: z.array(CommandView).describe('newest first'), nextCursor: z.uuid().nullable() }),
);

export const DeliveriesQuery = z
  .object({
    status: z.enum(DELIVERY_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    after: z.uuid().optional().describe('the nextCursor of the previous page'),
  })
  .strict();
export type DeliveriesQuery = z.infer<typeof DeliveriesQuery>;

// Not a component of its own: the OpenAPI document names only what a route answers with.
export const DeliveryView = z.object({
  endpointId: z.uuid(),
  endpointName: z.string(),
  regionCode: z.string(),
  status: z.enum(DELIVERY_STATUSES).describe('as the device reported it; pending: not yet written to its stream'),
  attempts: z.number().int().describe('times it was written to a live stream of the device'),
  sentAt: isoTime.nullable().describe('the last time it was'),
  acknowledgedAt: isoTime.nullable(),
  finishedAt: isoTime.nullable().describe('when it became done, failed or expired'),
  result: z.string().nullable().describe('what the device said of the outcome'),
  reported: z
    .object({ volume: z.number().int().nullable(), online: z.boolean(), lastSeenAt: isoTime.nullable() })
    .describe('what the device itself says now, from its last heartbeat'),
});
export type DeliveryView = z.infer<typeof DeliveryView>;

export const CommandDetail = named(
  'EndpointCommandDetail',
  z.object({
    command: CommandView,
    deliveries: z.object({ items: z.array(DeliveryView), nextCursor: z.uuid().nullable() }),
  }),
);

// As every device body: fields it does not know are ignored, for newer devices talking to an older server.
export const CommandReportBody = z.object({
  status: z.enum(['acknowledged', 'done', 'failed']),
  result: LineText.max(200).optional().describe('what happened, e.g. "volume 40" or "unsupported"'),
});
export type CommandReportBody = z.infer<typeof CommandReportBody>;

export const CommandReportAck = named(
  'CommandReportAck',
  z.object({ id: z.uuid(), status: z.enum(DELIVERY_STATUSES).describe('the delivery’s status now') }),
);
