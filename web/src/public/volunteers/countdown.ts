/** What is left of a code's life at `now`, as the counter reads it: `m:ss`, never below 0:00. */
export function timeLeft(expiresAt: string, now: number): { seconds: number; clock: string } {
  const seconds = Math.max(0, Math.floor((Date.parse(expiresAt) - now) / 1000));
  return { seconds, clock: `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}` };
}
