// A villager's contact number on an order: a mainland mobile number, kept
// only while the order is open and never shown whole.

/** A mainland China mobile number: 11 digits, 1 then 3–9. */
export const MOBILE_NUMBER = /^1[3-9]\d{9}$/;

/** The number as every view shows it: the first three and last four digits (138****1234). */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  return phone.length > 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}
