// Which team to dispatch a village's order to (派单), by the seeds' rule
// "nearby, same field, the right person": a team of the village itself before
// one of its township before one of its county; among those as near, the one
// that has given most sessions on the same topic, then on topics of the same
// category; among those, the one with the fewest orders open. The operator
// sees the ranking and its reasons and still chooses.

import type { RegionPath } from '../../kernel/region';

/** 0: the team works in the ordering village itself; 1: in its township; 2: in its county. */
export type Distance = 0 | 1 | 2;

export type SuggestionReason =
  | 'same_village'
  | 'same_township'
  | 'same_county'
  | 'same_topic'
  | 'same_category'
  | 'new_to_field'
  | 'no_open_orders'
  | 'open_orders';

export interface TeamRecord {
  teamId: string;
  name: string;
  regionCode: string;
  /** Completed sessions on the order's own topic. */
  sameTopicSessions: number;
  /** Completed sessions on topics of the order's topic's category (the same topic included). */
  sameCategorySessions: number;
  /** Orders dispatched to the team or accepted by it, not yet delivered. */
  openOrders: number;
}

export interface TeamSuggestion extends TeamRecord {
  rank: number;
  distance: Distance;
  reasons: SuggestionReason[];
}

/** How far a team's region is from the ordering village, or null when the team does not work there. */
export function distance(teamRegionCode: string, village: RegionPath): Distance | null {
  if (teamRegionCode === village.code) return 0;
  if (teamRegionCode === village.townshipCode) return 1;
  if (teamRegionCode === village.countyCode) return 2;
  return null;
}

const NEARNESS: Record<Distance, SuggestionReason> = { 0: 'same_village', 1: 'same_township', 2: 'same_county' };

function reasons(team: TeamRecord, near: Distance): SuggestionReason[] {
  const field: SuggestionReason =
    team.sameTopicSessions > 0 ? 'same_topic' : team.sameCategorySessions > 0 ? 'same_category' : 'new_to_field';
  return [NEARNESS[near], field, team.openOrders === 0 ? 'no_open_orders' : 'open_orders'];
}

/**
 * The teams that may take an order in `village`, best first: nearest, then
 * most sessions on the same topic, then on the same category, then fewest
 * open orders, then by name (so the order never depends on the database's).
 * Teams that do not work in the village are left out.
 */
export function rankTeams(village: RegionPath, teams: TeamRecord[]): TeamSuggestion[] {
  return teams
    .flatMap((team) => {
      const near = distance(team.regionCode, village);
      return near === null ? [] : [{ ...team, distance: near }];
    })
    .sort(
      (a, b) =>
        a.distance - b.distance ||
        b.sameTopicSessions - a.sameTopicSessions ||
        b.sameCategorySessions - a.sameCategorySessions ||
        a.openOrders - b.openOrders ||
        a.name.localeCompare(b.name, 'zh-CN'),
    )
    .map((team, index) => ({ ...team, rank: index + 1, reasons: reasons(team, team.distance) }));
}
