// Times in the exchange are `yyyy-MM-dd HH:mm:ss` in Beijing time (UTC+8, no
// daylight saving), with no zone written: the county's own clock.
import { countyIso } from '../../kernel/county-time';

const EBD_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,3})?$/;

export function formatEbdTime(instant: Date): string {
  return countyIso(new Date(Math.floor(instant.getTime() / 1000) * 1000))
    .slice(0, 19)
    .replace('T', ' ');
}

/** The instant a Beijing-time `yyyy-MM-dd HH:mm:ss` names (a `T` and fractions, seen in the field, are taken too); null if it names none. */
export function parseEbdTime(text: string): Date | null {
  const match = EBD_TIME.exec(text.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match;
  const instant = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}+08:00`);
  if (Number.isNaN(instant.getTime())) return null;
  // 2026-02-30 rolls over in Date: a date that changed is no date.
  return formatEbdTime(instant) === `${year}-${month}-${day} ${hour}:${minute}:${second}` ? instant : null;
}

/** `yyyyMMdd` of an instant in Beijing time: the date part of an EBMID. */
export const ebmDate = (instant: Date) => formatEbdTime(instant).slice(0, 10).replaceAll('-', '');
