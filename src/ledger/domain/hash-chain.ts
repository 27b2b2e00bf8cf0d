import { createHash } from 'node:crypto';

// The ledger's hash chain. Each entry's hash covers the previous entry's hash
// and every field of its own, in a canonical JSON (keys sorted, no spaces), so
// changing any stored field, or removing or reordering an entry, breaks the
// chain from that entry on. Plain functions over plain values: the ledger
// module feeds them rows, the tests feed them literals.

/** The prevHash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** An entry as it is hashed: every stored field but the hash itself. */
export interface ChainedEntry {
  /** Decimal, so that a bigint survives JSON. */
  seq: string;
  prevHash: string;
  kind: string;
  actorId: string | null;
  regionCode: string;
  countyCode: string;
  townshipCode: string | null;
  /** ISO-8601 in UTC with milliseconds, as Postgres gives a timestamptz(3) back. */
  occurredAt: string;
  recordedAt: string;
  subject: string | null;
  corrects: string | null;
  payload: Json;
  dedupeKey: string | null;
}

export class NotCanonical extends Error {}

/** JSON with object keys sorted at every depth and no whitespace; refuses what JSON cannot hold exactly. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new NotCanonical(`${value} has no JSON form`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, field]) => field !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  throw new NotCanonical(
    `a ${typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value} has no canonical JSON form`,
  );
}

/** SHA-256 (hex) over the previous entry's hash and the canonical JSON of this one. */
export function entryHash(entry: ChainedEntry): string {
  return createHash('sha256').update(entry.prevHash).update(canonicalJson(entry)).digest('hex');
}

export type ChainBreak = { seq: string; reason: string };

/**
 * Checks one entry against the one before it (null for the first): the seq
 * follows on, the link names the previous hash, and the stored hash is the
 * one its fields give. Null when it holds.
 */
export function checkLink(
  previous: { seq: string; hash: string } | null,
  entry: ChainedEntry,
  storedHash: string,
): ChainBreak | null {
  const expectedSeq = previous ? (BigInt(previous.seq) + 1n).toString() : '1';
  if (entry.seq !== expectedSeq)
    return { seq: entry.seq, reason: `expected seq ${expectedSeq} here: an entry is missing or out of place` };
  const expectedPrev = previous ? previous.hash : GENESIS_HASH;
  if (entry.prevHash !== expectedPrev)
    return { seq: entry.seq, reason: 'prevHash does not name the previous entry’s hash' };
  if (entryHash(entry) !== storedHash)
    return {
      seq: entry.seq,
      reason: 'the stored hash does not match the entry’s contents: it was changed after it was written',
    };
  return null;
}
