// Identifiers of the exchange. EBDID (a package): 01 for a heartbeat or 10
// for anything else, the sender's EBRID, a 16-digit sequence the sender keeps
// unique (zeros for heartbeats). EBMID (a message): the issuing platform's
// EBRID, yyyyMMdd, a 4-digit sequence of the day. 2016–17 platforms used
// 18-digit EBRIDs, so their IDs are 5 digits shorter: both are accepted.

export const EBDID_PATTERN = /^(01|10)(\d{23}|\d{18})\d{16}$/;
export const EBMID_PATTERN = /^(\d{23}|\d{18})\d{8}\d{4}$/;
/** EBRIDs as senders write them: 23 digits (2018 on) or 18 (2016–17). */
export const ANY_EBRID_PATTERN = /^(\d{23}|\d{18})$/;

const SEQUENCE_DIGITS = 16;
export const MAX_EBD_SEQUENCE = 10n ** BigInt(SEQUENCE_DIGITS) - 1n;

export function heartbeatEbdId(srcEbrid: string): string {
  return `01${srcEbrid}${'0'.repeat(SEQUENCE_DIGITS)}`;
}

/** The package ID of the `sequence`-th package (1-based) a platform sends; the sequence wraps after 16 digits. */
export function dataEbdId(srcEbrid: string, sequence: bigint): string {
  const wrapped = ((sequence - 1n) % MAX_EBD_SEQUENCE) + 1n;
  return `10${srcEbrid}${wrapped.toString().padStart(SEQUENCE_DIGITS, '0')}`;
}

/** An EBMID of this platform: its EBRID, the Beijing date `yyyyMMdd`, the day's sequence 0001–9999. */
export function newEbmId(ebrid: string, date: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 9999)
    throw new RangeError(`an EBMID's daily sequence runs 1–9999, not ${sequence}`);
  return `${ebrid}${date}${String(sequence).padStart(4, '0')}`;
}
