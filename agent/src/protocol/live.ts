import type { LiveItem } from './player';
import type { LiveEvent } from './types';

/**
 * A `live-started` event's data as the player's item, or why it cannot be
 * played. endsBy is on the server's (real) clock; the device's may be shifted
 * (--time-offset), so it becomes the same distance ahead on the device's.
 */
export function liveItem(data: string, deviceNow: number, realNow: number): LiveItem | string {
  let live: Partial<LiveEvent>;
  try {
    live = (JSON.parse(data) ?? {}) as Partial<LiveEvent>;
  } catch {
    return 'live-started whose data is not JSON';
  }
  const endsBy = Date.parse(live.endsBy ?? '');
  if (!live.itemId || typeof live.stream?.url !== 'string' || Number.isNaN(endsBy) || typeof live.priority !== 'number')
    return 'live-started without an item id, a stream, endsBy or priority';
  return {
    id: live.itemId,
    kind: 'live',
    title: live.title ?? live.itemId,
    startsAt: live.startedAt ?? new Date(realNow).toISOString(),
    priority: live.priority,
    urgent: live.urgent === true,
    endsAt: deviceNow + (endsBy - realNow),
    stream: live.stream,
  };
}
