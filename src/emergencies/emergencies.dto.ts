import { z } from 'zod';
import { named } from '../infra/http/openapi-schemas';
import { LineText, PlainText } from '../infra/http/validation';
import { REGION_CODE_PATTERN } from '../kernel/region';
import { ALERT_CATEGORIES } from './domain/alert';

const REGION_CODE = z.string().regex(REGION_CODE_PATTERN, 'must be a 12-digit region code');
// A loudspeaker repeats an alert; past a handful it only blocks the air.
const MAX_REPEAT = 10;

export const DraftEmergencyBody = z
  .object({
    title: LineText.min(1).max(200),
    level: z.number().int().min(1).max(4).describe('1 (I, red, 特别重大) … 4 (IV, blue, 一般)'),
    category: z.enum(ALERT_CATEGORIES),
    regionCodes: z.array(REGION_CODE).min(1).max(1000),
    mediaId: z.uuid().optional().describe('a ready recording; or give text'),
    text: PlainText.min(1).optional().describe('spoken in Mandarin by text-to-speech; or give mediaId'),
    repeat: z.number().int().min(1).max(MAX_REPEAT).default(3),
    startsAt: z.iso.datetime({ offset: true }).optional().describe('default: as soon as it is approved'),
    expiresAt: z.iso.datetime({ offset: true }),
    drill: z.boolean(),
  })
  .strict()
  .refine((body) => (body.mediaId === undefined) !== (body.text === undefined), {
    message: 'give exactly one of mediaId and text',
    path: ['mediaId'],
  });

export const EmergencyView = named(
  'Emergency',
  z.object({
    id: z.uuid(),
    title: z.string(),
    level: z.number().int(),
    levelName: z.string(),
    category: z.string(),
    status: z.enum(['draft', 'approved', 'active', 'ended', 'cancelled', 'superseded']),
    drill: z.boolean(),
    regionCodes: z.array(z.string()),
    scopeCode: z.string(),
    mediaId: z.uuid(),
    text: z.string().nullable(),
    repeat: z.number().int(),
    startsAt: z.string(),
    expiresAt: z.string(),
    draftedById: z.uuid(),
    approvedById: z.uuid().nullable(),
    approvedAt: z.string().nullable(),
    activatedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    supersedesId: z.uuid().nullable(),
    capIdentifier: z.string().nullable(),
    ebm: z
      .object({
        ebmId: z.string(),
        direction: z.enum(['inbound', 'outbound']),
        msgType: z.number().int().describe('1 实际播发, 3–5 演练'),
      })
      .nullable()
      .describe(
        'the emergency broadcast message it is: inbound, sent by the upper platform (上级平台下发); outbound, a local alert reported up',
      ),
    createdAt: z.string(),
  }),
);
export type EmergencyView = z.infer<typeof EmergencyView>;

export const ListEmergenciesQuery = z
  .object({
    status: z.enum(['draft', 'approved', 'active', 'ended', 'cancelled', 'superseded']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const EmergencyList = named('EmergencyList', z.object({ items: z.array(EmergencyView) }));

const DeliveryCounts = z.object({
  endpoints: z.number().int(),
  pushed: z.number().int(),
  acknowledged: z.number().int(),
  played: z.number().int(),
  failed: z.number().int(),
  notReached: z.number().int(),
});

export const DeliveryReport = named(
  'EmergencyDelivery',
  z.object({
    emergencyId: z.uuid(),
    status: z.string(),
    totals: DeliveryCounts,
    regions: z.array(DeliveryCounts.extend({ code: z.string(), name: z.string() })),
    notReached: z.array(
      z.object({ endpointId: z.uuid(), name: z.string(), regionCode: z.string(), lastSeenAt: z.string().nullable() }),
    ),
  }),
);

export const CapImportResult = named(
  'CapImport',
  z.object({ action: z.enum(['draft', 'update', 'cancel']), emergency: EmergencyView }),
);
