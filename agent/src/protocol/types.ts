/**
 * The device protocol's public contract (docs/device-protocol.md) as plain
 * types: what the server sends a device. Devices ignore fields they do not
 * know, so these list only what a device reads.
 */

export interface ItemMedia {
  url: string;
  sha256: string;
  bytes: number;
  mime: string;
}

/** One item of `GET /api/v1/device/playlist`. */
export interface ServedItem {
  id: string;
  /** `scheduled`, `emergency`, `relay`, and more may come: a device skips a kind it does not know. */
  kind: string;
  title: string;
  startsAt: string;
  durationMs: number;
  priority: number;
  /** The rendition to play: every item but a relay has one. */
  media?: ItemMedia;
  /** Relay items only: the Icecast mount to play from startsAt for durationMs. */
  stream?: { url: string; mime: string };
  alert?: { level: number; category: string; drill: boolean; repeat: number; expiresAt: string };
}

export interface ServedPlaylist {
  endpointId: string;
  date: string;
  timezone: string;
  version: string;
  items: ServedItem[];
}

/** The `emergency` event's data. */
export interface AlertEvent {
  id: string;
  /** The alert's item id in playlists, for receipts. */
  itemId: string;
  title: string;
  level: number;
  category: string;
  drill: boolean;
  startsAt: string;
  expiresAt: string;
  repeat: number;
  /** As the alert's playlist item has them: all repeats, and its rank over what is scheduled. */
  durationMs: number;
  priority: number;
  media: ItemMedia;
}

/** The `live-started` event's data. */
export interface LiveEvent {
  id: string;
  /** `live:<id>`, for receipts. */
  itemId: string;
  title: string;
  /** Urgent interrupts scheduled items at once; normal starts when the playing item ends. Alerts always come first. */
  urgent: boolean;
  /** Its rank as a playlist item's priority: above scheduled items (10), below every alert (100–103). */
  priority: number;
  startedAt: string;
  /** The latest it may run (the server's LIVE_MAX_SECONDS): a device that hears no end stops then. */
  endsBy: string;
  stream: { url: string; mime: string };
}

/** The `command` event's data (docs/device-protocol.md, commands). */
export interface CommandEvent {
  id: string;
  kind: string;
  volume?: number;
  issuedAt: string;
  expiresAt: string;
}

/** What a heartbeat answers: the server's clock, for the device to check its own against. */
export interface HeartbeatAnswer {
  serverTime: string;
}
