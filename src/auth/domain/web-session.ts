import { createHmac, timingSafeEqual } from 'node:crypto';

// A browser's session cookie carries `<session id>.<secret>` like a refresh
// token, but is never sent to a script. The page proves a state-changing
// request is its own with the CSRF token: another site's page can make the
// browser send the cookie (were SameSite ever bypassed) but cannot read the
// token, which only the session routes answer. It is derived from the cookie's
// secret, so nothing more is stored and it dies with the session.

/** A cookie session's last request is written at most this often, not on every request. */
export const SEEN_EVERY_MS = 60_000;

export function csrfTokenOf(secret: string): string {
  return createHmac('sha256', secret).update('dalaba csrf token').digest('base64url');
}

/** Equal, in time that tells a guesser nothing about how much of it was right. */
export function sameToken(sent: string, expected: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether a session last used at lastSeen has been idle too long by now. */
export function idleTooLong(lastSeen: Date, now: Date, idleSeconds: number): boolean {
  return now.getTime() - lastSeen.getTime() >= idleSeconds * 1000;
}
