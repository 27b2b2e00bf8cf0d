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

export function notReadyReasons(endpoint: EndpointState, playlist: { version: string; items: PlaylistItem[] }): NotReadyReason[] {
  const reasons: NotReadyReason[] = [];
  if (!endpoint.online) reasons.push('offline');
  if (endpoint.fetchedVersion === null) reasons.push('playlist-not-fetched');
  else if (endpoint.fetchedVersion !== playlist.version) reasons.push('playlist-outdated');
  const held = new Set(endpoint.heldMedia);
  if (playlist.items.some((item) => !held.has(item.media.sha256))) reasons.push('media-missing');
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
  return outcomes.reduce<Outcome | null>((best, outcome) => (best === null || RANK[outcome] > RANK[best] ? outcome : best), null);
}

export function count(tally: Tally, outcome: Outcome | null): void {
  tally.endpoints++;
  tally[outcome ?? 'missed']++;
}
