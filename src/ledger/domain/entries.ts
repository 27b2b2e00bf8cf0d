// What each kind of ledger entry records: the payloads features write and
// reports read. Plain data (JSON), so the hash chain can cover it exactly.

/** Endpoints of one region that a broadcast was to reach on a date, and how many aired all of it. */
export interface RegionReach {
  code: string;
  endpoints: number;
  /** Aired every segment. */
  played: number;
  /** Aired at least one segment. */
  reached: number;
}

export interface Reach {
  endpoints: number;
  played: number;
  reached: number;
  /** Regions with an endpoint that aired at least one segment (the villages the broadcast reached). */
  regionsReached: string[];
  regions: RegionReach[];
}

/** The dedupe key of a broadcast's record for a date: one per broadcast and date. */
export const airedKey = (broadcastId: string, date: string) => `broadcast-aired:${broadcastId}:${date}`;

/** The reach fields that moved between what was recorded and what the receipts now say, or null when none did. */
export function reachChanges(recorded: Reach, now: Reach): Partial<Reach> | null {
  const moved = recorded.endpoints !== now.endpoints || recorded.played !== now.played || recorded.reached !== now.reached;
  return moved ? { endpoints: now.endpoints, played: now.played, reached: now.reached, regionsReached: now.regionsReached, regions: now.regions } : null;
}

/** Why the service corrects what it measured. */
export const LATE_RECEIPTS = 'receipts that arrived after the first reconciliation';

/** The dedupe key of the correction of a record to these figures: the same figures are never recorded twice. */
export const lateCorrectionKey = (recordKey: string, reach: Reach) => `${recordKey}:${reach.played}:${reach.reached}:${reach.endpoints}`;

/** After the slot, from receipts: one per broadcast and date. */
export interface BroadcastAiredPayload extends Reach {
  broadcastId: string;
  title: string;
  date: string;
  segments: number;
}

export interface LecturerRef {
  id: string;
  name: string;
}

export interface LectureSessionPayload {
  sessionId: string;
  mode: 'onsite' | 'on_air' | 'online';
  topicId: string;
  topicTitle: string;
  /** The county's theme of the month the session was in, if one was set. */
  theme: string | null;
  teamId: string | null;
  lecturers: LecturerRef[];
  startsAt: string;
  plannedMinutes: number;
  actualMinutes: number;
  /** Listeners on site or online; for on air, the endpoints that aired it all. */
  attendance: number;
  volunteers: LecturerRef[];
  orderId: string | null;
  /** On air: the broadcast and what it reached. */
  onAir: (Reach & { broadcastId: string; date: string }) | null;
}

export interface VolunteerHoursPayload {
  volunteerId: string;
  name: string;
  sessionId: string;
  minutes: number;
}

export interface PointsPayload {
  holderType: 'volunteer' | 'lecturer';
  holderId: string;
  holderName: string;
  points: number;
  /** The balance once this entry is counted. */
  balance: number;
  reason: string;
  minutes: number | null;
  sessionId: string | null;
}

export interface RatingPayload {
  orderId: string;
  topicId: string;
  topicTitle: string;
  teamId: string;
  sessionId: string | null;
  rating: 'excellent' | 'satisfied' | 'unsatisfied';
  comment: string | null;
  /** The villager whose rating the operator (the entry's actor) entered; absent from entries written before it was asked. */
  ratedFor?: string | null;
  /** Delivered within 72 hours of dispatch. */
  onTime: boolean;
}

export interface CorrectionPayload {
  correctedKind: string;
  reason: string;
  changes: Record<string, unknown>;
}
