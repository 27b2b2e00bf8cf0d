/** The county's zone is UTC+8 all year (no DST), so a fixed offset is exact. */
const ZONE_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** The calendar date in the county at an instant. */
export function zoneDate(ms: number): string {
  return new Date(ms + ZONE_OFFSET_MS).toISOString().slice(0, 10);
}

/** An instant as the county writes it, e.g. 2026-11-24T17:30:00.000+08:00. */
export function zoneIso(ms: number): string {
  return new Date(ms + ZONE_OFFSET_MS).toISOString().replace('Z', '+08:00');
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function isDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && addDays(text, 0) === text;
}

/** The clock a device airs by: its own, which may be shifted (the simulator) or corrected (the agent). */
export interface Clock {
  now(): number;
}
