import { covers, type RegionPath } from '../../kernel/region';

/** Why a live session ended: said to its speaker, to the devices and in the audit trail. */
export const END_REASONS = [
  /** Its speaker ended it. */
  'operator',
  /** An approver (or an admin) ended someone else's session. */
  'approver',
  /** The speaker's connection was gone longer than LIVE_GRACE_SECONDS. */
  'source-lost',
  /** It reached LIVE_MAX_SECONDS. */
  'max-length',
  /** Icecast or the encoder failed: what was recorded so far is kept. */
  'stream-failed',
  /** What the speaker's client sent was not audio. */
  'bad-audio',
  /** No audio ever came within the grace period. */
  'no-audio',
  /** The process carrying it stopped (a restart, a crash): another process ended it. */
  'server-restarted',
] as const;
export type EndReason = (typeof END_REASONS)[number];

export type LivePriority = 'normal' | 'urgent';

/**
 * A live stream's rank among playlist items: above scheduled items (10), so
 * it is played; below every alert (100–103), so an alert is never cut by it.
 * Urgent interrupts what plays; normal waits for the playing item to end.
 */
export const LIVE_ITEM_PRIORITY: Record<LivePriority, number> = { normal: 20, urgent: 90 };

/** Receipts name a live session's audio as this item. */
export const liveItemId = (sessionId: string) => `live:${sessionId}`;

/** Two target regions overlap when one lies in (or is) the other: a loudspeaker would hear both. */
export function overlaps(a: RegionPath, b: RegionPath): boolean {
  return covers(a.code, b) || covers(b.code, a);
}

/** The pairs of wanted and taken regions that overlap (a region may be taken by only one session at a time). */
export function clashes(wanted: RegionPath[], taken: RegionPath[]): Array<{ wanted: string; taken: string }> {
  return wanted.flatMap((w) => taken.filter((t) => overlaps(w, t)).map((t) => ({ wanted: w.code, taken: t.code })));
}

export interface LiveTimes {
  createdAt: Date;
  liveAt: Date | null;
  heartbeatAt: Date | null;
}

/**
 * Why a session still open should end now, if it should: checked by every API
 * process, so a session whose carrying process died is ended by another.
 * `graceMs` is how long its audio may be away; `maxMs` its longest length.
 */
export function overdue(session: LiveTimes, now: Date, graceMs: number, maxMs: number): EndReason | null {
  const t = now.getTime();
  if (session.liveAt && t - session.liveAt.getTime() >= maxMs) return 'max-length';
  // The carrier beats every few seconds while it holds the session, audio or not.
  const beat = session.heartbeatAt ?? session.createdAt;
  if (t - beat.getTime() < graceMs * 2) return null;
  return session.heartbeatAt ? 'server-restarted' : 'no-audio';
}
