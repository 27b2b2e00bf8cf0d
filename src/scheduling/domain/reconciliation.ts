import { addDays, countyDate, countyInstant, type LocalDate } from '../../kernel/county-time';
import type { PlaylistItem } from './playlist';

// Before the slot: is every endpoint ready to air on its own? After it: what
// did each one air, by its receipts? Pure tallies over plain rows.

export type NotReadyReason = 'offline' | 'playlist-not-fetched' | 'playlist-outdated' | 'media-missing';

export interface EndpointState {
  id: string;
  name: string;
  regionCode: string;
  online: boolean;
  fetchedVersion: string | null;
  heldMedia: string[];
}

export function notReadyReasons(
  endpoint: EndpointState,
  playlist: { version: string; items: PlaylistItem[] },
): NotReadyReason[] {
  const reasons: NotReadyReason[] = [];
  if (!endpoint.online) reasons.push('offline');
  if (endpoint.fetchedVersion === null) reasons.push('playlist-not-fetched');
  else if (endpoint.fetchedVersion !== playlist.version) reasons.push('playlist-outdated');
  const held = new Set(endpoint.heldMedia);
  // A relay has no media to hold: its stream is live from Icecast.
  if (playlist.items.some((item) => item.media && !held.has(item.media.sha256))) reasons.push('media-missing');
  return reasons;
}

export type Outcome = 'played' | 'failed' | 'interrupted';
export interface Tally {
  endpoints: number;
  played: number;
  failed: number;
  interrupted: number;
  missed: number;
}

export const emptyTally = (): Tally => ({ endpoints: 0, played: 0, failed: 0, interrupted: 0, missed: 0 });

// A device may report an item more than once (a retry after an interruption): the best outcome counts.
const RANK: Record<Outcome, number> = { failed: 0, interrupted: 1, played: 2 };

export function bestOutcome(outcomes: Outcome[]): Outcome | null {
  return outcomes.reduce<Outcome | null>(
    (best, outcome) => (best === null || RANK[outcome] > RANK[best] ? outcome : best),
    null,
  );
}

export function count(tally: Tally, outcome: Outcome | null): void {
  tally.endpoints++;
  tally[outcome ?? 'missed']++;
}

// The default evening slot ends at 18:00: a day is reconciled at 18:30, or
// half an hour after its last slot ends if that is later; and once more at
// noon the next day, for devices that aired offline and reported late.
const RECONCILE_AT_MINUTE = 18 * 60 + 30;
const RECONCILE_GRACE_MINUTES = 30;
const LATE_RECEIPTS_AT_MINUTE = 12 * 60;

/** The reconciliations of a county due by `now`: today's once its slots are over, yesterday's late pass from noon. */
export function reconciliationsDue(
  now: Date,
  slots: Array<{ startMinute: number; windowMinutes: number }>,
): Array<{ pass: 'reconcile' | 'reconcile-late'; date: LocalDate }> {
  const today = countyDate(now);
  const lastEnd = Math.max(0, ...slots.map((slot) => slot.startMinute + slot.windowMinutes));
  const due: Array<{ pass: 'reconcile' | 'reconcile-late'; date: LocalDate }> = [];
  if (now >= countyInstant(today, Math.max(RECONCILE_AT_MINUTE, lastEnd + RECONCILE_GRACE_MINUTES)))
    due.push({ pass: 'reconcile', date: today });
  if (now >= countyInstant(today, LATE_RECEIPTS_AT_MINUTE))
    due.push({ pass: 'reconcile-late', date: addDays(today, -1) });
  return due;
}
