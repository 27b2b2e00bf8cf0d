/**
 * An entry's payload as its corrections have it: each correction's changes
 * laid over the original in seq order, the last word winning. The original
 * entry is never changed; this is how it reads (and the reader checks it
 * against its kind's schema again).
 */
export function correctedPayload<P extends object>(
  original: P,
  corrections: Array<{ seq: bigint; payload: { changes: Record<string, unknown> } }>,
): P {
  return [...corrections]
    .sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0))
    .reduce<P>((payload, correction) => ({ ...payload, ...correction.payload.changes }), original);
}
