import { z } from 'zod';

// Villagers leave a contact number on an order and volunteers register with
// one: a mainland mobile number (11 digits, 1[3-9]…), however it was typed.
// Stored as digits only, and shown masked everywhere: 138****1234.

const MOBILE = /^1[3-9]\d{9}$/;

/** The number as stored: digits only, without a +86 / 0086 prefix, spaces or dashes; null when it is no mainland mobile number. */
export function normalisePhone(text: string): string | null {
  const digits = text.replace(/[\s-]/g, '').replace(/^(\+86|0086)/, '');
  return MOBILE.test(digits) ? digits : null;
}

/** The first three and last four digits, the rest hidden. */
export function maskPhone(phone: string): string {
  return phone.length > 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** A request's phone field: the typed number, normalised, or a 400 saying what a mobile number is. */
export const MobileNumber = z
  .string()
  .max(40)
  .transform((text, context) => {
    const phone = normalisePhone(text);
    if (phone === null)
      context.addIssue({
        code: 'custom',
        message: 'must be a mainland mobile number: 11 digits starting 13–19, e.g. 13812345678',
      });
    return phone ?? z.NEVER;
  });
