import type { components } from '../../api/schema.gen';

export type Programme = components['schemas']['Programme'];
export type Category = Programme['category'];
export const CATEGORIES: Category[] = ['core_values', 'village_rules', 'customs', 'policy', 'lecture', 'other'];

/**
 * One place in a programme being built. The same medium may air twice (an
 * announcement at the start and again at the end), so each place has its own key.
 */
export interface Segment {
  key: string;
  mediaId: string;
  title: string;
  durationMs: number;
}

export function totalDurationMs(segments: readonly Pick<Segment, 'durationMs'>[]): number {
  return segments.reduce((sum, segment) => sum + segment.durationMs, 0);
}

/** The list with the item at `from` taken out and put back at `to`; out-of-range moves change nothing. */
export function moveSegment<T>(segments: readonly T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || from >= segments.length || to >= segments.length) return [...segments];
  const next = [...segments];
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved);
  return next;
}

/** One step up (-1) or down (+1) for the segment with this key: what the buttons do for keyboards and phones. */
export function stepSegment(segments: readonly Segment[], key: string, step: -1 | 1): Segment[] {
  const from = segments.findIndex((segment) => segment.key === key);
  return from < 0 ? [...segments] : moveSegment(segments, from, from + step);
}

/** Where a drag from one key onto another ends: the dragged segment takes the target's place. */
export function dropSegment(segments: readonly Segment[], activeKey: string, overKey: string): Segment[] {
  const from = segments.findIndex((segment) => segment.key === activeKey);
  const to = segments.findIndex((segment) => segment.key === overKey);
  return moveSegment(segments, from, to);
}

let made = 0;
/** A new place for a ready medium at the end of the programme. */
export function segmentOf(media: { id: string; title: string; durationMs: number | null }): Segment {
  return { key: `s${++made}`, mediaId: media.id, title: media.title, durationMs: media.durationMs ?? 0 };
}
