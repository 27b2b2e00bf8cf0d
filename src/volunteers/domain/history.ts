import type { LedgerKind, Payloads } from '../../ledger/domain/entries';

/** The ledger entries of one volunteer as the history reads them. */
export type VolunteerEntry = {
  [K in LedgerKind]: { seq: bigint; kind: K; occurredAt: Date; payload: Payloads[K] };
}[LedgerKind];

export interface HistoryItem {
  seq: string;
  kind: 'hours' | 'redeemed';
  occurredAt: Date;
  sessionId: string | null;
  minutes: number | null;
  signedInAt: string | null;
  signedOutAt: string | null;
  points: number;
  balance: number | null;
  reason: string | null;
}

/**
 * A volunteer's history, newest first: one line per session they gave hours
 * to (its hours entry with the points it earned, if any: a few minutes may
 * earn none) and one per redemption.
 */
export function volunteerHistory(entries: VolunteerEntry[]): HistoryItem[] {
  const awarded = new Map<string, Payloads['points_awarded']>();
  for (const entry of entries)
    if (entry.kind === 'points_awarded' && entry.payload.sessionId) awarded.set(entry.payload.sessionId, entry.payload);
  const items: HistoryItem[] = [];
  for (const entry of entries) {
    if (entry.kind === 'volunteer_hours') {
      const points = awarded.get(entry.payload.sessionId);
      items.push({
        seq: entry.seq.toString(),
        kind: 'hours',
        occurredAt: entry.occurredAt,
        sessionId: entry.payload.sessionId,
        minutes: entry.payload.minutes,
        signedInAt: entry.payload.signedInAt ?? null,
        signedOutAt: entry.payload.signedOutAt ?? null,
        points: points?.points ?? 0,
        balance: points?.balance ?? null,
        reason: null,
      });
    } else if (entry.kind === 'points_redeemed') {
      items.push({
        seq: entry.seq.toString(),
        kind: 'redeemed',
        occurredAt: entry.occurredAt,
        sessionId: null,
        minutes: null,
        signedInAt: null,
        signedOutAt: null,
        points: entry.payload.points,
        balance: entry.payload.balance,
        reason: entry.payload.item
          ? `${entry.payload.item.name} × ${entry.payload.item.quantity}`
          : entry.payload.reason,
      });
    }
  }
  return items.reverse();
}
