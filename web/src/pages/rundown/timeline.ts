import type { components } from '../../api/schema.gen';

export type Rundown = components['schemas']['Rundown'];
export type RundownItem = Rundown['items'][number];
export type Layer = RundownItem['level'];

/** One programme as it airs at one layer: its segments are the rundown's items, back to back. */
export interface TimelineEntry {
  /** broadcast and target: a broadcast aimed at a township and one of its villages airs twice in that village. */
  key: string;
  broadcastId: string;
  /** null for a relayed stream. */
  programmeId: string | null;
  title: string;
  level: Layer;
  targetCode: string;
  startsAt: string;
  durationMs: number;
  segments: number;
  /** Where it sits in the slot's window, in percent, for the bar. */
  leftPct: number;
  widthPct: number;
}

export interface Timeline {
  entries: TimelineEntry[];
  windowMs: number;
  usedMs: number;
  remainingMs: number;
}

const percent = (part: number, whole: number) => Math.min(100, Math.max(0, (part / whole) * 100));

/**
 * The rundown's items (one per segment) gathered into the programmes an
 * operator scheduled, each placed in the window: the server has already laid
 * them out (county, township, village; each in its running order).
 */
export function layoutTimeline(rundown: Rundown): Timeline {
  const windowMs = rundown.slot.windowMinutes * 60_000;
  const slotStart = Date.parse(rundown.slot.startsAt);
  const groups: RundownItem[][] = [];
  for (const item of rundown.items) {
    const last = groups.at(-1);
    if (last && last[0].broadcastId === item.broadcastId && last[0].targetCode === item.targetCode) last.push(item);
    else groups.push([item]);
  }
  const entries = groups.map((items): TimelineEntry => {
    const [first] = items;
    const durationMs = items.reduce((sum, item) => sum + item.durationMs, 0);
    return {
      key: `${first.broadcastId}@${first.targetCode}`,
      broadcastId: first.broadcastId,
      programmeId: first.programmeId,
      title: programmeTitle(first.title, items.length),
      level: first.level,
      targetCode: first.targetCode,
      startsAt: first.startsAt,
      durationMs,
      segments: items.length,
      leftPct: percent(Date.parse(first.startsAt) - slotStart, windowMs),
      widthPct: percent(durationMs, windowMs),
    };
  });
  return { entries, windowMs, usedMs: rundown.totalMs, remainingMs: rundown.remainingMs };
}

/** The server names a programme's segments "title (1/3)"; the programme itself is the title. */
function programmeTitle(firstSegmentTitle: string, segments: number): string {
  const suffix = ` (1/${segments})`;
  return segments > 1 && firstSegmentTitle.endsWith(suffix)
    ? firstSegmentTitle.slice(0, -suffix.length)
    : firstSegmentTitle;
}

/**
 * The running order of one layer after moving an entry one place up (-1) or
 * down (+1), as positions to save. Positions are counted from 1 as the
 * server does for a new broadcast; the whole layer is renumbered because the
 * page does not know the positions of entries that do not air on this date.
 * Null when the move would leave the layer.
 */
export function movedPositions(
  entries: TimelineEntry[],
  key: string,
  by: -1 | 1,
): Array<{ broadcastId: string; position: number }> | null {
  const entry = entries.find((candidate) => candidate.key === key);
  if (!entry) return null;
  const layer = entries.filter((candidate) => candidate.targetCode === entry.targetCode);
  const from = layer.indexOf(entry);
  const to = from + by;
  if (to < 0 || to >= layer.length) return null;
  const order = [...layer];
  [order[from], order[to]] = [order[to], order[from]];
  return order.map((moved, index) => ({ broadcastId: moved.broadcastId, position: index + 1 }));
}

/**
 * Whether a user scoped to `scopeCode` may change what targets `targetCode`:
 * the target is at or under their scope. `chain` is the viewed region's path
 * from the county down to itself, which holds every target of its rundown.
 */
export function manages(chain: string[], scopeCode: string | null, targetCode: string): boolean {
  if (scopeCode === null) return true;
  const scopeAt = chain.indexOf(scopeCode);
  return scopeAt >= 0 && scopeAt <= chain.indexOf(targetCode);
}
