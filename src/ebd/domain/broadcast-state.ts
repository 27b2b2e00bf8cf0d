// What the county reports of a broadcast (BrdStateCode) follows from its
// alert's life: waiting until it starts, broadcasting while active, then
// succeeded if any loudspeaker it targeted played it and failed if none did.
import type { AlertStatus } from '../../emergencies/domain/alert';
import { BrdState } from './codes';
import type { Coverage } from './details';

export interface AlertProgress {
  status: AlertStatus;
  /** Set once it went live: an alert that ended between two looks still broadcast. */
  activatedAt: Date | null;
  /** Its audio could not be made: nothing can air. */
  mediaFailed: boolean;
}

export interface Delivery {
  /** Loudspeakers the alert targets, and those that reported playing it. */
  endpoints: number;
  played: number;
}

export function broadcastState(alert: AlertProgress, delivery: Pick<Delivery, 'played'>): BrdState {
  if (alert.status === 'cancelled' || alert.status === 'superseded') return BrdState.Cancelled;
  if (alert.mediaFailed) return BrdState.Failed;
  if (alert.status === 'draft' || alert.status === 'approved') return BrdState.Waiting;
  if (alert.status === 'active') return BrdState.Broadcasting;
  return delivery.played > 0 ? BrdState.Succeeded : BrdState.Failed;
}

/** 3, 4, 5: nothing changes after these, so a message is no longer looked at once one is reported. */
export const isFinalState = (state: number) =>
  state === BrdState.Succeeded || state === BrdState.Failed || state === BrdState.Cancelled;

/**
 * The states to send up, in order, when the last one reported was
 * `reported` (null: none yet) and the alert is now in `current`. An alert
 * that went live and ended between two looks is reported broadcasting first,
 * so the upper platform sees every message pass through 播发中.
 */
export function statesToReport(reported: number | null, current: BrdState, activated: boolean): BrdState[] {
  if (reported === current || (reported !== null && isFinalState(reported))) return [];
  if (isFinalState(current) && activated && reported !== BrdState.Broadcasting) return [BrdState.Broadcasting, current];
  return [current];
}

/** CoverageRate is loudspeakers that played ÷ loudspeakers targeted (0 when it targets none). */
export const coverageOf = (delivery: Delivery, areaCodes: string[]): Coverage => ({
  rate: delivery.endpoints ? delivery.played / delivery.endpoints : 0,
  areaCodes,
  terminals: delivery.played,
});
