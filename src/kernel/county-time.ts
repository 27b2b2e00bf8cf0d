// County time is Asia/Shanghai: UTC+8 all year (China has no daylight saving
// time), so conversions are a fixed offset, done here and nowhere else.

export const COUNTY_TIME_ZONE = 'Asia/Shanghai';
const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** A calendar date in county time, 'YYYY-MM-DD'. */
export type LocalDate = string;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLocalDate(text: string): boolean {
  const match = LOCAL_DATE.exec(text);
  if (!match) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

export function countyDate(instant: Date): LocalDate {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from a to b (negative when b is earlier). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** 0 = Monday … 6 = Sunday, as RFC 5545 counts weeks. */
export function isoWeekday(date: LocalDate): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** The instant a county-time clock shows `minuteOfDay` on `date`. */
export function countyInstant(date: LocalDate, minuteOfDay: number): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - OFFSET_MS + minuteOfDay * 60_000);
}

/** ISO-8601 with the county's offset, as devices are told times: 2026-11-24T17:30:00+08:00. */
export function countyIso(instant: Date): string {
  const shifted = new Date(instant.getTime() + OFFSET_MS).toISOString();
  const millis = shifted.slice(19, 23) === '.000' ? '' : shifted.slice(19, 23);
  return `${shifted.slice(0, 19)}${millis}+08:00`;
}

/** 'HH:MM' for a minute of the day, and back. */
export function formatMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

export function parseMinute(text: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/** Dates from `from` to `to` inclusive. */
export function datesFrom(from: LocalDate, to: LocalDate): LocalDate[] {
  const out: LocalDate[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) out.push(date);
  return out;
}

/** A Postgres DATE column value (midnight UTC in Prisma) as a LocalDate, and back. */
export const fromDbDate = (value: Date): LocalDate => value.toISOString().slice(0, 10);
export const toDbDate = (date: LocalDate): Date => new Date(`${date}T00:00:00Z`);
