import type { BroadcastAiredPayload, RegionReach } from '../../ledger/domain/entries';
import { parseItemId } from './rundown';
import type { Outcome } from './reconciliation';

/** One endpoint's outcome for one item of its playlist (null: no receipt, missed). */
export interface ItemOutcome {
  endpointId: string;
  regionCode: string;
  itemId: string;
  title: string;
  outcome: Outcome | null;
}

/**
 * What each broadcast of a date reached, from every endpoint's outcomes: an
 * endpoint played the broadcast when it aired every segment, and was reached
 * when it aired at least one. Emergency items are not broadcasts and are
 * left out.
 */
export function airedBroadcasts(date: string, outcomes: ItemOutcome[]): BroadcastAiredPayload[] {
  const broadcasts = new Map<
    string,
    {
      title: string;
      segments: Set<string>;
      endpoints: Map<string, { regionCode: string; played: number; aired: number }>;
    }
  >();
  for (const row of outcomes) {
    const parsed = parseItemId(row.itemId);
    if (!parsed || parsed.date !== date) continue;
    const broadcast = broadcasts.get(parsed.broadcastId) ?? {
      title: row.title,
      segments: new Set<string>(),
      endpoints: new Map<string, { regionCode: string; played: number; aired: number }>(),
    };
    broadcasts.set(parsed.broadcastId, broadcast);
    broadcast.segments.add(row.itemId);
    const endpoint = broadcast.endpoints.get(row.endpointId) ?? { regionCode: row.regionCode, played: 0, aired: 0 };
    broadcast.endpoints.set(row.endpointId, endpoint);
    endpoint.aired++;
    if (row.outcome === 'played') endpoint.played++;
  }
  return [...broadcasts.entries()].map(([broadcastId, broadcast]) => {
    const regions = new Map<string, RegionReach>();
    for (const endpoint of broadcast.endpoints.values()) {
      const reach = regions.get(endpoint.regionCode) ?? {
        code: endpoint.regionCode,
        endpoints: 0,
        played: 0,
        reached: 0,
      };
      regions.set(endpoint.regionCode, reach);
      reach.endpoints++;
      if (endpoint.played === endpoint.aired) reach.played++;
      if (endpoint.played > 0) reach.reached++;
    }
    const all = [...regions.values()].sort((a, b) => a.code.localeCompare(b.code));
    const sum = (of: (reach: RegionReach) => number) => all.reduce((total, reach) => total + of(reach), 0);
    return {
      broadcastId,
      title: broadcast.title,
      date,
      segments: broadcast.segments.size,
      endpoints: sum((reach) => reach.endpoints),
      played: sum((reach) => reach.played),
      reached: sum((reach) => reach.reached),
      regionsReached: all.filter((reach) => reach.reached > 0).map((reach) => reach.code),
      regions: all,
    };
  });
}
