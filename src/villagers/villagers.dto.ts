import { z } from 'zod';
import { named } from '../infra/http/openapi-schemas';
import { PlainText } from '../infra/http/validation';
import { MobileNumber } from '../kernel/phone';

const RATINGS = ['excellent', 'satisfied', 'unsatisfied'] as const;

// What villagers send (no account, from a village's poster): nothing in it is trusted, and notes stay text.

export const VillagerOrderBody = z
  .object({
    topicId: z.uuid(),
    notes: PlainText.max(500)
      .optional()
      .describe('what the village would like to hear about; stored and shown as text'),
    phone: MobileNumber.optional().describe(
      'to be called back on; kept until the order is rated or cancelled, and only ever shown masked',
    ),
  })
  .strict();

export const VillagerRatingBody = z
  .object({
    rating: z.enum(RATINGS).describe('excellent 满意, satisfied 基本满意, unsatisfied 不满意'),
    comment: PlainText.max(500).optional(),
  })
  .strict();

const Place = z.object({ village: z.string(), township: z.string().nullable(), county: z.string() });

export const PosterView = named(
  'VillagePoster',
  z.object({
    regionCode: z.string(),
    open: z.boolean(),
    code: z.string().nullable().describe('the poster code while open; a new one replaces it'),
    path: z.string().nullable().describe('the villagers’ page the QR code leads to, /v/village/<code>'),
    openedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
  }),
);
export const PosterWithPlace = named('VillagePosterWithPlace', PosterView.extend({ place: Place }));

export const VillagePage = named(
  'VillagePage',
  z.object({
    place: Place,
    month: z.string().describe('this month in county time, YYYY-MM'),
    theme: z.object({ title: z.string(), summary: z.string().nullable() }).nullable(),
    topics: z.array(
      z.object({ id: z.uuid(), title: z.string(), summary: z.string().nullable(), category: z.string() }),
    ),
  }),
);

export const VillagerOrderView = named(
  'VillagerOrder',
  z.object({
    id: z.uuid(),
    topicTitle: z.string(),
    orderedAt: z.string(),
    contactPhone: z.string().nullable().describe('masked, 138****1234'),
  }),
);

export const AiringToday = named(
  'VillageAiringToday',
  z.object({
    date: z.string(),
    items: z.array(
      z.object({
        title: z.string(),
        startsAt: z.string().describe('county time, with its offset'),
        durationMs: z.number(),
        kind: z.enum(['scheduled', 'emergency', 'relay']).describe('relay: an outside stream relayed live'),
        drill: z.boolean().describe('an emergency drill, not a real alert'),
      }),
    ),
  }),
);

export const Replays = named(
  'VillageReplays',
  z.object({
    from: z.string(),
    to: z.string(),
    items: z.array(
      z.object({
        date: z.string(),
        title: z.string(),
        startsAt: z.string(),
        durationMs: z.number(),
        parts: z.array(
          z.object({ url: z.string().describe('the rendition, public by its sha256'), durationMs: z.number() }),
        ),
      }),
    ),
  }),
);

export const RatingInfo = named(
  'VillagerRatingLink',
  z.object({
    topicTitle: z.string(),
    village: z.string(),
    deliveredAt: z.string().nullable(),
    teamName: z.string().nullable(),
    rated: z.boolean().describe('rated already: the link is spent'),
  }),
);

export const RatingDone = named('VillagerRatingDone', z.object({ rated: z.literal(true) }));
