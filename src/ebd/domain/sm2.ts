// SM2 signatures with SM3 digests (GB/T 32918.2, GB/T 32905) through
// sm-crypto-v2, which builds on the audited @noble curves. The signer's ID is
// the standard's default, 1234567812345678 (GM/T 0009), as the crypto cards of
// the field use. A signature is r‖s, 64 bytes.
import { sm2 } from 'sm-crypto-v2';

const SIGNATURE = { hash: true, der: false } as const;
export const SM2_SIGNATURE_BYTES = 64;
const PRIVATE_KEY = /^[0-9a-f]{64}$/;
/** Uncompressed public key: 04‖x‖y. */
const PUBLIC_KEY = /^04[0-9a-f]{128}$/;

export const isSm2PrivateKey = (hex: string) => PRIVATE_KEY.test(hex);

/** The public key as the upper platform is given it (04‖x‖y, hex), or null if this is no point of the curve. */
export function normalisePublicKey(text: string): string | null {
  const hex = text.trim().toLowerCase().replace(/\s+/g, '');
  const full = hex.length === 128 ? `04${hex}` : hex;
  if (!PUBLIC_KEY.test(full)) return null;
  try {
    return sm2.verifyPublicKey(full) ? full : null;
  } catch {
    return null;
  }
}

export function generateSm2KeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = sm2.generateKeyPairHex();
  return { privateKey: privateKey.padStart(64, '0'), publicKey };
}

export const sm2PublicKeyOf = (privateKey: string): string => sm2.getPublicKeyFromPrivateKey(privateKey);

export function sm2Sign(data: Uint8Array, privateKey: string): Buffer {
  return Buffer.from(sm2.doSignature(data, privateKey, SIGNATURE), 'hex');
}

export function sm2Verify(data: Uint8Array, signature: Uint8Array, publicKey: string): boolean {
  if (signature.length !== SM2_SIGNATURE_BYTES) return false;
  try {
    return sm2.doVerifySignature(data, Buffer.from(signature).toString('hex'), publicKey, SIGNATURE);
  } catch {
    return false;
  }
}
