import { createHash } from 'node:crypto';
import type { ReportedState } from './device-state';

// What a heartbeat says, as kept between flushes (in Redis, one hash per
// endpoint), and which beats Postgres must hear at once (pure).

/** A heartbeat as the device sends it (endpoints.dto HeartbeatBody, the fields kept). */
export interface HeartbeatReport {
  volume: number;
  playing?: boolean;
  freeBytes?: number;
  version?: string;
  state?: ReportedState;
  fault?: { code: string; text: string };
  muted?: boolean;
  clockOffsetMs?: number;
  held?: { media?: string[] };
}

/**
 * A beat as stored: every field a string ('' for not reported), so it fits a
 * Redis hash and a beat overwrites all of the previous one's fields but
 * `held`, which a device sends only now and then (absent here: not reported).
 */
export type BeatFields = Record<(typeof STEADY)[number] | (typeof FLUSHED_FIELDS)[number], string> & { held?: string };

/** Fields whose change is news (a notice, a confirmed command, readiness): written to Postgres with the beat. */
const STEADY = ['volume', 'playing', 'version', 'state', 'muted', 'faultCode', 'faultText'] as const;
/** Fields that move on every beat: written to Postgres by the flush, in one statement per batch. */
export const FLUSHED_FIELDS = ['seenAt', 'freeBytes', 'clockOffsetMs'] as const;

const text = (value: string | number | boolean | undefined) => (value === undefined ? '' : String(value));

/** Held media as a digest: a device holding 10,000 renditions must not put 650 KB in Redis every minute. */
const heldDigest = (media: string[]) =>
  createHash('sha256')
    .update([...media].sort().join(','))
    .digest('base64url');

export function beatFields(report: HeartbeatReport, now: Date): BeatFields {
  return {
    seenAt: String(now.getTime()),
    volume: String(report.volume),
    playing: text(report.playing),
    freeBytes: text(report.freeBytes),
    version: text(report.version),
    state: text(report.state),
    muted: text(report.muted),
    clockOffsetMs: text(report.clockOffsetMs),
    faultCode: text(report.fault?.code),
    faultText: text(report.fault?.text),
    ...(report.held?.media ? { held: heldDigest(report.held.media) } : {}),
  };
}

/**
 * How long after a beat the next may stay in Redis only. Every beat reaches
 * Postgres within a flush interval F (two, if a flush runs late), so if no
 * two beats in a row are further apart than online − 2F without one being
 * written at once, Postgres's last-seen is never older than the online
 * window while the device keeps beating: `online` read from Postgres is the
 * same as read from Redis. ≤ 0: every beat is written at once.
 */
export const steadyGapMs = (onlineSeconds: number, flushSeconds: number) => (onlineSeconds - 2 * flushSeconds) * 1000;

/**
 * A beat goes to Postgres at once when Redis holds no previous one (the
 * device's first, or Redis lost it), when it comes after a gap (the device
 * was, or is about to look, offline: see steadyGapMs), or when what it says
 * changed beyond the fields the flush writes. Otherwise it waits for the flush.
 */
export function writeAtOnce(previous: Partial<BeatFields> | null, next: BeatFields, maxGapMs: number): boolean {
  if (!previous?.seenAt) return true;
  if (Number(next.seenAt) - Number(previous.seenAt) > maxGapMs) return true;
  if (STEADY.some((field) => previous[field] !== next[field])) return true;
  return next.held !== undefined && next.held !== previous.held;
}

/** What the flush writes of a stored beat (null: nothing usable, e.g. the hash expired). */
export function flushedValues(fields: Partial<BeatFields>) {
  if (!fields.seenAt) return null;
  const number = (value: string | undefined) => (value ? Number(value) : null);
  return {
    seenAt: new Date(Number(fields.seenAt)),
    freeBytes: number(fields.freeBytes),
    clockOffsetMs: number(fields.clockOffsetMs),
  };
}
