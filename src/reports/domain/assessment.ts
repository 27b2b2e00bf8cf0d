import type {
  BroadcastAiredPayload,
  LectureSessionPayload,
  RatingPayload,
  VolunteerHoursPayload,
} from '../../ledger/domain/entries';
import type { Period } from '../../ledger/domain/periods';
import { inRegion, type ReportRegion } from './civic-report';

// The assessment (考核) of a county, township or village over a period: the
// figures the county checks monthly, inspects quarterly, sums up by half-year
// and assesses yearly, for the region and each region below it, ranked.
//
// - broadcast rate: village-days the evening (17:30) broadcast aired ÷
//   village-days it was scheduled. A village-day is scheduled when an evening
//   broadcast of that date was to reach at least one of the village's
//   loudspeakers (its row in a broadcast_aired entry has endpoints > 0), and
//   aired when at least one of them played at least one segment of one of
//   them (reached > 0; `played` counts only loudspeakers that aired every
//   segment, so it is a subset of reached).
// - loudspeakers online rate: Σ loudspeakers that reported playing
//   (reached) ÷ Σ loudspeakers expected (endpoints), over the same rows: a
//   loudspeaker counts once per evening broadcast it was to air.
// - orders on time: orders placed in the period (bar cancelled ones) that
//   were delivered by their deadline (deliverBy) ÷ those orders; an order
//   still open counts as not (yet) on time.
// - satisfaction: ratings 满意 (excellent) + 基本满意 (satisfied) ÷ ratings
//   recorded in the period.
// - score: the mean of those four rates, of the ones that exist (a region
//   with no loudspeakers or no orders is judged on the others); no rate, no
//   score. It ranks the regions below.
// Sessions, hours and volunteers are counted, not scored.

export interface AssessmentInput {
  region: ReportRegion;
  /** The regions directly below it: a county's townships, a township's villages. */
  children: ReportRegion[];
  period: Period;
  /** The evening slot's broadcast_aired entries that may reach the region (as corrected). */
  broadcasts: Array<Pick<BroadcastAiredPayload, 'date' | 'regions'>>;
  sessions: Array<{ regionCode: string; payload: Pick<LectureSessionPayload, 'actualMinutes'> }>;
  volunteerHours: Array<{ regionCode: string; payload: Pick<VolunteerHoursPayload, 'volunteerId' | 'minutes'> }>;
  ratings: Array<{ regionCode: string; payload: Pick<RatingPayload, 'rating'> }>;
  orders: Array<{ regionCode: string; status: string; deliveredAt: Date | null; deliverBy: Date | null }>;
}

const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 1000 : null);
const hours = (minutes: number) => Math.round((minutes / 60) * 10) / 10;

/** What is added up for one region. */
class Tally {
  readonly villageDays = new Map<string, boolean>();
  expected = 0;
  reached = 0;
  orders = 0;
  onTime = 0;
  readonly ratings = { excellent: 0, satisfied: 0, unsatisfied: 0 };
  sessions = 0;
  sessionMinutes = 0;
  participations = 0;
  readonly volunteers = new Set<string>();
  volunteerMinutes = 0;

  figures() {
    const airedDays = [...this.villageDays.values()].filter(Boolean).length;
    const ratings = this.ratings.excellent + this.ratings.satisfied + this.ratings.unsatisfied;
    const rates = {
      broadcast: rate(airedDays, this.villageDays.size),
      loudspeakers: rate(this.reached, this.expected),
      orders: rate(this.onTime, this.orders),
      satisfaction: rate(this.ratings.excellent + this.ratings.satisfied, ratings),
    };
    const scored = Object.values(rates).filter((value): value is number => value !== null);
    return {
      broadcast: { scheduledDays: this.villageDays.size, airedDays, rate: rates.broadcast },
      loudspeakers: { expected: this.expected, reached: this.reached, rate: rates.loudspeakers },
      orders: { orders: this.orders, onTime: this.onTime, rate: rates.orders },
      satisfaction: { ratings, ...this.ratings, rate: rates.satisfaction },
      sessions: { sessions: this.sessions, hours: hours(this.sessionMinutes) },
      volunteers: {
        participations: this.participations,
        volunteers: this.volunteers.size,
        hours: hours(this.volunteerMinutes),
      },
      score: scored.length ? Math.round((scored.reduce((a, b) => a + b, 0) / scored.length) * 1000) / 1000 : null,
    };
  }
}

export type AssessmentFigures = ReturnType<Tally['figures']>;

export function buildAssessment(input: AssessmentInput) {
  const { region, children } = input;
  const total = new Tally();
  const below = children.map((child) => ({ child, tally: new Tally() }));
  // Every row is counted for the region and for the one child it lies in (if any: a township's own loudspeakers lie in no village).
  const tallies = (code: string): Tally[] =>
    inRegion(code, region)
      ? [total, ...below.filter(({ child }) => inRegion(code, child)).map(({ tally }) => tally)]
      : [];

  for (const broadcast of input.broadcasts)
    for (const reach of broadcast.regions) {
      if (reach.endpoints <= 0) continue;
      for (const tally of tallies(reach.code)) {
        const key = `${reach.code}|${broadcast.date}`;
        tally.villageDays.set(key, (tally.villageDays.get(key) ?? false) || reach.reached > 0);
        tally.expected += reach.endpoints;
        tally.reached += reach.reached;
      }
    }
  for (const order of input.orders) {
    if (order.status === 'cancelled') continue;
    const onTime = order.deliveredAt !== null && order.deliverBy !== null && order.deliveredAt <= order.deliverBy;
    for (const tally of tallies(order.regionCode)) {
      tally.orders++;
      if (onTime) tally.onTime++;
    }
  }
  for (const { regionCode, payload } of input.ratings)
    for (const tally of tallies(regionCode)) tally.ratings[payload.rating]++;
  for (const { regionCode, payload } of input.sessions)
    for (const tally of tallies(regionCode)) {
      tally.sessions++;
      tally.sessionMinutes += payload.actualMinutes;
    }
  for (const { regionCode, payload } of input.volunteerHours)
    for (const tally of tallies(regionCode)) {
      tally.participations++;
      tally.volunteers.add(payload.volunteerId);
      tally.volunteerMinutes += payload.minutes;
    }

  const scored = below.map(({ child, tally }) => ({
    region: { code: child.code, name: child.name, level: child.level },
    figures: tally.figures(),
  }));
  return {
    region: { code: region.code, name: region.name, level: region.level },
    period: { label: input.period.label, kind: input.period.kind, first: input.period.first, last: input.period.last },
    figures: total.figures(),
    children: ranked(scored),
  };
}

/** Best score first; equal scores share a rank (1, 2, 2, 4); a region with no score is listed last, unranked. */
function ranked<T extends { region: { code: string }; figures: { score: number | null } }>(rows: T[]) {
  const sorted = [...rows].sort(
    (a, b) => (b.figures.score ?? -1) - (a.figures.score ?? -1) || a.region.code.localeCompare(b.region.code),
  );
  return sorted.map((row) => ({
    rank:
      row.figures.score === null ? null : sorted.findIndex((other) => other.figures.score === row.figures.score) + 1,
    ...row,
  }));
}

export type Assessment = ReturnType<typeof buildAssessment>;
