import { generateKeyPairSync } from 'node:crypto';
import { type AnchoredHead, keyIdOf, signAnchor, signatureHolds } from './anchors';

describe('ledger anchors', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const head: AnchoredHead = {
    date: '2026-12-01',
    timeZone: 'Asia/Shanghai',
    seq: '42',
    hash: 'a'.repeat(64),
    final: true,
  };

  it('signs every field of the head, checkable with the public key alone', () => {
    const anchor = signAnchor(head, privateKey);
    expect(anchor.keyId).toBe(keyIdOf(publicKey));
    expect(signatureHolds(anchor, publicKey)).toBe(true);
    for (const altered of [
      { seq: '41' },
      { hash: 'b'.repeat(64) },
      { date: '2026-12-02' },
      { final: false },
      { timeZone: 'UTC' },
    ]) {
      expect(signatureHolds({ ...anchor, ...altered }, publicKey)).toBe(false);
    }
  });

  it('does not take another key’s signature', () => {
    const other = generateKeyPairSync('ed25519');
    expect(signatureHolds(signAnchor(head, other.privateKey), publicKey)).toBe(false);
    expect(signatureHolds({ ...signAnchor(head, privateKey), signature: 'not base64 at all' }, publicKey)).toBe(false);
  });
});
