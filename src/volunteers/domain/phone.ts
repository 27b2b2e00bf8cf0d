// Volunteers register with a mainland mobile number (11 digits, 1[3-9]…):
// the station reaches them by it, and it tells two people of one name
// apart. It is shown masked everywhere: 138****1234.

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
