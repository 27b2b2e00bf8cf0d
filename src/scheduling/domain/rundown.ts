import type { LocalDate } from '../../kernel/county-time';
import type { Level, RegionPath } from '../../kernel/region';

// The rundown rule (DESIGN.md): an endpoint in village V of township T of
// county C airs, back to back from the slot's start, the entries targeting C,
// then T, then V, each level in the order its operator set. A change that
// would overflow any affected region's window is refused, never trimmed.

const LEVEL_RANK: Record<Level, number> = { county: 0, township: 1, village: 2 };

export interface Segment {
  mediaId: string;
  durationMs: number;
  sha256: string;
  bytes: number;
}

/**
 * What a broadcast airs: a programme's segments back to back, or an outside
 * stream relayed through an Icecast mount for a set time, which the rundown
 * rule counts like a programme of that length.
 */
export type Airing =
  | { kind: 'programme'; id: string; title: string; durationMs: number; segments: Segment[] }
  | { kind: 'relay'; url: string; title: string; durationMs: number; mount: string };

/** One scheduled broadcast at one of its target regions, airing on the date in question. */
export interface ScheduledEntry {
  broadcastId: string;
  targetCode: string;
  level: Level;
  position: number;
  /** Tie-breaker for equal positions: the earlier-made entry first. */
  createdAt: number;
  airs: Airing;
}

interface RundownItemBase {
  id: string;
  broadcastId: string;
  segmentIndex: number;
  title: string;
  level: Level;
  targetCode: string;
  startsAt: Date;
  durationMs: number;
}

/** One item of a rundown: a programme's segment (a rendition to play), or a relay (a mount to listen to). */
export type RundownItem =
  | (RundownItemBase & { kind: 'programme'; programmeId: string; media: Segment })
  | (RundownItemBase & { kind: 'relay'; programmeId: null; mount: string });

/** Entries that reach a region: those targeting its county, its township and itself. */
export function entriesReaching(region: RegionPath, entries: ScheduledEntry[]): ScheduledEntry[] {
  const path = new Set([region.countyCode, region.townshipCode, region.code]);
  return entries.filter((entry) => path.has(entry.targetCode)).sort(runningOrder);
}

export function runningOrder(a: ScheduledEntry, b: ScheduledEntry): number {
  return (
    LEVEL_RANK[a.level] - LEVEL_RANK[b.level] ||
    a.position - b.position ||
    a.createdAt - b.createdAt ||
    (a.broadcastId < b.broadcastId ? -1 : a.broadcastId > b.broadcastId ? 1 : 0)
  );
}

/** Item ids name the broadcast, the date and the segment, so a receipt can be traced back without a lookup table. */
export function itemId(broadcastId: string, date: LocalDate, segmentIndex: number): string {
  return `${broadcastId}.${date.replaceAll('-', '')}.${segmentIndex}`;
}

export function parseItemId(id: string): { broadcastId: string; date: LocalDate; segmentIndex: number } | null {
  const match = /^([0-9a-f-]{36})\.(\d{4})(\d{2})(\d{2})\.(\d+)$/.exec(id);
  return match
    ? { broadcastId: match[1], date: `${match[2]}-${match[3]}-${match[4]}`, segmentIndex: Number(match[5]) }
    : null;
}

/** Entries (already in running order) laid back to back from the slot's start, one item per segment (a relay is one). */
export function composeRundown(date: LocalDate, slotStart: Date, ordered: ScheduledEntry[]): RundownItem[] {
  const items: RundownItem[] = [];
  let at = slotStart.getTime();
  for (const entry of ordered) {
    const { airs } = entry;
    const base = (index: number) => ({
      id: itemId(entry.broadcastId, date, index),
      broadcastId: entry.broadcastId,
      segmentIndex: index,
      level: entry.level,
      targetCode: entry.targetCode,
      startsAt: new Date(at),
    });
    if (airs.kind === 'relay') {
      items.push({
        ...base(0),
        kind: 'relay',
        programmeId: null,
        title: airs.title,
        durationMs: airs.durationMs,
        mount: airs.mount,
      });
      at += airs.durationMs;
      continue;
    }
    airs.segments.forEach((segment, index) => {
      items.push({
        ...base(index),
        kind: 'programme',
        programmeId: airs.id,
        title: airs.segments.length > 1 ? `${airs.title} (${index + 1}/${airs.segments.length})` : airs.title,
        durationMs: segment.durationMs,
        media: segment,
      });
      at += segment.durationMs;
    });
  }
  return items;
}

export interface Overflow {
  regionCode: string;
  date: LocalDate;
  overSeconds: number;
}

/**
 * Regions whose rundown on `date` runs past the window. Only the topmost
 * overflowing region of each chain is named: everything under it overflows
 * too, by at least as much.
 */
export function overflowsOn(
  date: LocalDate,
  windowMs: number,
  regions: RegionPath[],
  totalByTarget: Map<string, number>,
): Overflow[] {
  const own = (code: string | null) => (code === null ? 0 : (totalByTarget.get(code) ?? 0));
  const over: Overflow[] = [];
  for (const region of regions) {
    const countyTotal = own(region.countyCode);
    const townshipTotal =
      countyTotal + (region.townshipCode && region.townshipCode !== region.code ? own(region.townshipCode) : 0);
    const total = region.code === region.countyCode ? countyTotal : townshipTotal + own(region.code);
    const parentTotal =
      region.code === region.countyCode
        ? 0
        : region.townshipCode === null || region.townshipCode === region.code
          ? countyTotal
          : townshipTotal;
    if (total > windowMs && parentTotal <= windowMs) {
      over.push({ regionCode: region.code, date, overSeconds: Math.ceil((total - windowMs) / 1000) });
    }
  }
  return over;
}
