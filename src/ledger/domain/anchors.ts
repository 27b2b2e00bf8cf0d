import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from './hash-chain';

// An anchor is the verified head of the ledger at the end of a county day,
// signed with an Ed25519 key that lives outside the database. Whoever keeps a
// copy can later show that the chain still holds that entry with that hash:
// a rewrite, even by the database's owner with every hash recomputed, changes
// the hash at the anchored seq. A verifier needs only the public key.

export const ANCHOR_ALGORITHM = 'Ed25519';

export interface AnchoredHead {
  /** The county date whose end the head is of. */
  date: string;
  timeZone: string;
  /** The last entry recorded by the end of that date ('0' and the genesis hash: none yet). */
  seq: string;
  hash: string;
  /** False while the date is today: the head so far, not the day's last. */
  final: boolean;
}

export interface SignedAnchor extends AnchoredHead {
  algorithm: typeof ANCHOR_ALGORITHM;
  keyId: string;
  /** Base64 Ed25519 signature of the canonical JSON of the head (every field above). */
  signature: string;
}

/** What is signed: the head's fields, in canonical JSON, under a label so the bytes mean nothing else. */
const signedBytes = (head: AnchoredHead) =>
  Buffer.from(
    canonicalJson({
      anchor: 'dalaba-ledger',
      date: head.date,
      timeZone: head.timeZone,
      seq: head.seq,
      hash: head.hash,
      final: head.final,
    }),
  );

/** The first 16 hex digits of the SHA-256 of the public key (SPKI DER): which key signed. */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

export function signAnchor(head: AnchoredHead, privateKey: KeyObject): SignedAnchor {
  return {
    ...head,
    algorithm: ANCHOR_ALGORITHM,
    keyId: keyIdOf(privateKey),
    signature: sign(null, signedBytes(head), privateKey).toString('base64'),
  };
}

/** True when the signature is the key's over exactly these fields. */
export function signatureHolds(anchor: SignedAnchor, publicKey: KeyObject): boolean {
  try {
    return verify(null, signedBytes(anchor), publicKey, Buffer.from(anchor.signature, 'base64'));
  } catch {
    return false;
  }
}
