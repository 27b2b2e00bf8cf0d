import { z } from 'zod';
import { COMMON_PASSWORDS } from './common-passwords';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/**
 * Why a password may not be used, or null when it may. One policy for every
 * password a person chooses: a new user's, a reset, a change, ADMIN_PASSWORD.
 */
export function passwordProblem(password: string): string | null {
  if (password.trim() === '') return 'must not be only spaces';
  // Counted in characters, not UTF-16 units, so a Chinese passphrase counts as typed.
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return 'is one of the most common passwords; choose another';
  return null;
}

/** A password a person chooses: long, not one of the most common, not blank. */
export const NewPassword = z.string().superRefine((password, context) => {
  const problem = passwordProblem(password);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});
