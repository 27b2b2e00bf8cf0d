import type { paths } from '../../api/schema.gen';

/** The RRULE weekday codes, Monday first as the county's week starts. */
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** What the operator fills in: a programme, where, and once or on a repeat. */
export interface SchedulePlan {
  programmeId: string;
  regionCodes: string[];
  repeat: 'once' | 'daily' | 'weekly';
  /** The date (once) or the first date (repeats), county calendar. */
  date: string;
  /** The last date of a repeat, inclusive; none: it goes on. */
  until?: string;
  weekdays: Weekday[];
  /** first: before what the target already has; last: after it (the server's default). */
  place: 'first' | 'last';
  slot: string;
}

export type CreateBroadcast = NonNullable<
  paths['/api/v1/broadcasts']['post']['requestBody']
>['content']['application/json'];

/** Monday = 0, on the calendar date itself (no time zone enters). */
export function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

/** The message key naming a date's weekday ('mo' … 'su'). */
export function weekdayKey(date: string): Lowercase<Weekday> {
  return WEEKDAYS[weekdayOf(date)].toLowerCase() as Lowercase<Weekday>;
}

/** The body of POST /api/v1/broadcasts (and of its check), or null while the plan is incomplete. */
export function broadcastBody(plan: SchedulePlan): CreateBroadcast | null {
  if (!plan.programmeId || !plan.regionCodes.length || !plan.date) return null;
  if (plan.repeat === 'weekly' && !plan.weekdays.length) return null;
  const common = {
    programmeId: plan.programmeId,
    regionCodes: plan.regionCodes,
    slot: plan.slot,
    ...(plan.place === 'first' ? { position: 0 } : {}),
  };
  if (plan.repeat === 'once') return { ...common, date: plan.date };
  return {
    ...common,
    startDate: plan.date,
    ...(plan.until ? { until: plan.until } : {}),
    recurrence: plan.repeat === 'daily' ? 'FREQ=DAILY' : `FREQ=WEEKLY;BYDAY=${plan.weekdays.join(',')}`,
  };
}

/** Whether the plan airs on a date: what the page checks against the rundowns it holds. */
export function planAirsOn(plan: SchedulePlan, date: string): boolean {
  if (date < plan.date) return false;
  if (plan.repeat === 'once') return date === plan.date;
  if (plan.until && date > plan.until) return false;
  return plan.repeat === 'daily' || plan.weekdays.includes(WEEKDAYS[weekdayOf(date)]);
}
