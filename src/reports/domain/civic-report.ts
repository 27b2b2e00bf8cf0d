import type { LectureSessionPayload, RatingPayload, RegionReach } from '../../ledger/domain/entries';
import type { Period } from '../../ledger/domain/periods';

// The county's monthly check (月排查), quarterly inspection (季督查) and yearly
// assessment (年考核) read the same figures over different periods: sessions
// by mode, theme and topic, hours, audience, on-air coverage and the
// four-order flow. Built from the ledger's entries (as corrected), not from
// tables anyone can edit.

export type Mode = LectureSessionPayload['mode'];
export const MODES: Mode[] = ['onsite', 'on_air', 'online'];

export interface ReportRegion {
  code: string;
  name: string;
  level: 'county' | 'township' | 'village';
}

export interface OrderFigureRow {
  status: string;
  rating: string | null;
  deliveredAt: Date | null;
  deliverBy: Date | null;
  dispatchedAt: Date | null;
  acceptedAt: Date | null;
  escalations: number;
}

export interface ReportInput {
  region: ReportRegion;
  period: Period;
  /** lecture_session entries of the region's subtree in the period. */
  sessions: Array<{ seq: string; regionCode: string; payload: LectureSessionPayload }>;
  /** On-air sessions of the regions above it (a county programme airs in its villages too): counted for coverage only. */
  onAirAbove: LectureSessionPayload[];
  ratings: RatingPayload[];
  orders: OrderFigureRow[];
  themes: Array<{ month: string; title: string }>;
  regionNames: Map<string, string>;
}

export interface Tally {
  sessions: number;
  minutes: number;
  audience: number;
}

const tally = (): Tally => ({ sessions: 0, minutes: 0, audience: 0 });
const hours = (minutes: number) => Math.round((minutes / 60) * 10) / 10;

/** Whether a region code lies in the report's region: codes carry their county (6 digits) and township (9). */
export function inRegion(code: string, region: ReportRegion): boolean {
  if (region.level === 'county') return code.slice(0, 6) === region.code.slice(0, 6);
  if (region.level === 'township') return code.slice(0, 9) === region.code.slice(0, 9);
  return code === region.code;
}

