import { createHash, randomBytes, randomInt } from 'node:crypto';

// Enrollment codes are typed by the person installing a loudspeaker, so they
// use Crockford's base32 (no I, L, O, U) in groups; device tokens are only
// ever handled by machines. Both are stored as SHA-256 digests: they are
// random and long enough that a slow password hash would add nothing.

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 12; // 60 bits

export function generateEnrollmentCode(): string {
  const chars = Array.from({ length: CODE_LENGTH }, () => CROCKFORD[randomInt(CROCKFORD.length)]);
  return [0, 4, 8].map((start) => chars.slice(start, start + 4).join('')).join('-');
}

/** Reads a code as a person may have typed it: any case, with or without dashes and spaces, O for 0, I or L for 1. */
export function normalizeEnrollmentCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

export function generateDeviceToken(): string {
  return `dlb_${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function hashEnrollmentCode(code: string): string {
  return hashSecret(normalizeEnrollmentCode(code));
}
