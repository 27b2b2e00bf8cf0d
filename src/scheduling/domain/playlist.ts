import { z } from 'zod';
import { createHash } from 'node:crypto';
import { countyIso, COUNTY_TIME_ZONE, type LocalDate } from '../../kernel/county-time';
import type { RundownItem } from './rundown';

// What a device is told to air on a date (the device protocol's playlist).
// Scheduled items rank below emergencies, which preempt them.

export const SCHEDULED_PRIORITY = 10;
export const MEDIA_MIME = 'audio/mpeg';

/** One item of a compiled playlist, as devices get it and as it is stored (compiled_playlist.items). */
export const PlaylistItem = z.object({
  id: z.string(),
  kind: z.enum(['scheduled', 'emergency', 'relay']),
  title: z.string(),
  startsAt: z.string(),
  durationMs: z.number(),
  priority: z.number(),
  /** The rendition to play: every item but a relay has one. */
  media: z.object({ url: z.string(), sha256: z.string(), bytes: z.number(), mime: z.string() }).optional(),
  /** Relay items only: the Icecast mount to play from startsAt for durationMs (never the outside source). */
  stream: z.object({ url: z.string(), mime: z.string() }).optional(),
  /** Emergency items only: how grave, whether a drill, how often to play, until when. */
  alert: z
    .object({ level: z.number(), category: z.string(), drill: z.boolean(), repeat: z.number(), expiresAt: z.string() })
    .optional(),
});
export type PlaylistItem = z.infer<typeof PlaylistItem>;

/** A stored playlist's items, read back from its JSON column. */
export const storedPlaylistItems = (json: unknown): PlaylistItem[] => z.array(PlaylistItem).parse(json);

/** Something that takes a county's air ahead of everything scheduled (an emergency alert). */
export interface Preemption {
  /** Stable id: regions preempted by the same ones share one composition. */
  id: string;
  /** The regions it reaches, each with everything under it. */
  regionCodes: readonly string[];
  /** Whether it is live on this county date. */
  airsOn(date: LocalDate): boolean;
  /** What devices air for it, ahead of the routine rundown. */
  item: PlaylistItem;
}

/**
 * The rundown as devices get it. A relay's item points at its Icecast mount
 * (`listenerUrl`); without Icecast configured there is nothing a device could
 * play, so it is left out (the items after it keep their times).
 */
export function playlistItems(
  rundown: RundownItem[],
  mediaUrl: (sha256: string) => string,
  listenerUrl: ((mount: string) => string) | null,
): PlaylistItem[] {
  return rundown.flatMap((item): PlaylistItem[] => {
    const common = {
      id: item.id,
      title: item.title,
      startsAt: countyIso(item.startsAt),
      durationMs: item.durationMs,
      priority: SCHEDULED_PRIORITY,
    };
    if (item.kind === 'relay')
      return listenerUrl
        ? [{ ...common, kind: 'relay', stream: { url: listenerUrl(item.mount), mime: MEDIA_MIME } }]
        : [];
    const { sha256, bytes } = item.media;
    return [{ ...common, kind: 'scheduled', media: { url: mediaUrl(sha256), sha256, bytes, mime: MEDIA_MIME } }];
  });
}

/** A digest of everything a device acts on; the strong ETag. Equal content, equal version, whichever process computed it. */
export function playlistVersion(date: LocalDate, items: PlaylistItem[]): string {
  return createHash('sha256')
    .update(JSON.stringify({ date, timezone: COUNTY_TIME_ZONE, items }))
    .digest('base64url')
    .slice(0, 27);
}
