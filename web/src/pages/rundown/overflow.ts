import type { Rundown } from './timeline';

/** Seconds past the window once the candidate is added, rounded up as the server rounds (0: it fits). */
export function secondsOver(windowMs: number, layeredTotalMs: number, candidateMs: number): number {
  return Math.max(0, Math.ceil((layeredTotalMs + candidateMs - windowMs) / 1000));
}

export interface Overflow {
  regionCode: string;
  date: string;
  overSeconds: number;
}

/**
 * The overflows the page can see by itself, before asking the server: the
 * viewed region on each date whose rundown is loaded and on which the
 * candidate airs, when a target reaches the region (the region itself or one
 * of its ancestors). Villages under a township target and dates not loaded are
 * the server's check to make.
 */
export function visibleOverflows({
  chain,
  targets,
  rundowns,
  airsOn,
  candidateMs,
}: {
  /** The viewed region's path from the county down to itself. */
  chain: string[];
  targets: string[];
  rundowns: Rundown[];
  airsOn: (date: string) => boolean;
  candidateMs: number;
}): Overflow[] {
  if (!targets.some((code) => chain.includes(code))) return [];
  const times = targets.filter((code) => chain.includes(code)).length;
  return rundowns
    .filter((rundown) => airsOn(rundown.date))
    .map((rundown) => ({
      regionCode: rundown.regionCode,
      date: rundown.date,
      overSeconds: secondsOver(rundown.slot.windowMinutes * 60_000, rundown.totalMs, times * candidateMs),
    }))
    .filter((overflow) => overflow.overSeconds > 0);
}

/** The page's own finding and the server's, once per region and date (the larger figure wins). */
export function mergeOverflows(...lists: Overflow[][]): Overflow[] {
  const merged = new Map<string, Overflow>();
  for (const over of lists.flat()) {
    const key = `${over.regionCode}@${over.date}`;
    if ((merged.get(key)?.overSeconds ?? -1) < over.overSeconds) merged.set(key, over);
  }
  return [...merged.values()];
}
