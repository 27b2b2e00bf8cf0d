// A volunteer's hours at a session come from their own sign-in and sign-out
// (scanning the session's QR code), not from the session's length.

/** The most a session lasts, and so the most one sign-in counts (a completion days late signs out whoever forgot). */
export const MAX_SESSION_MINUTES = 600;

/** Signing in opens this long before a session starts (volunteers set up the place). */
export const SIGN_IN_OPENS_MINUTES = 60;

/**
 * Whole minutes between signing in and signing out, rounded down (a part of
 * a minute is not counted, as points are rounded down). A sign-out earlier
 * than the sign-in (clocks of two servers a little apart) counts as none,
 * never less; more than MAX_SESSION_MINUTES counts as that.
 */
export function attendedMinutes(signedInAt: Date, signedOutAt: Date): number {
  const minutes = Math.floor((signedOutAt.getTime() - signedInAt.getTime()) / 60_000);
  return Math.min(MAX_SESSION_MINUTES, Math.max(0, minutes));
}

/** When signing in to a session starting at startsAt opens. */
export function signInOpensAt(startsAt: Date): Date {
  return new Date(startsAt.getTime() - SIGN_IN_OPENS_MINUTES * 60_000);
}
