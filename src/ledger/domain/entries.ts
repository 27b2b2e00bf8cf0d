import { z } from 'zod';

// What each kind of ledger entry records: the payloads features write and
// reports read, one schema per kind. The ledger checks a payload against its
// kind's schema when it is appended and when it is read back, so a reader
// knows what it holds. The schemas only check: strict shapes with no
// defaults, transforms or coercion, so what is stored (and hashed) is
// exactly what the feature wrote, and entries written before them read as
// they were written.

/** Endpoints of one region that a broadcast was to reach on a date, and how many aired all of it. */
const RegionReach = z
  .object({
    code: z.string(),
    endpoints: z.number(),
    /** Aired every segment. */
    played: z.number(),
    /** Aired at least one segment. */
    reached: z.number(),
  })
  .strict();

const ReachFields = {
  endpoints: z.number(),
  played: z.number(),
  reached: z.number(),
  /** Regions with an endpoint that aired at least one segment (the villages the broadcast reached). */
  regionsReached: z.array(z.string()),
  regions: z.array(RegionReach),
};

/** After the slot, from receipts: one per broadcast and date. */
const BroadcastAired = z
  .object({ broadcastId: z.string(), title: z.string(), date: z.string(), segments: z.number(), ...ReachFields })
  .strict();

const PersonRef = z.object({ id: z.string(), name: z.string() }).strict();

const LectureSession = z
  .object({
    sessionId: z.string(),
    mode: z.enum(['onsite', 'on_air', 'online']),
    topicId: z.string(),
    topicTitle: z.string(),
    /** The county's theme of the month the session was in, if one was set. */
    theme: z.string().nullable(),
    teamId: z.string().nullable(),
    lecturers: z.array(PersonRef),
    startsAt: z.string(),
    plannedMinutes: z.number(),
    actualMinutes: z.number(),
    /** Listeners on site or online; for on air, the endpoints that aired it all. */
    attendance: z.number(),
    volunteers: z.array(PersonRef),
    orderId: z.string().nullable(),
    /** On air: the broadcast (or, given live, the live session) and what it reached. */
    onAir: z
      .object({
        broadcastId: z.string().optional(),
        liveSessionId: z.string().optional(),
        date: z.string(),
        ...ReachFields,
      })
      .strict()
      .nullable(),
  })
  .strict();

const VolunteerHours = z
  .object({
    volunteerId: z.string(),
    name: z.string(),
    sessionId: z.string(),
    minutes: z.number(),
    /** The volunteer's own sign-in and sign-out (county time) when they scanned the session's code; absent when an operator named them. */
    signedInAt: z.string().optional(),
    signedOutAt: z.string().optional(),
  })
  .strict();

/** Points awarded (for hours) or redeemed. */
const Points = z
  .object({
    holderType: z.enum(['volunteer', 'lecturer']),
    holderId: z.string(),
    holderName: z.string(),
    points: z.number(),
    /** The balance once this entry is counted. */
    balance: z.number(),
    reason: z.string(),
    minutes: z.number().nullable(),
    sessionId: z.string().nullable(),
    /** Redeemed for an item of a catalogue (积分兑换): which, how many, and the stock left. */
    item: z
      .object({ id: z.string(), name: z.string(), quantity: z.number(), stockLeft: z.number() })
      .strict()
      .optional(),
  })
  .strict();

const Rating = z
  .object({
    orderId: z.string(),
    topicId: z.string(),
    topicTitle: z.string(),
    teamId: z.string(),
    sessionId: z.string().nullable(),
    rating: z.enum(['excellent', 'satisfied', 'unsatisfied']),
    comment: z.string().nullable(),
    /** The villager whose rating the operator (the entry's actor) entered; absent from entries written before it was asked. */
    ratedFor: z.string().nullable().optional(),
    /** Who rated: the villager through the order's one-time link (no actor), or an operator for them; absent from older entries. */
    source: z.enum(['villager', 'operator']).optional(),
    /** Delivered within 72 hours of dispatch. */
    onTime: z.boolean(),
  })
  .strict();

/** A correction of an earlier entry: the payload fields it changes, laid over the original when it is read. */
const Correction = z
  .object({ correctedKind: z.string(), reason: z.string(), changes: z.record(z.string(), z.json()) })
  .strict();

/** A catalogue item's stock set or changed by an operator; the stock after it. */
const GoodsStocked = z
  .object({ itemId: z.string(), name: z.string(), change: z.number(), stock: z.number(), pointsPrice: z.number() })
  .strict();

const SCHEMAS = {
  lecture_session: LectureSession,
  broadcast_aired: BroadcastAired,
  volunteer_hours: VolunteerHours,
  points_awarded: Points,
  points_redeemed: Points,
  rating: Rating,
  correction: Correction,
  goods_stocked: GoodsStocked,
};

export type LedgerKind = keyof typeof SCHEMAS;

/** The payload of each kind of entry. */
export type Payloads = { [K in LedgerKind]: z.output<(typeof SCHEMAS)[K]> };

// Typed per kind, so that checking a kind's payload answers that kind's type.
const PAYLOAD_SCHEMAS: { [K in LedgerKind]: z.ZodType<Payloads[K]> } = SCHEMAS;

export class PayloadMismatch extends Error {}

/** The payload checked against its kind's schema: the same fields and values, typed; PayloadMismatch when it does not fit. */
export function checkedPayload<K extends LedgerKind>(kind: K, payload: unknown): Payloads[K] {
  const checked = PAYLOAD_SCHEMAS[kind].safeParse(payload);
  if (!checked.success)
    throw new PayloadMismatch(
      `a ${kind} payload does not fit its schema: ${checked.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'} ${issue.message}`).join('; ')}`,
    );
  return checked.data;
}

export type RegionReach = z.output<typeof RegionReach>;
export type Reach = Pick<BroadcastAiredPayload, keyof typeof ReachFields>;
export type BroadcastAiredPayload = Payloads['broadcast_aired'];
export type LectureSessionPayload = Payloads['lecture_session'];
export type VolunteerHoursPayload = Payloads['volunteer_hours'];
export type PointsPayload = Payloads['points_awarded'];
export type RatingPayload = Payloads['rating'];
export type CorrectionPayload = Payloads['correction'];
export type GoodsStockedPayload = Payloads['goods_stocked'];

/** The dedupe key of a broadcast's record for a date: one per broadcast and date. */
export const airedKey = (broadcastId: string, date: string) => `broadcast-aired:${broadcastId}:${date}`;

/** The reach fields, as they now are, when any figure moved between what was recorded and what the receipts now say; null when none did. */
export function reachChanges(recorded: Reach, now: Reach): Reach | null {
  const moved =
    recorded.endpoints !== now.endpoints || recorded.played !== now.played || recorded.reached !== now.reached;
  return moved
    ? {
        endpoints: now.endpoints,
        played: now.played,
        reached: now.reached,
        regionsReached: now.regionsReached,
        regions: now.regions,
      }
    : null;
}

/** Why the service corrects what it measured. */
export const LATE_RECEIPTS = 'receipts that arrived after the first reconciliation';

/** The dedupe key of the correction of a record to these figures: the same figures are never recorded twice. */
export const lateCorrectionKey = (recordKey: string, reach: Reach) =>
  `${recordKey}:${reach.played}:${reach.reached}:${reach.endpoints}`;
