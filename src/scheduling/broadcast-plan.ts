import { fromDbDate, type LocalDate } from '../kernel/county-time';
import { occursOn, parseRRule, type Recurrence } from './domain/recurrence';
import type { Airing, ScheduledEntry } from './domain/rundown';
import type { Level } from '../kernel/region';

/** A scheduled broadcast as the rundown rule needs it: when it airs, where, and what. */
export interface BroadcastPlan {
  id: string;
  startDate: LocalDate;
  until: LocalDate | null;
  rule: Recurrence | null;
  createdAt: number;
  targets: Array<{ regionCode: string; level: Level; position: number }>;
  airs: Airing;
}

/** The rows Prisma returns for a broadcast with its targets and programme. */
export interface BroadcastRow {
  id: string;
  startDate: Date;
  untilDate: Date | null;
  rrule: string | null;
  createdAt: Date;
  targets: Array<{ regionCode: string; level: Level; position: number }>;
  programme: {
    id: string;
    title: string;
    durationMs: number;
    segments: Array<{ media: { id: string; durationMs: number | null; sha256: string | null; bytes: number | null } }>;
  } | null;
  relayUrl: string | null;
  relayTitle: string | null;
  relayDurationMs: number | null;
  relayMount: string | null;
}

export function toPlan(row: BroadcastRow): BroadcastPlan {
  return {
    id: row.id,
    startDate: fromDbDate(row.startDate),
    until: row.untilDate ? fromDbDate(row.untilDate) : null,
    rule: row.rrule ? parseRRule(row.rrule) : null,
    createdAt: row.createdAt.getTime(),
    targets: row.targets,
    airs: airingOf(row),
  };
}

function airingOf({ programme, relayUrl, relayTitle, relayDurationMs, relayMount }: BroadcastRow): Airing {
  // The table's CHECK holds exactly one of a programme and a relay.
  if (!programme)
    return { kind: 'relay', url: relayUrl!, title: relayTitle!, durationMs: relayDurationMs!, mount: relayMount! };
  return {
    kind: 'programme',
    id: programme.id,
    title: programme.title,
    durationMs: programme.durationMs,
    segments: programme.segments.map(({ media }) => ({
      mediaId: media.id,
      durationMs: media.durationMs ?? 0,
      sha256: media.sha256 ?? '',
      bytes: media.bytes ?? 0,
    })),
  };
}

export function airsOn(plan: BroadcastPlan, date: LocalDate): boolean {
  return occursOn(plan.rule, plan.startDate, plan.until, date);
}

/** Every (broadcast, target) pair airing on a date. */
export function entriesOn(plans: BroadcastPlan[], date: LocalDate): ScheduledEntry[] {
  return plans
    .filter((plan) => airsOn(plan, date))
    .flatMap((plan) =>
      plan.targets.map((target) => ({
        broadcastId: plan.id,
        targetCode: target.regionCode,
        level: target.level,
        position: target.position,
        createdAt: plan.createdAt,
        airs: plan.airs,
      })),
    );
}

/** Total airtime per target region on a date: all the overflow rule needs. */
export function airtimeByTarget(plans: BroadcastPlan[], date: LocalDate): Map<string, number> {
  const totals = new Map<string, number>();
  for (const entry of entriesOn(plans, date)) {
    totals.set(entry.targetCode, (totals.get(entry.targetCode) ?? 0) + entry.airs.durationMs);
  }
  return totals;
}