export function buildReport(input: ReportInput) {
  const { region, period } = input;
  const byMode = new Map<Mode, Tally>(MODES.map((mode) => [mode, tally()]));
  const byTheme = new Map<string, Tally>();
  const byTopic = new Map<string, Tally & { theme: string | null }>();
  const byMonth = new Map<string, Tally>();
  const volunteers = new Set<string>();
  const lecturers = new Set<string>();
  const totals = tally();
  let lecturerMinutes = 0;

  const count = (into: Tally, session: LectureSessionPayload) => {
    into.sessions++;
    into.minutes += session.actualMinutes;
    // On air, the attendance is loudspeakers that aired it, not people: it is coverage, counted apart.
    if (session.mode !== 'on_air') into.audience += session.attendance;
  };
  for (const { payload: session } of input.sessions) {
    count(totals, session);
    count(byMode.get(session.mode)!, session);
    const theme = session.theme ?? '（未定主题）';
    count(byTheme.get(theme) ?? byTheme.set(theme, tally()).get(theme)!, session);
    const topic =
      byTopic.get(session.topicTitle) ??
      byTopic.set(session.topicTitle, { ...tally(), theme: session.theme }).get(session.topicTitle)!;
    count(topic, session);
    const month = session.startsAt.slice(0, 7);
    count(byMonth.get(month) ?? byMonth.set(month, tally()).get(month)!, session);
    for (const volunteer of session.volunteers) volunteers.add(volunteer.id);
    for (const lecturer of session.lecturers) lecturers.add(lecturer.id);
    lecturerMinutes += session.actualMinutes * session.lecturers.length;
  }

  const airings = [...input.sessions.map((entry) => entry.payload), ...input.onAirAbove]
    .filter((session) => session.mode === 'on_air' && session.onAir)
    .map((session) => session.onAir!.regions.filter((reached) => inRegion(reached.code, region)))
    .filter((regions) => regions.length > 0);
  const reach: RegionReach[] = airings.flat();
  const onAirEndpoints = reach.reduce((sum, reached) => sum + reached.endpoints, 0);
  const onAirPlayed = reach.reduce((sum, reached) => sum + reached.played, 0);
  const villagesReached = new Set(reach.filter((reached) => reached.reached > 0).map((reached) => reached.code));

  const ratings = { excellent: 0, satisfied: 0, unsatisfied: 0 };
  for (const rating of input.ratings) ratings[rating.rating]++;
  const orders = input.orders;
  const themeOf = new Map(input.themes.map((theme) => [theme.month, theme.title]));
  const months = [...new Set([...input.themes.map((theme) => theme.month), ...byMonth.keys()])].sort();

  return {
    region: { code: region.code, name: region.name },
    period: { label: period.label, kind: period.kind, first: period.first, last: period.last },
    totals: {
      sessions: totals.sessions,
      hours: hours(totals.minutes),
      audience: totals.audience,
      volunteers: volunteers.size,
      lecturers: lecturers.size,
      lecturerHours: hours(lecturerMinutes),
    },
    onAir: {
      airings: airings.length,
      endpoints: onAirEndpoints,
      played: onAirPlayed,
      coverage: onAirEndpoints ? Math.round((onAirPlayed / onAirEndpoints) * 1000) / 1000 : null,
      villagesReached: villagesReached.size,
    },
    byMode: MODES.map((mode) => ({ mode, ...rounded(byMode.get(mode)!) })),
    byTheme: [...byTheme.entries()]
      .map(([theme, t]) => ({ theme, ...rounded(t) }))
      .sort((a, b) => b.sessions - a.sessions || a.theme.localeCompare(b.theme)),
    byTopic: [...byTopic.entries()]
      .map(([topic, t]) => ({ topic, theme: t.theme, ...rounded(t) }))
      .sort((a, b) => b.sessions - a.sessions || a.topic.localeCompare(b.topic)),
    byMonth: months.map((month) => ({
      month,
      theme: themeOf.get(month) ?? null,
      ...rounded(byMonth.get(month) ?? tally()),
    })),
    orders: {
      ordered: orders.length,
      dispatched: orders.filter((order) => order.dispatchedAt).length,
      accepted: orders.filter((order) => order.acceptedAt).length,
      delivered: orders.filter((order) => order.deliveredAt).length,
      deliveredOnTime: orders.filter(
        (order) => order.deliveredAt && (!order.deliverBy || order.deliveredAt <= order.deliverBy),
      ).length,
      escalated: orders.filter((order) => order.escalations > 0).length,
      rated: orders.filter((order) => order.rating).length,
      cancelled: orders.filter((order) => order.status === 'cancelled').length,
      open: orders.filter((order) => ['ordered', 'dispatched', 'accepted', 'escalated'].includes(order.status)).length,
      ratings,
    },
    sessions: input.sessions
      .map(({ seq, regionCode, payload: session }) => ({
        seq,
        startsAt: session.startsAt,
        topic: session.topicTitle,
        theme: session.theme,
        mode: session.mode,
        regionCode,
        regionName: input.regionNames.get(regionCode) ?? regionCode,
        lecturers: session.lecturers.map((lecturer) => lecturer.name).join('、'),
        minutes: session.actualMinutes,
        attendance: session.mode === 'on_air' ? null : session.attendance,
        volunteers: session.volunteers.length,
        endpointsPlayed: session.onAir ? session.onAir.played : null,
        endpoints: session.onAir ? session.onAir.endpoints : null,
        villagesReached: session.onAir ? session.onAir.regionsReached.length : null,
      }))
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt)),
  };
}

export type CivicReport = ReturnType<typeof buildReport>;

function rounded(t: Tally) {
  return { sessions: t.sessions, hours: hours(t.minutes), audience: t.audience };
}
