import type { LedgerEntry } from '../generated/prisma/client';
import { checkedPayload, type LedgerKind, type Payloads } from './domain/entries';

/** A stored entry of kind K with its payload checked against that kind's schema. */
export type LedgerEntryOf<K extends LedgerKind> = {
  [P in K]: Omit<LedgerEntry, 'kind' | 'payload'> & { kind: P; payload: Payloads[P] };
}[K];

/** Any stored entry, payload checked: testing `entry.kind` narrows `entry.payload`. */
export type TypedLedgerEntry = LedgerEntryOf<LedgerKind>;

/** A row read back with its payload checked against the schema of its kind (PayloadMismatch if it does not fit). */
export function typedEntry<K extends LedgerKind>(row: Omit<LedgerEntry, 'kind'> & { kind: K }): LedgerEntryOf<K> {
  return { ...row, payload: checkedPayload(row.kind, row.payload) };
}
