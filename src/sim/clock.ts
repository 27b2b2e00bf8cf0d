import { zoneDate, type Clock } from 'dalaba-agent/protocol';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };

/** `90s`, `-10m`, `3h25m`, `1d`, `250ms` → milliseconds. A bare number is refused: its unit would be a guess. */
export function parseDuration(text: string): number {
  const match = /^([+-]?)((?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+)$/.exec(text.trim());
  if (!match) throw new Error(`not a duration: "${text}" (e.g. 90s, -10m, 3h25m, 1d)`);
  let total = 0;
  for (const [, amount, unit] of match[2].matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g))
    total += Number(amount) * UNIT_MS[unit];
  return Math.round(match[1] === '-' ? -total : total);
}

/**
 * How far the simulated clock runs ahead of the real one. `at:17:29:50` asks for
 * "it is now 17:29:50 in the county on `date`" (today there when no date is given),
 * which is how a test reaches the 17:30 slot without waiting for it.
 */
export function parseTimeOffset(text: string, date: string | undefined, realNow: number): number {
  if (!text.startsWith('at:')) return parseDuration(text);
  const time = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.slice(3));
  if (!time || Number(time[1]) > 23 || Number(time[2]) > 59 || Number(time[3] ?? 0) > 59) {
    throw new Error(`not a time of day: "${text}" (e.g. at:17:29:50)`);
  }
  const target = Date.parse(`${date ?? zoneDate(realNow)}T${time[1]}:${time[2]}:${time[3] ?? '00'}+08:00`);
  return target - realNow;
}

/** The device's own clock: the real one shifted by a fixed offset, so it runs at real speed. */
export class SimClock implements Clock {
  constructor(readonly offsetMs: number) {}

  now(): number {
    return Date.now() + this.offsetMs;
  }
}
