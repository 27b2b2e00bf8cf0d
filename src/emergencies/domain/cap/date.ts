// CAP 1.2 date-times (§3.3.2), read strictly and written in county time.
import { quote, reject } from './rejected';

// CAP's own pattern (§3.3.2): seconds, an explicit offset, no fraction, no 'Z'.
const CAP_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})([+-])(\d{2}):(\d{2})$/;

export function capDate(text: string, field: string): Date {
  const match = CAP_DATE_TIME.exec(text);
  if (!match) return reject(`<${field}> ${quote(text)} is not a CAP date-time like 2026-11-23T17:30:00+08:00`);
  const [year, month, day, hour, minute, second, , offsetHours, offsetMinutes] = match.slice(1).map(Number);
  const wall = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const real =
    wall.getUTCFullYear() === year &&
    wall.getUTCMonth() === month - 1 &&
    wall.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60 &&
    offsetHours <= 14 &&
    offsetMinutes < 60;
  if (!real) return reject(`<${field}> ${quote(text)} is not a real date and time`);
  const offset = (match[7] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return new Date(wall.getTime() - offset);
}

/** CAP datetime in county time: 2026-11-23T17:30:00+08:00 (CAP forbids 'Z' and fractions of a second). */
export function formatCapDate(date: Date): string {
  return `${new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}
