/**
 * Every time a person reads is in county time, whatever the browser's zone:
 * the 17:30 broadcast is 17:30 in the county, also for an approver abroad.
 * (The server's kernel has the same rule; the county zone is fixed nationwide.)
 */
export const COUNTY_TIME_ZONE = 'Asia/Shanghai';

const parts = (date: Date) =>
  Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: COUNTY_TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  ) as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string>;

/** The county's calendar date (YYYY-MM-DD) at an instant. */
export function countyDate(at: Date = new Date()): string {
  const p = parts(at);
  return `${p.year}-${p.month}-${p.day}`;
}

/** A calendar date `days` after `date` (YYYY-MM-DD), counted on the calendar, not in hours. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** `HH:mm` (or `HH:mm:ss`) of an instant in the county. */
export function countyClock(at: Date | string, seconds = false): string {
  const p = parts(typeof at === 'string' ? new Date(at) : at);
  return seconds ? `${p.hour}:${p.minute}:${p.second}` : `${p.hour}:${p.minute}`;
}

/** `YYYY-MM-DD HH:mm` of an instant in the county: how every timestamp in the console reads. */
export function countyDateTime(at: Date | string | null | undefined): string {
  if (!at) return '—';
  const date = typeof at === 'string' ? new Date(at) : at;
  return `${countyDate(date)} ${countyClock(date)}`;
}

/** Seconds as `m:ss` (or `h:mm:ss`), the way a programme's length reads. */
export function duration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The instant a county date and clock (`YYYY-MM-DD`, `HH:mm`) name, as ISO-8601 with the county's offset (no daylight saving). */
export function countyInstant(date: string, clock: string): string {
  return `${date}T${clock}:00+08:00`;
}
