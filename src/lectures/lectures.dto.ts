import { z } from 'zod';
import { named } from '../infra/http/openapi-schemas';
import { LineText, PlainText } from '../infra/http/validation';
import { PROGRAMME_CATEGORIES } from '../programmes/programmes.dto';
import { RegionCode } from '../kernel/region-code';
import { CountyDate } from '../kernel/county-date';
import { MAX_SESSION_MINUTES } from './domain/attendance';

const isoTime = z.iso.datetime({ offset: true });
export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM');
const Title = LineText.min(1).max(200);

// Topics and monthly themes: the county's menu.

export const CreateTopicBody = z
  .object({
    countyCode: RegionCode.describe('the county whose menu it joins'),
    title: Title,
    summary: PlainText.max(2000).optional(),
    category: z.enum(PROGRAMME_CATEGORIES),
  })
  .strict();

const Flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const TopicsQuery = z
  .object({
    county: RegionCode.optional().describe("default: your scope's county"),
    retired: Flag.optional(),
  })
  .strict();

export const TopicView = named(
  'Topic',
  z.object({
    id: z.uuid(),
    countyCode: z.string(),
    title: z.string(),
    summary: z.string().nullable(),
    category: z.enum(PROGRAMME_CATEGORIES),
    retired: z.boolean(),
    createdAt: z.string(),
  }),
);
export const TopicList = named('TopicList', z.object({ items: z.array(TopicView) }));

export const ThemeBody = z
  .object({
    countyCode: RegionCode,
    title: Title,
    summary: PlainText.max(2000).optional(),
    topicId: z.uuid().optional().describe('the menu topic that carries the theme'),
  })
  .strict();

export const ThemesQuery = z
  .object({ county: RegionCode.optional(), from: Month.optional(), to: Month.optional() })
  .strict();

export const ThemeView = named(
  'MonthlyTheme',
  z.object({
    countyCode: z.string(),
    month: z.string(),
    title: z.string(),
    summary: z.string().nullable(),
    topicId: z.uuid().nullable(),
    updatedAt: z.string(),
  }),
);
export const ThemeList = named('MonthlyThemeList', z.object({ items: z.array(ThemeView) }));

// Teams.

const Member = z
  .object({ userId: z.uuid(), title: LineText.min(1).max(50).optional().describe('e.g. 理论专家, 劳动模范') })
  .strict();

export const CreateTeamBody = z
  .object({
    name: Title,
    regionCode: RegionCode.describe('where the team works: its sessions are in this region'),
    members: z.array(Member).min(1).max(20),
  })
  .strict();
export const AddMemberBody = Member;
export const TeamsQuery = z.object({ region: RegionCode.optional() }).strict();

export const TeamView = named(
  'LectureTeam',
  z.object({
    id: z.uuid(),
    name: z.string(),
    regionCode: z.string(),
    members: z.array(
      z.object({
        userId: z.uuid(),
        username: z.string(),
        displayName: z.string().nullable(),
        title: z.string().nullable(),
      }),
    ),
    createdAt: z.string(),
  }),
);
export const TeamList = named('LectureTeamList', z.object({ items: z.array(TeamView) }));

// Lecture sessions.

export const SESSION_MODES = ['onsite', 'on_air', 'online'] as const;

export const CreateSessionBody = z
  .object({
    topicId: z.uuid(),
    mode: z.enum(SESSION_MODES),
    regionCode: RegionCode,
    startsAt: isoTime.describe('on air: its date (county time) is the date it airs in the evening slot'),
    plannedMinutes: z.number().int().min(1).max(600),
    lecturerIds: z.array(z.uuid()).min(1).max(20),
    teamId: z.uuid().optional().describe('required when a lecturer registers: a team you belong to'),
    notes: PlainText.max(2000).optional(),
    recordingMediaId: z.uuid().optional().describe('on air: the ready recording that airs'),
    live: z
      .literal(true)
      .optional()
      .describe('on air, given live (实时喊话) instead of from a recording: recorded when its live session ends'),
    orderId: z.uuid().optional().describe('the accepted village order this session delivers'),
  })
  .strict()
  .refine((body) => (body.mode === 'on_air') === ((body.recordingMediaId !== undefined) !== (body.live === true)), {
    message: 'an on-air session names its recording or is given live (one of them, and only an on-air one)',
    path: ['recordingMediaId'],
  });

