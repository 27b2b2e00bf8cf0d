import { countyInstant, type LocalDate } from '../../kernel/county-time';
import { parseItemId } from '../../scheduling/domain/rundown';

/** What the villagers' page needs of a playlist item. */
export interface AiredItem {
  id: string;
  kind: 'scheduled' | 'emergency' | 'relay';
  title: string;
  startsAt: string;
  durationMs: number;
  /** None for a relay: a live stream cannot be heard again. */
  media?: { url: string };
}

export interface Replay {
  date: LocalDate;
  broadcastId: string;
  title: string;
  startsAt: string;
  durationMs: number;
  /** The programme's segments in order, each a rendition to play. */
  parts: Array<{ url: string; durationMs: number }>;
}

/**
 * The programmes a village's loudspeakers aired in a slot (线上大讲堂: listen
 * again): the scheduled items of the date's playlist that start inside the
 * slot's window and have started by `now`, one programme per broadcast with
 * its segments in running order. Emergency alerts are not programmes.
 */
export function slotReplays(
  date: LocalDate,
  items: AiredItem[],
  slot: { startMinute: number; windowMinutes: number },
  now: Date,
): Replay[] {
  const opens = countyInstant(date, slot.startMinute).getTime();
  const closes = opens + slot.windowMinutes * 60_000;
  const replays = new Map<string, Replay>();
  for (const item of items) {
    const startsAt = Date.parse(item.startsAt);
    const broadcastId = parseItemId(item.id)?.broadcastId;
    if (
      item.kind !== 'scheduled' ||
      !item.media ||
      !broadcastId ||
      startsAt < opens ||
      startsAt >= closes ||
      startsAt > now.getTime()
    )
      continue;
    const replay = replays.get(broadcastId) ?? {
      date,
      broadcastId,
      title: item.title,
      startsAt: item.startsAt,
      durationMs: 0,
      parts: [],
    };
    replays.set(broadcastId, replay);
    replay.durationMs += item.durationMs;
    replay.parts.push({ url: item.media.url, durationMs: item.durationMs });
  }
  return [...replays.values()];
}
