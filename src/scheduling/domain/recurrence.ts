import { daysBetween, isoWeekday, type LocalDate } from '../../kernel/county-time';

// The RFC 5545 RRULE subset a county schedules with: FREQ=DAILY or
// FREQ=WEEKLY, an optional INTERVAL, and BYDAY for weekly rules. The first
// date and the last (until) are fields of the broadcast, not of the rule.

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface Recurrence {
  freq: 'DAILY' | 'WEEKLY';
  interval: number;
  /** Weekday numbers, 0 = Monday; for WEEKLY only. Empty: the start date's weekday. */
  byDay: number[];
}

export class RecurrenceError extends Error {}

export function parseRRule(text: string): Recurrence {
  const body = text.trim().replace(/^RRULE:/i, '');
  const parts = new Map<string, string>();
  for (const part of body.split(';').filter(Boolean)) {
    const [key, value, extra] = part.split('=');
    if (!key || value === undefined || extra !== undefined) throw new RecurrenceError(`"${part}" is not NAME=VALUE`);
    const name = key.toUpperCase();
    if (parts.has(name)) throw new RecurrenceError(`${name} appears twice`);
    parts.set(name, value.toUpperCase());
  }
  for (const name of parts.keys()) {
    if (!['FREQ', 'INTERVAL', 'BYDAY'].includes(name)) {
      const hint = name === 'UNTIL' || name === 'COUNT' ? ' (give the last date as `until`)' : '';
      throw new RecurrenceError(`${name} is not supported; use FREQ, INTERVAL and BYDAY${hint}`);
    }
  }
  const freq = parts.get('FREQ');
  if (freq !== 'DAILY' && freq !== 'WEEKLY') throw new RecurrenceError('FREQ must be DAILY or WEEKLY');
  const interval = parts.has('INTERVAL') ? Number(parts.get('INTERVAL')) : 1;
  if (!Number.isInteger(interval) || interval < 1 || interval > 366)
    throw new RecurrenceError('INTERVAL must be a whole number from 1 to 366');
  const byDay: number[] = [];
  if (parts.has('BYDAY')) {
    if (freq !== 'WEEKLY') throw new RecurrenceError('BYDAY is supported with FREQ=WEEKLY only');
    for (const day of parts.get('BYDAY')!.split(',')) {
      const index = WEEKDAYS.indexOf(day as Weekday);
      if (index < 0) throw new RecurrenceError(`BYDAY: "${day}" is not one of ${WEEKDAYS.join(', ')}`);
      if (!byDay.includes(index)) byDay.push(index);
    }
  }
  return { freq, interval, byDay: byDay.sort() };
}

/** Whether a rule starting on `start` (and ending on `until`, if any) airs on `date`. */
export function occursOn(rule: Recurrence | null, start: LocalDate, until: LocalDate | null, date: LocalDate): boolean {
  if (date < start || (until !== null && date > until)) return false;
  if (rule === null) return date === start;
  const days = daysBetween(start, date);
  if (rule.freq === 'DAILY') return days % rule.interval === 0;
  const weekdays = rule.byDay.length ? rule.byDay : [isoWeekday(start)];
  if (!weekdays.includes(isoWeekday(date))) return false;
  // Weeks counted from the Monday of the start date's week, as RFC 5545 does with WKST=MO.
  const weeks = Math.floor((days + isoWeekday(start)) / 7);
  return weeks % rule.interval === 0;
}