const SignIn = z.union([z.uuid(), LineText.min(1).max(50)]);

export const CompleteSessionBody = z
  .object({
    attendance: z.number().int().min(0).max(100_000).describe('how many listened'),
    actualMinutes: z.number().int().min(1).max(MAX_SESSION_MINUTES),
    signIns: z
      .array(SignIn)
      .max(500)
      .default([])
      .describe('volunteers: ids, or names (new names become volunteers of the region)'),
  })
  .strict();

export const SessionsQuery = z
  .object({
    region: RegionCode.optional(),
    from: CountyDate.optional(),
    to: CountyDate.optional(),
    mode: z.enum(SESSION_MODES).optional(),
    status: z.enum(['planned', 'completed', 'cancelled']).optional(),
    mine: Flag.optional().describe('true: only the sessions you are a lecturer of'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export const SessionView = named(
  'LectureSession',
  z.object({
    id: z.uuid(),
    topicId: z.uuid(),
    topicTitle: z.string(),
    mode: z.enum(SESSION_MODES),
    status: z.enum(['planned', 'completed', 'cancelled']),
    regionCode: z.string(),
    teamId: z.uuid().nullable(),
    startsAt: z.string(),
    plannedMinutes: z.number().int(),
    notes: z.string().nullable(),
    lecturers: z.array(z.object({ id: z.uuid(), name: z.string() })),
    recordingMediaId: z.uuid().nullable(),
    broadcastId: z.uuid().nullable().describe('on air: the scheduled broadcast that airs it'),
    airDate: z.string().nullable(),
    orderId: z.uuid().nullable(),
    completedAt: z.string().nullable(),
    ledgerSeq: z.string().nullable().describe('the ledger entry its completion wrote'),
  }),
);
export const SessionList = named('LectureSessionList', z.object({ items: z.array(SessionView) }));

// The four-order flow.

const OnBehalfOf = LineText.min(1).max(100);

export const PlaceOrderBody = z
  .object({
    topicId: z.uuid(),
    regionCode: RegionCode.describe('the village ordering'),
    notes: PlainText.max(2000).optional(),
    onBehalfOf: OnBehalfOf.optional().describe('the villager (or village body) who asked, e.g. 村民代表大会'),
  })
  .strict();
export const DispatchOrderBody = z.object({ teamId: z.uuid() }).strict();
export const RateOrderBody = z
  .object({
    rating: z.enum(['excellent', 'satisfied', 'unsatisfied']),
    comment: PlainText.max(2000).optional(),
    onBehalfOf: OnBehalfOf.optional().describe('the villager whose rating you enter'),
  })
  .strict();
export const OrdersQuery = z
  .object({
    region: RegionCode.optional(),
    status: z.enum(['ordered', 'dispatched', 'accepted', 'delivered', 'rated', 'escalated', 'cancelled']).optional(),
    mine: Flag.optional().describe(
      'true: only the orders dispatched to a team you belong to (still within your scope)',
    ),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export const OrderView = named(
  'LectureOrder',
  z.object({
    id: z.uuid(),
    topicId: z.uuid(),
    topicTitle: z.string(),
    regionCode: z.string(),
    status: z.enum(['ordered', 'dispatched', 'accepted', 'delivered', 'rated', 'escalated', 'cancelled']),
    notes: z.string().nullable(),
    source: z
      .enum(['villager', 'operator'])
      .describe('placed by a villager from the village’s poster, or by an operator'),
    contactPhone: z
      .string()
      .nullable()
      .describe('the villager’s number, masked (138****1234); kept only until the order is rated or cancelled'),
    orderedById: z.uuid().nullable().describe('the operator who placed it; null for a villager’s order'),
    orderedFor: z.string().nullable().describe('the villager it was placed for'),
    orderedAt: z.string(),
    villageName: z.string().describe('the ordering village'),
    teamId: z.uuid().nullable(),
    teamName: z.string().nullable().describe('the team it was dispatched to'),
    dispatchedById: z.uuid().nullable(),
    dispatchedAt: z.string().nullable(),
    acceptBy: z.string().nullable(),
    deliverBy: z.string().nullable(),
    acceptedAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    sessionId: z.uuid().nullable(),
    rating: z.enum(['excellent', 'satisfied', 'unsatisfied']).nullable(),
    ratedById: z.uuid().nullable().describe('the operator who entered the rating; null when the villager rated it'),
    ratedFor: z.string().nullable().describe('the villager whose rating it is'),
    ratedAt: z.string().nullable(),
    escalatedAt: z.string().nullable(),
    escalationReason: z.string().nullable(),
    escalations: z.number().int(),
  }),
);
export const OrderList = named('LectureOrderList', z.object({ items: z.array(OrderView) }));

// Signing in and out by the session's QR code.

const CheckinKey = z.string().min(1).max(64).describe('the key in the session’s QR code (its k parameter)');
export const CheckinQuery = z.object({ k: CheckinKey }).strict();
export const CheckinBody = z.object({ key: CheckinKey }).strict();

export const AttendanceTimes = named(
  'AttendanceTimes',
  z.object({ signedInAt: z.string(), signedOutAt: z.string().nullable() }),
);

export const PublicSessionView = named(
  'PublicSession',
  z.object({
    id: z.uuid(),
    topicTitle: z.string(),
    villageName: z.string(),
    mode: z.enum(SESSION_MODES),
    startsAt: z.string(),
    status: z.enum(['planned', 'completed', 'cancelled']),
    volunteer: z
      .object({ name: z.string(), attendance: AttendanceTimes.nullable() })
      .nullable()
      .describe('the caller, when their phone has a volunteer card'),
  }),
);

export const SessionCheckin = named(
  'SessionCheckin',
  z.object({
    url: z.string().describe('the path the sign-in QR code carries: /v/session/<id>?k=<key>'),
    status: z.enum(['planned', 'completed', 'cancelled']),
    attendance: z.array(
      z.object({
        volunteerId: z.uuid(),
        name: z.string(),
        signedInAt: z.string(),
        signedOutAt: z.string().nullable(),
      }),
    ),
  }),
);

export const RatingLinkView = named(
  'RatingLink',
  z.object({
    url: z
      .string()
      .describe('the one-time rating page, /v/rate/<token>, to show as a QR code at the end of the session'),
    token: z.string(),
  }),
);

export const SUGGESTION_REASONS = [
  'same_village',
  'same_township',
  'same_county',
  'same_topic',
  'same_category',
  'new_to_field',
  'no_open_orders',
  'open_orders',
] as const;

export const TeamSuggestionList = named(
  'TeamSuggestionList',
  z.object({
    orderId: z.uuid(),
    topicTitle: z.string(),
    category: z.enum(PROGRAMME_CATEGORIES).describe('the category of the order’s topic: the field compared'),
    items: z
      .array(
        z.object({
          rank: z.number().int().describe('1 is the one the rule suggests'),
          teamId: z.uuid(),
          name: z.string(),
          regionCode: z.string(),
          distance: z
            .number()
            .int()
            .describe('0: the team works in the village itself, 1: its township, 2: its county'),
          sameTopicSessions: z.number().int().describe('completed sessions on the order’s topic'),
          sameCategorySessions: z.number().int().describe('completed sessions on topics of the same category'),
          openOrders: z.number().int().describe('orders dispatched to it or accepted, not yet delivered'),
          reasons: z
            .array(z.enum(SUGGESTION_REASONS))
            .describe('nearness, field and load, in words a console can show'),
          members: z.array(z.object({ name: z.string(), title: z.string().nullable() })),
        }),
      )
      .describe('every team that may take the order, best first'),
  }),
);
