import type { components } from '../../api/schema.gen';
import type { RegionLevel } from '../../components/regions/regions';

export type Readiness = components['schemas']['Readiness'];
export type RegionReadiness = Readiness['regions'][number];
export type NotReadyReason = Readiness['endpoints'][number]['reasons'][number];

export const NOT_READY_REASONS: NotReadyReason[] = [
  'offline',
  'playlist-not-fetched',
  'playlist-outdated',
  'media-missing',
];

/** What an operator checks before 17:30, for one region: of its endpoints, how many are online, fetched, held. */
export interface ReadinessCounts {
  total: number;
  ready: number;
  online: number;
  /** Fetched the current playlist (an outdated one does not count). */
  fetched: number;
  /** Holds every medium the playlist plays. */
  mediaHeld: number;
}

const reasonCount = (byReason: Record<string, number>, reason: NotReadyReason) => byReason[reason] ?? 0;

/** The server counts what is missing; the page shows what is there, out of the total. */
export function readinessCounts(tally: {
  total: number;
  ready: number;
  byReason: Record<string, number>;
}): ReadinessCounts {
  return {
    total: tally.total,
    ready: tally.ready,
    online: tally.total - reasonCount(tally.byReason, 'offline'),
    fetched:
      tally.total -
      reasonCount(tally.byReason, 'playlist-not-fetched') -
      reasonCount(tally.byReason, 'playlist-outdated'),
    mediaHeld: tally.total - reasonCount(tally.byReason, 'media-missing'),
  };
}

const EMPTY: ReadinessCounts = { total: 0, ready: 0, online: 0, fetched: 0, mediaHeld: 0 };

function add(a: ReadinessCounts, b: ReadinessCounts): ReadinessCounts {
  return {
    total: a.total + b.total,
    ready: a.ready + b.ready,
    online: a.online + b.online,
    fetched: a.fetched + b.fetched,
    mediaHeld: a.mediaHeld + b.mediaHeld,
  };
}

/**
 * The child of the shown region an endpoint's region belongs to: under a
 * county its township (or the county itself for loudspeakers hung at county
 * level), under a township the village itself.
 */
export function childKey(row: RegionReadiness, rootLevel: RegionLevel): string {
  return rootLevel === 'county' ? (row.townshipCode ?? row.regionCode) : row.regionCode;
}

export interface ChildReadiness extends ReadinessCounts {
  code: string;
  name: string;
}

/**
 * One row per child of the shown region (every child, also those without
 * loudspeakers, so a township that has none yet is seen), plus a row for
 * endpoints standing at the region itself when there are any.
 */
export function readinessByChild(
  root: { code: string; name: string; level: RegionLevel },
  children: Array<{ code: string; name: string }>,
  rows: RegionReadiness[],
): ChildReadiness[] {
  const sums = new Map<string, ReadinessCounts>();
  for (const row of rows) {
    const key = childKey(row, root.level);
    sums.set(key, add(sums.get(key) ?? EMPTY, readinessCounts(row)));
  }
  const result: ChildReadiness[] = children.map((child) => ({
    code: child.code,
    name: child.name,
    ...(sums.get(child.code) ?? EMPTY),
  }));
  const atRoot = sums.get(root.code);
  if (atRoot) result.unshift({ code: root.code, name: root.name, ...atRoot });
  return result;
}

/** The endpoints not ready in one region (a village's drill-down), with what each lacks. */
export function notReadyIn(readiness: Readiness, regionCode: string) {
  return readiness.endpoints.filter((endpoint) => endpoint.regionCode === regionCode);
}
